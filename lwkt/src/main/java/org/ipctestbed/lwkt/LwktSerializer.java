package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.SharedLine;

/**
 * DragonFly's {@code struct lwkt_serialize} ({@code lwkt_serialize_enter/exit}): a sleeping mutual
 * exclusion lock, held across blocking operations by network drivers, that a {@link SerializerPort}
 * is protected by. Not recursive. A contended enter sleeps (through the substrate, never on a
 * carrier) until the holder exits, which wakes every waiter to retry.
 */
public final class LwktSerializer {
  private final String name;
  private final SpinLock spin = new SpinLock();
  private final SharedLine word = new SharedLine("serializer word");
  private final WaitChannel waiters;
  private volatile Fiber holder;

  public LwktSerializer(String name) {
    this(name, 64);
  }

  public LwktSerializer(String name, int maxWaiters) {
    this.name = name;
    this.waiters = new WaitChannel(maxWaiters);
  }

  /**
   * {@code lwkt_serialize_enter}: acquires the serializer, sleeping while another fiber holds it.
   *
   * @throws IllegalStateException if {@code self} already holds it (serializers do not nest)
   */
  public void enter(Fiber self) {
    if (holder == self) {
      throw new IllegalStateException("fiber '" + self.name() + "' already holds serializer '" + name + "'");
    }
    self.charge(Cost.ATOMIC);
    word.write(self); // the serializer's word moves between CPUs that enter it (issue 12)
    spin.lock();
    while (holder != null) {
      if (!waiters.add(self)) {
        spin.unlock();
        throw waiters.full("serializer '" + name + "'");
      }
      spin.unlock();
      self.block("lwkt_serialize_enter");
      spin.lock();
      waiters.remove(self);
    }
    holder = self;
    spin.unlock();
  }

  /**
   * {@code lwkt_serialize_exit}: releases the serializer and wakes the fibers waiting for it.
   *
   * @throws IllegalStateException if {@code self} does not hold it
   */
  public void exit(Fiber self) {
    spin.lock();
    if (holder != self) {
      spin.unlock();
      throw new IllegalStateException("fiber '" + self.name() + "' releases serializer '" + name + "' it does not hold");
    }
    holder = null;
    waiters.wakeAll();
    spin.unlock();
  }

  /** {@code IS_SERIALIZED}: whether {@code f} holds the serializer. */
  public boolean isHeldBy(Fiber f) {
    return holder == f;
  }

  public String name() {
    return name;
  }
}
