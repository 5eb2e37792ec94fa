package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * A port protected by an {@link LwktSerializer} that every caller already holds: DragonFly's
 * serializer port back-end ({@code lwkt_initport_serialize}, {@code lwkt_serialize_*}; research/
 * lwkt.md section 3), used by network drivers with one LWKT thread to pipeline their work. As the
 * spin port, except that the serializer is the lock: each operation asserts that the caller holds
 * it ({@code ASSERT_SERIALIZED}, refused with a {@link PortException} otherwise), and sleeping
 * releases it and takes it back ({@code zsleep}). {@code dropmsg} is illegal.
 */
public final class SerializerPort extends LwktPort {
  private final LwktSerializer slz;
  private final WaitChannel sleepers;

  public SerializerPort(String name, LwktSerializer slz) {
    super(name);
    this.slz = java.util.Objects.requireNonNull(slz, "serializer");
    this.sleepers = new WaitChannel(64);
  }

  @Override
  public String kind() {
    return "serializer port";
  }

  /** The serializer callers must hold. */
  public LwktSerializer serializer() {
    return slz;
  }

  private void assertSerialized(Fiber self, String op) {
    if (!slz.isHeldBy(self)) {
      throw new PortException(op + " on " + this + " by fiber '" + self.name() + "' without holding serializer '"
          + slz.name() + "' (ASSERT_SERIALIZED)");
    }
  }

  /** {@code zsleep}: sleep on this port's channel, releasing the serializer meanwhile. */
  private void zsleep(Fiber self, String reason) {
    if (!sleepers.add(self)) {
      throw sleepers.full(toString());
    }
    slz.exit(self);
    self.block(reason);
    slz.enter(self);
    sleepers.remove(self);
  }

  @Override
  boolean canPut() {
    return true;
  }

  @Override
  LwktMsg getport(Fiber self) {
    assertSerialized(self, "getport");
    return pullNext(self);
  }

  @Override
  int putport(Fiber self, LwktMsg msg) {
    assertSerialized(self, "putport");
    msg.check(MsgTransition.PUSH);
    self.charge(Cost.QUEUE_OP);
    msg.targetPort = this;
    push(msg, MsgTransition.PUSH);
    if ((portFlags & MSGPORTF_WAITING) != 0) {
      portFlags &= ~MSGPORTF_WAITING;
      sleepers.wakeAll();
    }
    return Lwkt.EASYNC;
  }

  @Override
  LwktMsg waitport(Fiber self, int flags) {
    assertSerialized(self, "waitport");
    LwktMsg m;
    while ((m = poll()) == null) {
      portFlags |= MSGPORTF_WAITING;
      zsleep(self, "lwkt_serialize_waitport");
    }
    pullAny(m);
    self.charge(Cost.QUEUE_OP);
    return m;
  }

  @Override
  int waitmsg(Fiber self, LwktMsg msg, int flags) {
    checkWaitable(msg);
    assertSerialized(self, "waitmsg");
    while (!msg.has(MsgFlags.DONE)) {
      if (msg.has(MsgFlags.SYNC)) {
        msg.waiter = self;
      } else {
        portFlags |= MSGPORTF_WAITING;
      }
      zsleep(self, "lwkt_serialize_waitmsg");
    }
    if (msg.has(MsgFlags.QUEUED)) {
      pull(msg, MsgTransition.PULL_REPLY);
      self.charge(Cost.QUEUE_OP);
    }
    return msg.error;
  }

  @Override
  void replyport(Fiber self, LwktMsg msg) {
    assertSerialized(self, "replymsg");
    if (msg.has(MsgFlags.SYNC)) {
      msg.apply(MsgTransition.COMPLETE);
      Fiber w = msg.waiter;
      msg.waiter = null;
      if (w != null) {
        w.wake();
      }
    } else {
      msg.check(MsgTransition.REPLY_QUEUE);
      self.charge(Cost.QUEUE_OP);
      push(msg, MsgTransition.REPLY_QUEUE);
      if ((portFlags & MSGPORTF_WAITING) != 0) {
        portFlags &= ~MSGPORTF_WAITING;
        sleepers.wakeAll();
      }
    }
  }
}
