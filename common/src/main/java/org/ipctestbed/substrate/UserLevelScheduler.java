package org.ipctestbed.substrate;

/**
 * The user half of a two-level scheduler, opted into per {@link Process} with {@link
 * Process#setUserLevelScheduler} (DESIGN.md, "Two levels where the design has them"; research/k42.md
 * 4.1: the kernel schedules dispatchers, a dispatcher schedules its own threads). A process without
 * one (LWKT, the direct-call baseline) keeps one-level scheduling exactly as before.
 *
 * <p>What opting in changes, on every CPU the process has fibers on:
 *
 * <ul>
 *   <li><b>The kernel schedules dispatchers.</b> The CPU's run queue ({@link DispatcherRunQueue})
 *       holds one entry per (process, CPU) while that dispatcher has ready fibers (K42's {@code
 *       hasWork}, {@link Cpu#dispatcherHasWork}); the policy picks among those entries and one-level
 *       fibers; a picked dispatcher runs its hard-stopped fiber if it has one, else the head of its
 *       ready FIFO.
 *   <li><b>User-level switch.</b> When a fiber of the process blocks, exits or yields with {@link
 *       Fiber#yieldThread()} and no kernel preemption is pending, the CPU asks {@link #nextReady} for
 *       another runnable fiber of the same process on that CPU (or, given null, takes the head of the
 *       dispatcher's ready FIFO) and switches to it with no scheduler decision: no change of the account
 *       being charged (so during a K42 borrowed hand-off the work lands on the borrower, k42.md 3.3
 *       item 1), no scheduling epoch, and one {@link Cost#USER_THREAD_SWITCH} paid by the fiber it
 *       switches to, instead of the kernel's {@link Cost#SCHED_DECISION} and {@link
 *       Cost#THREAD_SWITCH}.
 *   <li><b>Wakes inside the running dispatcher.</b> A fiber woken on its CPU while a fiber of the same
 *       process runs there is put on the ready queue without asking the kernel policy whether to
 *       preempt: in K42 that is a user-level ready-queue operation the kernel never sees.
 *   <li><b>Preemption costs.</b> A soft preemption honoured at a safe point costs {@link
 *       Cost#SOFT_PREEMPT_SAVE} (the dispatcher saves the thread at user level), a hard one {@link
 *       Cost#HARD_PREEMPT_SAVE} (the kernel saves and restores the full context), each charged at
 *       the moment of the preemption (save and restore as one charge): the soft one by the fiber
 *       itself at its safe point, before it yields, to the account the CPU holds; the hard one by
 *       the CPU at the deadline, on the preempted account, before the next dispatch. One-level
 *       processes pay neither, as before. Both are reported to {@link #preempted}.
 * </ul>
 *
 * <p>Calling conventions: every method is called on the CPU of the fiber it names, from that CPU's
 * scheduling code (never from another CPU), and must not allocate, block or call fiber primitives.
 */
public interface UserLevelScheduler {
  /**
   * The dispatcher's preferred ready fiber of {@code from}'s process bound to {@code from}'s CPU to
   * run now at user level, or {@code null} for the head of its ready FIFO (and a kernel dispatch if
   * that is empty). {@code from} has just blocked, exited or yielded at user level. A
   * candidate that is not runnable, is hard-preempted (the kernel holds its context) or is dead is
   * ignored by the caller.
   */
  Fiber nextReady(Fiber from);

  /**
   * The kernel warns {@code running}, the CPU's current fiber, of a soft preemption: it has until the
   * machine's deadline ({@code MachineConfig.preemptGraceNs}) to reach a safe point and yield (K42's
   * {@code PREEMPT} soft interrupt with its warning quantum, k42.md 4.4).
   */
  default void preemptWarning(Fiber running) {}

  /**
   * {@code f} was preempted: {@code hard} when the kernel stopped it at its deadline, otherwise it
   * honoured a soft preemption at a safe point. For counters.
   */
  default void preempted(Fiber f, boolean hard) {}

  /**
   * {@code f}'s hard-preempted state changed: {@code true} when the kernel stopped it and saved its
   * context, {@code false} when it runs again (or ends). K42's reserved thread of a hard-preempted
   * dispatcher; lets a mechanism keep an O(1) "disabled" flag (k42.md 4.4).
   */
  default void hardPreempted(Fiber f, boolean preempted) {}
}
