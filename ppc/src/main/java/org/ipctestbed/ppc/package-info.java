/**
 * K42 Protected Procedure Call on the testbed's substrate, following research/k42.md sections 1–4
 * and checked against section 6 (one named test per invariant).
 *
 * <h2>Map</h2>
 *
 * <ul>
 *   <li>{@link org.ipctestbed.ppc.PpcKernel}: kernel entry at exception level, the system calls
 *       ({@code IPC_CALL}, {@code IPC_RTN}, {@code IPC_ASYNC}), the remote path, reply delivery and
 *       the process table; one per machine. {@code Stubs}: the stub compiler's side (client
 *       marshalling, the X-object entry with its checks). {@link org.ipctestbed.ppc.Dispatcher} and
 *       {@link org.ipctestbed.ppc.PpcProcess}: the dispatcher's user side (below).
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
 * <h2>Two levels of scheduling (k42.md 4.1, 4.3, 1.4, 3.3, 4.4)</h2>
 *
 * <pre>
 *   kernel: substrate Cpu + SchedulerPolicy, per CPU     picks a DISPATCHER by (class, proportional
 *     run queue = dispatchers with hasWork (one entry     share of its resource domain); charges
 *     each), plus one-level fibers (LWKT, direct call)    SCHED_DECISION + THREAD_SWITCH
 *     |  dispatch | quantum: PREEMPT warning + deadline | past it: hard stop (HARD_PREEMPT_SAVE, kernel)
 *     v
 *   dispatcher: one per process per CPU (Dispatcher; its ready FIFO in DispatcherRunQueue)
 *     kernel-visible: hasWork (ready FIFO non-empty, O(1)), disabled (O(1) reserved-thread count),
 *     soft-interrupt word (PREEMPT, ASYNC_MSG, IPC_RETRY_NOTIFY)
 *     |  picks: the hard-stopped thread, else its entry code, else the FIFO head
 *     |  a thread blocks, exits or yields (yieldThread): next ready thread, USER_THREAD_SWITCH,
 *     |  same account, no kernel decision; a soft preemption: SOFT_PREEMPT_SAVE, then it yields
 *     v
 *   threads: PpcThread (clients), ServerThread, AsyncHandler, the entry code
 *     PPC_BLOCKED while targetID is set: off the ready FIFO; siblings keep running
 * </pre>
 *
 * <p>Every PPC process is two-level: it registers itself as the substrate's {@code
 * UserLevelScheduler}, and the substrate's run queue then holds its dispatcher, not its threads: the
 * policy chooses among dispatchers, each dispatcher among its own ready threads. A thread that blocks
 * (a server thread on the borrowed domain, a client waiting for a reply, a sleep), exits or yields
 * ({@link org.ipctestbed.ppc.PpcThread#yieldThread()}) is followed by another ready thread of the same
 * dispatcher at user level, with no kernel decision and on the account the CPU holds, so work done
 * while a domain is borrowed lands on the borrower (3.3 item 1); a yield with no other ready thread
 * never reaches the kernel. {@link org.ipctestbed.ppc.PpcThread#yieldDispatcher()} is the dispatcher's
 * own yield to the kernel. A wake inside the running dispatcher is a user-level ready-queue operation
 * the kernel policy does not see. Preemption: the kernel's warning raises {@code PREEMPT} in the
 * running dispatcher; a thread that reaches a safe point before the deadline saves itself at user
 * level ({@code SOFT_PREEMPT_SAVE}, charged then, to the account the CPU holds) and yields, and the
 * dispatcher stays enabled and yields cleanly; past the deadline the kernel stops it and saves its
 * context ({@code HARD_PREEMPT_SAVE}, charged at the deadline to the preempted account, before the
 * next dispatch): the dispatcher is disabled, PPCs and replies to it are refused and retried once it
 * has run again and yielded cleanly. {@link org.ipctestbed.ppc.PpcStats} counts soft preemptions
 * honoured, hard preemptions and calls refused while disabled. A PPC to a kernel process ({@code
 * Process.isKernel()}) switches no address space: the kernel is mapped in every one.
 *
 * <p>Still not modelled at this level: a kernel dispatch of a dispatcher charges the kernel's dispatch
 * cost only (the dispatcher's own pick of a thread at its RUN entry is folded into it, and the
 * restore of a saved thread into the save costs); a dispatcher that runs keeps its entry in the
 * policy's queue while it has other ready threads (K42 takes it off), so a quantum expiry still warns
 * it when only its own threads wait; the pulse (the user-level time slice, k42.md 4.2) and user-level
 * time slicing among a dispatcher's threads; several dispatchers of one process in different resource
 * domains on one CPU (one domain per process here); thread migration between dispatchers (4.6).
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
 *       {@code ENOMEM}; beyond {@code keptServerThreads} idle threads the coldest one is retired
 *       ({@code Fiber.retire}), so a burst leaves no large thread table behind. Creating a fiber during a run is a wake that the
 *       substrate's run queue may answer with a preemption, so such a growth call can lose its borrowed
 *       account; K42's allocation is invisible to its scheduler.
 *   <li><b>Slow return.</b> Decided by the borrow chain (the scheduling epoch moved, or the new top is
 *       not the caller, e.g. after the ring wrapped): the reply goes to the caller through the
 *       scheduler, and the caller resumes only when dispatched in its own account.
 *   <li><b>Disabled and "yields cleanly"</b>: see {@link org.ipctestbed.ppc.Dispatcher}. Retry
 *       notifications are sent at the yield points this module sees (including a soft preemption
 *       honoured, reported by the substrate's hook); the {@code PREEMPT} bit set on a refusing target
 *       guarantees one follows.
 *   <li><b>Retried calls</b> are re-issued through the normal {@code IPC_CALL} path once the caller
 *       runs again, as {@code IPCFaultOnThread} does in the K42 source; they therefore borrow the
 *       caller's (freshly dispatched) domain like any local call. This is where k42.md invariant 9
 *       is amended (its text now says so): "no borrowing off the fast path" holds for async and
 *       remote PPCs, while a retried local call borrows once the caller runs again; the test for
 *       invariant 9 checks that the target's own work during the refusal stays with the target.
 *   <li><b>Remote ENOMEM</b>: a remote call that finds no free server thread (and none can be made)
 *       is answered {@code ENOMEM} by {@code IPCCallEntry} at once, as a local one is (invariant 9 as
 *       amended); it does not wait in the mailbox. The answer travels to the caller's CPU as an IPI
 *       rather than through the caller's single mailbox slot.
 *   <li><b>Error codes</b>: an XHandle index beyond the table, a method number beyond the object's and
 *       a stale sequence number all give {@code EPERM}, as in {@code PPCServerOnThread}; k42.md's
 *       "EPERM/EINVAL" is resolved that way.
 *   <li><b>Process death</b> anywhere in a call chain: a call to a dead process gets {@code ESRCH};
 *       calls a process held when it died are answered with {@code ESRCH} by its exit path ({@code
 *       Process.onKill}: an IPI to each CPU, which answers the threads waiting there), or, for a
 *       server running on its caller's stack, by the substrate unwinding the upcall. A middle server
 *       killed while the server below it runs on the same (lent) stack is unwound when that server
 *       returns, so its caller learns of the death then; the reply from below is dropped. A caller
 *       killed mid-call stops when its server returns; the reply to it is dropped
 *       ({@code ProcessDeathTest}).
 *   <li><b>Async inline words</b>: K42's async message has no registers; the SPI's non-zero inline
 *       words ride after the header at one buffer word each (see {@code AsyncBuffer}), so the native
 *       use without words keeps K42's layout and capacity (20 messages of 48 bytes in 183 words).
 *   <li><b>Not modelled</b>: primitive PPC (k42.md 1.8), page faults and reserved kernel threads for
 *       them, clustered objects, thread migration between dispatchers, replies to a moved dispatcher,
 *       the remote-retry "hack" beyond one notification per consumed mailbox.
 * </ul>
 */
package org.ipctestbed.ppc;
