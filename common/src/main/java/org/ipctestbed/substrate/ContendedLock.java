package org.ipctestbed.substrate;

/**
 * A lock whose hold time serialises its users across CPUs (issue 12, "Shared-state contention"):
 * DragonFly's spin lock of a spin port ({@code lwkt_spin_*}, research/lwkt.md), the lock K42 takes
 * on a dispatcher's remote async buffer (research/k42.md 2.4). Mechanism code keeps its own Java
 * lock for correctness on the real engine; this object only prices it in the simulated engine.
 *
 * <p>Model (simulated engine): {@link #acquire} at virtual time {@code t} waits until the lock is
 * free ({@link Cost#CONTENTION_WAIT}), takes the lock word's cache line (a {@link
 * Cost#CACHE_LINE_TRANSFER} when another CPU held the lock last, serialised like a {@link
 * SharedLine}), pays the {@link Cost#ATOMIC} that acquires it, and then holds the lock for the mean
 * of {@code critical}, the cost of the critical section it guards (the caller charges that cost
 * itself, as before). The next acquirer, on any CPU, cannot get it before. Deliberate
 * simplification: the hold is the critical section's mean cost, known at acquisition; a holder that
 * is interrupted inside it does not hold it longer (the original's holders run with interrupts off,
 * so this is close).
 *
 * <p>Real engine: charges {@link Cost#ATOMIC} (counted only), nothing else.
 */
public final class ContendedLock {
  private final SharedLine line;
  private final Cost critical;
  private long freeAt;

  /**
   * @param name what the lock protects, for reports
   * @param critical the cost of the critical section it guards (its mean is the hold time)
   */
  public ContendedLock(String name, Cost critical) {
    this.line = new SharedLine(name);
    this.critical = critical;
  }

  /** Acquires the lock for a critical section of the declared cost; returns when it is held. */
  public void acquire(Fiber self) {
    Machine m = self.machine();
    if (!m.isSimulated()) {
      self.charge(Cost.ATOMIC);
      return;
    }
    long now = self.now();
    long wait = Math.max(0, freeAt - now);
    long transfer = line.take(m, self.cpu().index(), now + wait);
    long atomic = m.drawCost(Cost.ATOMIC, 1);
    freeAt = now + wait + transfer + atomic + m.costModel().ns(critical, 1);
    line.account(m, wait, transfer > 0);
    if (transfer > 0) {
      self.spendContended(wait, Cost.CACHE_LINE_TRANSFER, 1, transfer);
      self.spendContended(0, Cost.ATOMIC, 1, atomic);
    } else {
      self.spendContended(wait, Cost.ATOMIC, 1, atomic);
    }
  }

  /** The lock word's line: its transfers and the time its users waited ({@link Machine#contentionPoints()}). */
  public SharedLine line() {
    return line;
  }

  /** Virtual time at which the lock is free again (simulated engine), for tests. */
  long freeAt() {
    return freeAt;
  }

  @Override
  public String toString() {
    return "ContendedLock[" + line.name() + "]";
  }
}
