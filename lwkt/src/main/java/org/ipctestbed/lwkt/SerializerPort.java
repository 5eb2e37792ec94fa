package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Fiber;

/**
 * A port protected by an {@link LwktSerializer} that every caller already holds: DragonFly's
 * serializer port back-end ({@code lwkt_initport_serialize}, {@code lwkt_serialize_*}; research/
 * lwkt.md section 3), used by network drivers with one LWKT thread to pipeline their work. The
 * operations are the spin port's ({@link SharedPort}), except that the serializer is the lock: each
 * operation asserts that the caller holds it ({@code ASSERT_SERIALIZED}, refused with a {@link
 * PortException} before anything changed), taking it costs nothing more (it is held), and sleeping
 * releases it and takes it back ({@code zsleep}). {@code dropmsg} is illegal.
 */
public final class SerializerPort extends SharedPort {
  private final LwktSerializer slz;

  public SerializerPort(String name, LwktSerializer slz) {
    super(name, 64);
    this.slz = java.util.Objects.requireNonNull(slz, "serializer");
  }

  @Override
  public String kind() {
    return "serializer port";
  }

  /** The serializer callers must hold. */
  public LwktSerializer serializer() {
    return slz;
  }

  @Override
  void checkAccess(Fiber self, String op) {
    if (!slz.isHeldBy(self)) {
      throw new PortException(op + " on " + this + " by fiber '" + self.name() + "' without holding serializer '"
          + slz.name() + "' (ASSERT_SERIALIZED)");
    }
  }

  @Override
  void chargeLock(Fiber self) {
    // The caller holds the serializer already.
  }

  @Override
  void lock() {
    // The serializer is the lock, held by the caller.
  }

  @Override
  void unlock() {
    // Released by the caller.
  }

  @Override
  void sleepLocked(Fiber self, String reason) {
    slz.exit(self);
    self.block(reason);
    slz.enter(self);
  }
}
