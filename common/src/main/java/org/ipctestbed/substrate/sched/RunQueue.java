package org.ipctestbed.substrate.sched;

import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * One CPU's queue of runnable fibers under some {@link SchedulerPolicy}.
 *
 * <p>Calling conventions: a run queue belongs to one CPU and is touched only by code running on that
 * CPU (its carrier in the real engine, the driver on its behalf in the simulated one); other CPUs
 * reach it through an IPI. It is therefore not thread-safe, and must not allocate once warm: it is
 * on every scheduling path.
 */
public interface RunQueue {
  /** Makes {@code f} runnable at the tail of its priority level. */
  void enqueue(Fiber f);

  /** Removes and returns the fiber that should run next, or {@code null} if none is runnable. */
  Fiber poll();

  /** Removes {@code f} if it is queued (a hand-off to a runnable fiber takes it off the queue). */
  boolean remove(Fiber f);

  /** Whether no fiber is runnable. */
  default boolean isEmpty() {
    return size() == 0;
  }

  /** How many fibers are runnable. */
  int size();

  /**
   * What to do to the running fiber now that {@code woken} has become runnable.
   *
   * @param runningDomain the process whose account the CPU is charging (a borrowed one during a
   *     K42-style hand-off), or {@code null} if the CPU is idle
   */
  Preemption onWake(Fiber woken, Process runningDomain);

  /** Whether, at the end of {@code runningDomain}'s quantum, some queued fiber deserves the CPU. */
  boolean hasCompetitor(Process runningDomain);

  /** Records that {@code ns} of CPU time was charged to {@code domain} on this CPU, at time {@code now}. */
  void charged(Process domain, long ns, long now);

  /** The time slice given to {@code domain} when it is dispatched. */
  long quantumNs(Process domain);
}
