package org.ipctestbed.ipc;

/**
 * Who a strategy charges for the synchronous service of a call, as the {@link
 * org.ipctestbed.substrate.Ledger} sees it, declared by {@link IpcProvider#accounting()} and checked by
 * the conformance suite on both engines (issue 14: a strategy that charged the client's time to the
 * server after a quantum expiry had passed a suite that never asked who pays).
 *
 * <p>Two questions, each answered by a {@link Payer}:
 *
 * <ul>
 *   <li>{@link #service()}: whose account the handler's work lands on when nothing interrupts it, for
 *       a call served on the caller's CPU. K42's PPC: the caller's (the server runs in the caller's
 *       borrowed domain, research/k42.md 3.1 (c)). LWKT: the server's (its port's thread is dispatched
 *       in its own right, research/lwkt.md 2). A procedure call: the caller's.
 *   <li>{@link #afterPreemption()}: whose account the rest of the service lands on after a scheduling
 *       event during it (a quantum expiry or a preempting wake). K42: the server's, "the scheduler
 *       noticed" and the borrowing ends (k42.md 3.2); LWKT: still the server's; a procedure call: still
 *       the caller's.
 * </ul>
 *
 * Whatever the model, the caller's own work before and after a call is the caller's: a strategy
 * that leaves the caller running in the server's account after the call returns fails the suite.
 */
public record AccountingModel(Payer service, Payer afterPreemption) {
  /** An account the service can land on. */
  public enum Payer {
    /** The calling fiber's own account. */
    CALLER,
    /** The account of the server fiber that runs the handler. */
    SERVER
  }

  /** K42 PPC: the caller pays until a scheduling event ends the borrowing, then the server pays. */
  public static final AccountingModel CALLER_UNTIL_PREEMPTED = new AccountingModel(Payer.CALLER, Payer.SERVER);

  /** A server thread dispatched in its own right (LWKT thread ports): the server pays throughout. */
  public static final AccountingModel SERVER_PAYS = new AccountingModel(Payer.SERVER, Payer.SERVER);

  /** The handler runs in the caller's own fiber (a procedure call): the caller pays throughout. */
  public static final AccountingModel CALLER_PAYS = new AccountingModel(Payer.CALLER, Payer.CALLER);

  public AccountingModel {
    if (service == null || afterPreemption == null) {
      throw new IllegalArgumentException("an accounting model names a payer for both questions");
    }
  }

  @Override
  public String toString() {
    return "service paid by the " + service.name().toLowerCase(java.util.Locale.ROOT) + ", after a preemption by the "
        + afterPreemption.name().toLowerCase(java.util.Locale.ROOT);
  }
}
