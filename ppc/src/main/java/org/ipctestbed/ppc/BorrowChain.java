package org.ipctestbed.ppc;

/**
 * One CPU's ring of 8 "CDA borrowers" (research/k42.md 3.2; {@code DispatchQueue}'s {@code
 * cdaBorrowers}, {@code LOG_CDA_BORROWERS_SIZE = 3}): the dispatchers of the local call chain that is
 * running in the borrowed resource domain of the dispatcher the scheduler last picked.
 *
 * <p>A dispatch resets the ring to [dispatched]; each local call pushes the callee; each return pops
 * and compares the new top with the return target: a match is the fast path. Here "a dispatch" is any
 * movement of {@link org.ipctestbed.substrate.Cpu#schedulingEpoch()} (a dispatch, a quantum expiry, a
 * preempting wake: "the scheduler noticed"); the ring notices it lazily, at its next push or pop,
 * which is equivalent because only pushes and pops read it. The base pushed after a reset is the
 * caller's dispatcher, the one that runs in its own account at that point. Nesting deeper than 7 wraps
 * the ring and overwrites the oldest entries, so the outer returns later take the slow path: slower,
 * still correct. Touched only on its CPU.
 */
public final class BorrowChain {
  /** Entries in the ring. */
  public static final int SIZE = 8;

  private final Dispatcher[] ring = new Dispatcher[SIZE];
  private int head;
  private long epoch = Long.MIN_VALUE;

  /** Pushes {@code callee}; if the scheduler noticed something since, first resets to [base]. */
  void push(Dispatcher base, Dispatcher callee, long schedulingEpoch) {
    if (schedulingEpoch != epoch) {
      clear();
      ring[head] = base;
      epoch = schedulingEpoch;
    }
    head = (head + 1) & (SIZE - 1);
    ring[head] = callee;
  }

  /**
   * Pops the top and returns the new top, or {@code null} when the ring was cleared (by the scheduler
   * or a slow return) or has wrapped past the entry.
   */
  Dispatcher pop(long schedulingEpoch) {
    if (schedulingEpoch != epoch) {
      clear();
      return null;
    }
    ring[head] = null;
    head = (head - 1) & (SIZE - 1);
    return ring[head];
  }

  /** Clears the ring (a slow return, a refusal, process termination). */
  void clear() {
    for (int i = 0; i < SIZE; i++) {
      ring[i] = null;
    }
    epoch = Long.MIN_VALUE;
  }

  /** Entries currently in the ring (for tests and reports). */
  public int depth() {
    int n = 0;
    for (Dispatcher d : ring) {
      if (d != null) {
        n++;
      }
    }
    return n;
  }
}
