/**
 * System calls as messages (research/lwkt.md section 5): {@link org.ipctestbed.lwkt.sys.Libc}'s
 * {@code read()}/{@code write()}/{@code getpid()} build a {@link org.ipctestbed.lwkt.sys.SysMsg} and
 * {@code domsg} it to the {@link org.ipctestbed.lwkt.sys.LwktKernel}'s put-only syscall port, which
 * completes it in the caller's context when it can and otherwise queues it to a kernel thread;
 * {@code sendsys}/{@code waitsys} are the asynchronous form.
 */
package org.ipctestbed.lwkt.sys;
