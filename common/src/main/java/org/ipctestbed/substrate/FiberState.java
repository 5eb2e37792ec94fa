package org.ipctestbed.substrate;

/**
 * The life cycle of a {@link Fiber}. The legal transitions are checked in one place, {@link
 * #check(FiberState, FiberState)}:
 *
 * <pre>
 *   NEW ──start──▶ RUNNABLE ──dispatch/hand-off──▶ RUNNING ──block──▶ BLOCKED ──wake──▶ RUNNABLE
 *                     ▲                              │  │                 │
 *                     └──────yield / preempt─────────┘  └──return──▶ DONE  └──hand-off──▶ RUNNING
 * </pre>
 */
public enum FiberState {
  NEW,
  RUNNABLE,
  RUNNING,
  BLOCKED,
  DONE;

  /**
   * Checks that {@code from → to} is a legal transition.
   *
   * @throws IllegalStateException naming both states otherwise
   */
  static void check(FiberState from, FiberState to) {
    boolean ok =
        switch (from) {
          case NEW -> to == RUNNABLE || to == BLOCKED || to == DONE; // BLOCKED: spawned parked
          case RUNNABLE -> to == RUNNING || to == DONE;
          case RUNNING -> to == BLOCKED || to == RUNNABLE || to == DONE;
          case BLOCKED -> to == RUNNABLE || to == RUNNING || to == DONE;
          case DONE -> false;
        };
    if (!ok) {
      throw new IllegalStateException("illegal fiber transition " + from + " -> " + to);
    }
  }
}
