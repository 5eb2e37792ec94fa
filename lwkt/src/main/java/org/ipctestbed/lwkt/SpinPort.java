package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * A port shared by any threads on any CPUs, under a spin lock: DragonFly's spin port back-end
 * ({@code lwkt_initport_spin}, {@code lwkt_spin_*}; research/lwkt.md section 3, "spin port").
 * "Somewhat more overhead than thread ports": every operation takes the lock ({@link Cost#ATOMIC})
 * and a put or reply from another CPU wakes sleepers with a cross-CPU wake-up instead of queueing
 * through the owner's CPU.
 *
 * <p>Sleeping: a synchronous ({@code SYNC}) waiter sleeps on the message ({@code MSGF_WAITING}), an
 * asynchronous one and {@code waitport} on the port ({@code MSGPORTF_WAITING}); the waker clears the
 * flag and wakes every sleeper, as the original's {@code wakeup()} does. {@code dropmsg} is legal
 * only if the port was given an owner thread (otherwise the original installs the panic vector).
 */
public final class SpinPort extends LwktPort {
  private final SpinLock spin = new SpinLock();
  private final WaitChannel sleepers;
  private final Fiber owner;

  /** A spin port with an optional owner thread (the only one that may drop messages), {@code null} for none. */
  public SpinPort(String name, Fiber owner) {
    this(name, owner, 64);
  }

  /** As {@link #SpinPort(String, Fiber)}, allowing up to {@code maxSleepers} fibers asleep on the port at once. */
  public SpinPort(String name, Fiber owner, int maxSleepers) {
    super(name);
    this.owner = owner;
    this.sleepers = new WaitChannel(maxSleepers);
  }

  @Override
  public String kind() {
    return "spin port";
  }

  @Override
  boolean canPut() {
    return true;
  }

  @Override
  LwktMsg getport(Fiber self) {
    self.charge(Cost.ATOMIC);
    spin.lock();
    LwktMsg m = poll();
    if (m != null) {
      pullAny(m);
    }
    spin.unlock();
    return m;
  }

  @Override
  int putport(Fiber self, LwktMsg msg) {
    msg.check(MsgTransition.PUSH);
    self.charge(Cost.ATOMIC);
    self.charge(Cost.QUEUE_OP);
    spin.lock();
    try {
      msg.targetPort = this;
      push(msg, MsgTransition.PUSH);
      if ((portFlags & MSGPORTF_WAITING) != 0) {
        portFlags &= ~MSGPORTF_WAITING;
        sleepers.wakeAll();
      }
    } finally {
      spin.unlock();
    }
    return Lwkt.EASYNC;
  }

  @Override
  LwktMsg waitport(Fiber self, int flags) {
    self.charge(Cost.ATOMIC);
    spin.lock();
    LwktMsg m;
    while ((m = poll()) == null) {
      if (!sleepers.add(self)) {
        spin.unlock();
        throw sleepers.full(toString());
      }
      portFlags |= MSGPORTF_WAITING;
      spin.unlock();
      self.block("lwkt_spin_waitport");
      spin.lock();
      sleepers.remove(self);
    }
    pullAny(m);
    spin.unlock();
    self.charge(Cost.QUEUE_OP);
    return m;
  }

  @Override
  int waitmsg(Fiber self, LwktMsg msg, int flags) {
    checkWaitable(msg);
    self.charge(Cost.ATOMIC);
    spin.lock();
    while (!msg.has(MsgFlags.DONE)) {
      if (msg.has(MsgFlags.SYNC)) {
        msg.waiter = self;
        msg.setAux(MsgFlags.WAITING, true);
      } else {
        if (!sleepers.add(self)) {
          spin.unlock();
          throw sleepers.full(toString());
        }
        portFlags |= MSGPORTF_WAITING;
      }
      spin.unlock();
      self.block("lwkt_spin_waitmsg");
      spin.lock();
      sleepers.remove(self);
    }
    boolean pulled = false;
    if (msg.has(MsgFlags.QUEUED)) {
      pull(msg, MsgTransition.PULL_REPLY);
      pulled = true;
    }
    spin.unlock();
    if (pulled) {
      self.charge(Cost.QUEUE_OP);
    }
    return msg.error;
  }

  @Override
  void replyport(Fiber self, LwktMsg msg) {
    if (msg.has(MsgFlags.SYNC)) {
      msg.check(MsgTransition.COMPLETE);
      self.charge(Cost.ATOMIC);
      Fiber wake = null;
      spin.lock();
      try {
        msg.apply(MsgTransition.COMPLETE);
        if (msg.has(MsgFlags.WAITING)) {
          msg.setAux(MsgFlags.WAITING, false);
          wake = msg.waiter;
          msg.waiter = null;
        }
      } finally {
        spin.unlock();
      }
      if (wake != null) {
        wake.wake();
      }
    } else {
      msg.check(MsgTransition.REPLY_QUEUE);
      self.charge(Cost.ATOMIC);
      self.charge(Cost.QUEUE_OP);
      spin.lock();
      try {
        push(msg, MsgTransition.REPLY_QUEUE);
        if ((portFlags & MSGPORTF_WAITING) != 0) {
          portFlags &= ~MSGPORTF_WAITING;
          sleepers.wakeAll();
        }
      } finally {
        spin.unlock();
      }
    }
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
      if ((msg.flags() & (MsgFlags.REPLY | MsgFlags.QUEUED)) == MsgFlags.QUEUED
          && (msg.queue == msgq || msg.queue == msgqPrio)) {
        pull(msg, MsgTransition.DROP);
        return 0;
      }
      return Lwkt.ENOENT;
    } finally {
      spin.unlock();
    }
  }
}
