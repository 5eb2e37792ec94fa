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
 * ThreadPort reply = ThreadPort.of(self);           // the caller's td_msgport
 * Lwkt.initmsg(msg, reply, 0);
 * int error = Lwkt.domsg(self, serverPort, msg, 0); // returns once msg is DONE
 * }</pre>
 *
 * <h2>Which DragonFly era each behaviour follows</h2>
 *
 * research/lwkt.md section 7 names three API eras: E1 (mid 2003), E2 (late 2003 to 2007, the {@code
 * MSGF_ASYNC} hint, aborts chasing the message), E3 (2007 on: {@code MSGF_SYNC}, typed port
 * back-ends, {@code ms_abortfn}).
 *
 * <table>
 *   <caption>Era of each behaviour</caption>
 *   <tr><th>behaviour</th><th>era</th></tr>
 *   <tr><td>{@code sendmsg}/{@code domsg} with {@code SYNC}, {@code forwardmsg}, {@code replymsg},
 *       {@code waitmsg}, {@code waitport}, {@code getport}: {@link org.ipctestbed.lwkt.Lwkt}</td><td>E3
 *       (modern)</td></tr>
 *   <tr><td>port back-ends: thread, spin, serializer, reply-only (null and function), put-only,
 *       panic</td><td>E3</td></tr>
 *   <tr><td>{@code abortmsg} through the message's abort function ({@code ms_abortfn}); abort "a
 *       request, not a guarantee"</td><td>E3 (E2 chased the message with an abort command)</td></tr>
 *   <tr><td>{@code dropmsg} only of a {@code DROPABLE} message (invariant 16), {@code
 *       PRIORITY} queue</td><td>E3</td></tr>
 *   <tr><td>{@link org.ipctestbed.lwkt.Lwkt#beginmsg}: put now, decide later how to wait, by an
 *       asynchronous hint</td><td>E2 ({@code lwkt_beginmsg} with {@code MSGF_ASYNC})</td></tr>
 *   <tr><td>system calls as messages, {@code sendsys}/{@code waitsys}, per-CPU message cache,
 *       completion by interrupt ({@code org.ipctestbed.lwkt.sys})</td><td>E2 (2003-2004; removed
 *       2006)</td></tr>
 *   <tr><td>{@code EASYNC} from a put function; synchronous completion in the caller's context
 *       ({@code domsg}'s fast path, put-only ports)</td><td>all three (E1 onward)</td></tr>
 *   <tr><td>IPI queues: a bounded FIFO per CPU pair, 16 entries, one interrupt per batch
 *       ({@code IpiQueues} in the substrate)</td><td>2004 ({@code lwkt_ipiq.c}; 256 entries
 *       today)</td></tr>
 *   <tr><td>scheduling: per-CPU LWKT fixed priorities with {@code usched_bsd4}'s decaying usage on
 *       top ({@code DragonFlyPolicy}, {@code --policy native}); {@code MSGF_NORESCHED}
 *       honoured</td><td>2005-2007 ({@code usched_bsd4} era)</td></tr>
 *   <tr><td>refusals change nothing (invariant 17); owner death completes every message with
 *       {@code ESRCH} through an exit path (invariant 20, {@code ExitPath})</td><td>testbed rule
 *       (DragonFly panics or leaves it to the subsystem)</td></tr>
 * </table>
 *
 * <p>Sub-packages: {@code sys} (system calls as messages: a libc over the kernel's {@code sendsys})
 * and {@code spi} (the {@code lwkt} provider of the IPC SPI).
 */
package org.ipctestbed.lwkt;
