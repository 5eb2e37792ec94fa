package org.ipctestbed.lwkt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * DragonFly's {@code struct spinlock} reduced to a test-and-set lock on a carrier: spins, never
 * blocks. The holder must not call any substrate primitive (work, charge, block) while holding it,
 * so that a holder is never descheduled and a spinner on another carrier waits a bounded time. In
 * the simulated engine fiber code between primitives is atomic, so the lock is never contended.
 */
final class SpinLock {
  private static final VarHandle HELD;

  static {
    try {
      HELD = MethodHandles.lookup().findVarHandle(SpinLock.class, "held", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int held;

  void lock() {
    while (!HELD.compareAndSet(this, 0, 1)) {
      Thread.onSpinWait();
    }
  }

  void unlock() {
    held = 0;
  }
}
