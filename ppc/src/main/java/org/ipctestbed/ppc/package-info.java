/**
 * K42 Protected Procedure Call on the testbed's substrate, following research/k42.md sections 1–4
 * and checked against section 6 (one named test per invariant).
 *
 * <h2>Map</h2>
 *
 * <ul>
 *   <li>{@link org.ipctestbed.ppc.PpcKernel}: the system calls ({@code IPC_CALL}, {@code IPC_RTN},
 *       {@code IPC_ASYNC}) and the stub/dispatcher code around them; one per machine.
 *   <li>Per CPU ({@code PpcCpu}, K42's {@code exceptionLocal}): the {@link org.ipctestbed.ppc.PpcPage},
 *       the {@link org.ipctestbed.ppc.BorrowChain}, the {@code IPCTargetTable}, the {@code
 *       IPCRetryManager}, the remote-buffer pool.
 *   <li>{@link org.ipctestbed.ppc.PpcProcess}: a process, its VPs and its exported {@link
 *       org.ipctestbed.ppc.XObject}s; {@link org.ipctestbed.ppc.Dispatcher}: one VP with its soft
 *       interrupts, free list, retry lists, remote mailbox, async buffers and handlers; {@link
 *       org.ipctestbed.ppc.PpcThread}: a thread's PPC state and the client API.
 *   <li>{@link org.ipctestbed.ppc.CommID}, {@link org.ipctestbed.ppc.XHandle}, {@link
 *       org.ipctestbed.ppc.ObjectHandle}: addresses, packed in {@code long}s.
 *   <li>{@code org.ipctestbed.ppc.spi}: the thin SPI adapter, provider name {@code ppc}.
 * </ul>
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li><b>Where the server runs.</b> The local fast path runs the server thread's code on the
 *       caller's stack with {@code Fiber.upcall}: the CPU's current fiber becomes the server thread
 *       (its process, its identity, its wake-ups) with no continuation switch and no scheduler
 *       decision, and the CPU keeps the caller's account. This is what the issue suggests and it is
 *       faithful: K42 also switches to a distinct server thread (taken from the free list, "most of
 *       its register state taken from the caller"), and the thread identity is preserved here; only
 *       the Java stack is shared, which is invisible to the model since the caller is blocked until the
 *       reply anyway. If the server blocks, the caller's stack waits with it. A server thread that has
 *       never run (just created) is reached by a hand-off instead ({@code Fiber.handoff(target, true,
 *       reason)}), as are remote calls, which run on the server thread's own stack.
 *   <li><b>Free list.</b> LIFO, {@link org.ipctestbed.ppc.PpcConfig#initialServerThreads()} threads
 *       made with the dispatcher; a call that finds it empty creates one more thread on the spot (N
 *       outstanding calls hold N threads), up to {@code maxServerThreads}, beyond which the call gets
 *       {@code ENOMEM}; threads are never destroyed. Creating a fiber during a run is a wake that the
 *       substrate's run queue may answer with a preemption, so such a growth call can lose its borrowed
 *       account; K42's allocation is invisible to its scheduler.
 *   <li><b>Slow return.</b> Decided by the borrow chain (the scheduling epoch moved, or the new top is
 *       not the caller, e.g. after the ring wrapped): the reply goes to the caller through the
 *       scheduler, and the caller resumes only when dispatched in its own account.
 *   <li><b>Disabled and "yields cleanly"</b>: see {@link org.ipctestbed.ppc.Dispatcher}. The
 *       substrate has no scheduler hook, so retry notifications are sent at the yield points this
 *       module sees; the {@code PREEMPT} bit set on a refusing target guarantees one follows.
 *   <li><b>Retried calls</b> are re-issued through the normal {@code IPC_CALL} path once the caller
 *       runs again, as {@code IPCFaultOnThread} does in the K42 source; they therefore borrow the
 *       caller's (freshly dispatched) domain like any local call. k42.md's invariant 9 says retried
 *       calls never borrow; the source does not support that reading, and the test for invariant 9
 *       checks instead that the target's own work during the refusal stays with the target.
 *   <li><b>Error codes</b>: an XHandle index beyond the table, a method number beyond the object's and
 *       a stale sequence number all give {@code EPERM}, as in {@code PPCServerOnThread}; k42.md's
 *       "EPERM/EINVAL" is resolved that way.
 *   <li><b>Server death</b>: a call to a dead process gets {@code ESRCH}; calls a process held when
 *       it died are answered with {@code ESRCH} by its exit path ({@code Process.onKill}: an IPI to
 *       each CPU, which answers the threads waiting there), or, for a server running on its caller's
 *       stack, by the substrate unwinding the upcall.
 *   <li><b>Async inline words</b>: K42's async message has no registers; the SPI's non-zero inline
 *       words ride after the header at one buffer word each (see {@code AsyncBuffer}), so the native
 *       use without words keeps K42's layout and capacity (20 messages of 48 bytes in 183 words).
 *   <li><b>Not modelled</b>: primitive PPC (k42.md 1.8), page faults and reserved kernel threads for
 *       them, clustered objects, thread migration between dispatchers, replies to a moved dispatcher.
 * </ul>
 */
package org.ipctestbed.ppc;
