package org.ipctestbed.substrate.sched;

/**
 * What a {@link RunQueue} asks of the CPU when a fiber becomes runnable beside a running one
 * (research/k42.md section 4.4).
 */
public enum Preemption {
  /** Let the running fiber go on until its quantum ends or it blocks. */
  NONE,
  /**
   * Soft preemption: raise the running fiber's preempt flag with a deadline; it yields at its next
   * safe point, and is preempted hard if the deadline passes first.
   */
  SOFT,
  /** Hard preemption: stop the running fiber now (the real engine: at its next work slice). */
  HARD
}
