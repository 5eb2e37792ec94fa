package org.ipctestbed.substrate;

/**
 * The named mechanism costs that IPC code declares with {@link Fiber#charge(Cost)}. In the simulated
 * engine each advances virtual time by its figure in the {@link CostModel}; in the real engine a
 * charge only counts occurrences, because real time is measured. Every charge is tallied by name in
 * the {@link Ledger}, so the overheads a result depends on are visible in it (the SimSo habit, see
 * STYLE.md).
 *
 * <p>Costs marked "per unit" are charged as {@code charge(cost, units)}: bytes for copies, cache
 * lines for transfers.
 */
public enum Cost {
  /** Entering the kernel from user level (system call or trap) and returning. */
  TRAP,
  /** Switching address spaces (page-table base, TLB effects) between protection domains. */
  ADDRESS_SPACE_SWITCH,
  /** Saving one thread's register state and restoring another's, without a scheduler decision. */
  THREAD_SWITCH,
  /** One scheduler decision: pick the next thread from a run queue. Charged on every dispatch. */
  SCHED_DECISION,
  /** Posting an IPI request: the sender's side (queue write plus the interrupt). */
  IPI_SEND,
  /** Delay from posting an IPI to its handler running on the target CPU (sim: event latency). */
  IPI_LATENCY,
  /** Moving one cache line between CPUs (per unit: cache lines). */
  CACHE_LINE_TRANSFER,
  /** Copying message bytes between domains (per unit: bytes). */
  COPY_PER_BYTE,
  /** Raising or taking a soft interrupt (K42 soft-interrupt word, DragonFly AST-like wake). */
  SOFT_INTERRUPT,
  /** An uncontended atomic operation or spin-lock acquire/release pair. */
  ATOMIC,
  /** Queueing or dequeueing a message on a port or buffer. */
  QUEUE_OP,
  /**
   * A plain procedure call and return within one address space (the {@code direct-call} lower
   * bound's only cost besides copies).
   */
  PROCEDURE_CALL,
  /**
   * One {@code copyin}/{@code copyout} of a small user structure, without its bytes: the address
   * range check and the fault-recovery set-up of the call (per unit: calls; the bytes are charged as
   * {@link #COPY_PER_BYTE}). DragonFly's {@code sendsys} pays it to copy the user's message in and
   * the result out (research/lwkt.md section 7).
   */
  USER_COPY,
  /** Taking a kernel message buffer from a per-CPU cache and giving it back (research/lwkt.md 7). */
  MSG_CACHE,
  /** Validating a user-built system-call message: command, flags and sizes (research/lwkt.md 7). */
  SYSCALL_VALIDATE,
  /**
   * Taking a hardware interrupt on the CPU that receives it: entry, dispatch to the handler,
   * acknowledgement and return (a device's completion, a timer, an IPI).
   */
  INTERRUPT,
  /** Running one request taken from an IPI FIFO on its target CPU: the dequeue and the call. */
  IPI_REQUEST,
  /**
   * Time a CPU waits for a cache line in flight to another CPU or a lock another CPU holds (see
   * {@link SharedLine}, {@link ContendedLock}). Not a model figure: it emerges from the simulation, and the
   * model's entry for it is always 0; it is tallied under this name so that contention shows in the
   * ledger.
   */
  CONTENTION_WAIT,
  /**
   * Time stolen from a busy CPU by a {@link NoiseSource} (timer interrupt, background activity). Not a
   * model figure (the model's entry is 0); the source's own distribution sets it.
   */
  NOISE,
  /**
   * A user-level thread switch inside one dispatcher (K42, research/k42.md 4.1, 3.3 item 1): save
   * one thread's registers, pick the next from the dispatcher's own ready queue, restore; no trap,
   * no scheduler decision. Charged only for processes with a {@link UserLevelScheduler}.
   */
  USER_THREAD_SWITCH,
  /**
   * A soft preemption honoured (k42.md 4.4): the dispatcher saves its running thread at user level
   * before it yields; the kernel keeps no state. Two-level processes only.
   */
  SOFT_PREEMPT_SAVE,
  /**
   * A hard preemption (k42.md 4.4): the kernel saves the full context of the stopped dispatcher
   * (and restores it when it is dispatched again). Two-level processes only.
   */
  HARD_PREEMPT_SAVE
}
