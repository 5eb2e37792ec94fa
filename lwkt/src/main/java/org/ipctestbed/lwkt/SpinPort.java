package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.ContendedLock;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * A port shared by any threads on any CPUs, under a spin lock: DragonFly's spin port back-end
 * ({@code lwkt_initport_spin}, {@code lwkt_spin_*}; research/lwkt.md section 3, "spin port").
 * "Somewhat more overhead than thread ports": every operation takes the lock ({@link Cost#ATOMIC})
 * and a put or reply from another CPU wakes sleepers with a cross-CPU wake-up instead of queueing
 * through the owner's CPU. The operations are {@link SharedPort}'s; this class supplies the lock.
 *
 * <p>{@code dropmsg} is legal only if the port was given an owner thread (otherwise the original
 * installs the panic vector), and only by that thread.
 */
public final class SpinPort extends SharedPort {
  private final SpinLock spin = new SpinLock();
  private final ContendedLock contended = new ContendedLock("spin port lock", Cost.QUEUE_OP);
  private final Fiber owner;

  /** A spin port with an optional owner thread (the only one that may drop messages), {@code null} for none. */
  public SpinPort(String name, Fiber owner) {
    this(name, owner, 64);
  }

  /** As {@link #SpinPort(String, Fiber)}, allowing up to {@code maxSleepers} fibers asleep on the port at once. */
  public SpinPort(String name, Fiber owner, int maxSleepers) {
    super(name, maxSleepers);
    this.owner = owner;
  }

  @Override
  public String kind() {
    return "spin port";
  }

  @Override
  void checkAccess(Fiber self, String op) {
    // Any thread may use a spin port.
  }

  @Override
  void chargeLock(Fiber self) {
    contended.acquire(self); // ATOMIC, plus the lock word's transfer and wait when shared (issue 12)
  }

  @Override
  void lock() {
    spin.lock();
  }

  @Override
  void unlock() {
    spin.unlock();
  }

  @Override
  void sleepLocked(Fiber self, String reason) {
    spin.unlock();
    self.block(reason);
    spin.lock();
  }

  @Override
  int dropmsg(Fiber self, LwktMsg msg) {
    if (owner == null) {
      throw illegal("dropmsg (spin port without an owner thread)", msg);
    }
    if (owner != self) {
      throw new PortException("dropmsg on " + this + " by fiber '" + self.name() + "': only its owner '"
          + owner.name() + "' may drop messages");
    }
    self.charge(Cost.ATOMIC);
    spin.lock();
    try {
      return dropIfQueuedRequest(msg);
    } finally {
      spin.unlock();
    }
  }
}
