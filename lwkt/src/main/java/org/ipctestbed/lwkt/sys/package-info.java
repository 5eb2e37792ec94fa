/**
 * System calls as messages, as DragonFly built them in 2003-2004 (research/lwkt.md sections 5 and
 * 7, era E2): {@link org.ipctestbed.lwkt.sys.Libc}'s calls build a {@link
 * org.ipctestbed.lwkt.sys.SysMsg} and hand it to the {@link org.ipctestbed.lwkt.sys.LwktKernel}'s
 * {@code sendsys}, which copies it into a buffer from a per-CPU cache, validates it and calls the
 * handler directly in the caller's context; a call becomes asynchronous only when the handler
 * answers {@code EASYNC} (a device or a timer completes it by interrupt, with no server thread), the
 * caller asked, and its process is under a limit of outstanding calls. The classic trap is beside
 * it for comparison.
 */
package org.ipctestbed.lwkt.sys;
