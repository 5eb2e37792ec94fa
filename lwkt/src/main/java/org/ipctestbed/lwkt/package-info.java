/**
 * DragonFly BSD LWKT message ports on the testbed's substrate: the native API (research/lwkt.md).
 *
 * <p>An {@link org.ipctestbed.lwkt.LwktMsg} is owned by exactly one party at a time; its state
 * ({@link org.ipctestbed.lwkt.MsgState}) follows from its {@link org.ipctestbed.lwkt.MsgFlags} and
 * changes only by the transitions of {@link org.ipctestbed.lwkt.MsgTransition}. An {@link
 * org.ipctestbed.lwkt.LwktPort} is a function vector; its kinds are the {@link
 * org.ipctestbed.lwkt.ThreadPort} (owned by one thread on one CPU; cross-CPU puts and replies travel
 * as IPIs and are queued by the owner's CPU), the {@link org.ipctestbed.lwkt.SpinPort}, the {@link
 * org.ipctestbed.lwkt.SerializerPort}, and the reply-only, put-only and panic ports. The operations
 * ({@code sendmsg}, {@code domsg}, {@code forwardmsg}, {@code replymsg}, {@code waitmsg}, {@code
 * waitport}, {@code getport}, {@code abortmsg}, {@code dropmsg}) are the static methods of {@link
 * org.ipctestbed.lwkt.Lwkt}.
 *
 * <pre>{@code
 * ThreadPort reply = new ThreadPort(self);          // the caller's td_msgport
 * Lwkt.initmsg(msg, reply, 0);
 * int error = Lwkt.domsg(self, serverPort, msg, 0); // returns once msg is DONE
 * }</pre>
 *
 * <p>Sub-packages: {@code sys} (system calls as messages: a libc over a kernel syscall port) and
 * {@code spi} (the {@code lwkt} provider of the IPC SPI).
 */
package org.ipctestbed.lwkt;
