package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * The body the spin port and the serializer port share (research/lwkt.md section 3, rows "spin port"
 * and "serializer port": "as spin, under the serializer"): DragonFly's {@code lwkt_spin_*} and {@code
 * lwkt_serialize_*} vectors do the same queue work and differ only in what protects the queues and
 * how a waiter sleeps. Those differences are the four hooks a subclass implements; the operations
 * are written once here.
 *
 * <p>Sleeping: a synchronous ({@code SYNC}) waiter sleeps on the message ({@code MSGF_WAITING} and
 * the message's waiter), an asynchronous one and {@code waitport} on the port ({@code
 * MSGPORTF_WAITING}); the waker clears the flag and wakes every sleeper of the port, as the
 * original's {@code wakeup()} does. Charges are made before the lock is taken (a spin-lock holder
 * never reaches a substrate primitive).
 */
abstract sealed class SharedPort extends LwktPort permits SpinPort, SerializerPort {
  final WaitChannel sleepers;

  SharedPort(String name, int maxSleepers) {
    super(name);
    this.sleepers = new WaitChannel(maxSleepers);
  }

  /** Refuses (throws, nothing changed) an operation by a caller without the access the kind requires. */
  abstract void checkAccess(Fiber self, String op);

  /** Charges what taking the protection costs ({@link Cost#ATOMIC} for a spin lock; nothing for a held serializer). */
  abstract void chargeLock(Fiber self);

  abstract void lock();

  abstract void unlock();

  /** Sleeps with the protection held, giving it up meanwhile ({@code ssleep}/{@code zsleep}); returns holding it. */
  abstract void sleepLocked(Fiber self, String reason);

  private void sleepOnPort(Fiber self, String reason) {
    if (!sleepers.add(self)) {
      unlock();
      throw sleepers.full(toString());
    }
    portFlags |= MSGPORTF_WAITING;
    sleepLocked(self, reason);
    sleepers.remove(self);
  }

  /** With the protection held: wakes the port's sleepers if any sleeps ({@code MSGPORTF_WAITING}). */
  private void wakePortSleepers() {
    if ((portFlags & MSGPORTF_WAITING) != 0) {
      portFlags &= ~MSGPORTF_WAITING;
      sleepers.wakeAll();
    }
  }

  @Override
  final void checkPut(Fiber self, LwktMsg msg) {
    checkAccess(self, "putport");
  }

  @Override
  final void checkWait(Fiber self, LwktMsg msg) {
    checkWaitable(msg);
    checkAccess(self, "waitmsg");
  }

  @Override
  final LwktMsg getport(Fiber self) {
    checkAccess(self, "getport");
    chargeLock(self);
    lock();
    LwktMsg m = poll();
    if (m != null) {
      pullAny(m);
    }
    unlock();
    if (m != null) {
      self.charge(Cost.QUEUE_OP);
    }
    return m;
  }

  @Override
  final int putport(Fiber self, LwktMsg msg) {
    checkAccess(self, "putport");
    msg.check(MsgTransition.PUSH);
    chargeLock(self);
    self.charge(Cost.QUEUE_OP);
    lock();
    try {
      msg.targetPort = this;
      push(msg, MsgTransition.PUSH);
      wakePortSleepers();
    } finally {
      unlock();
    }
    return Lwkt.EASYNC;
  }

  @Override
  final LwktMsg waitport(Fiber self, int flags) {
    checkAccess(self, "waitport");
    chargeLock(self);
    lock();
    LwktMsg m;
    while ((m = poll()) == null) {
      sleepOnPort(self, "lwkt_waitport");
    }
    pullAny(m);
    unlock();
    self.charge(Cost.QUEUE_OP);
    return m;
  }

  @Override
  final int waitmsg(Fiber self, LwktMsg msg, int flags) {
    checkWait(self, msg);
    chargeLock(self);
    lock();
    while (!msg.has(MsgFlags.DONE)) {
      if (msg.has(MsgFlags.SYNC)) {
        msg.waiter = self;
        msg.setAux(MsgFlags.WAITING, true);
        sleepLocked(self, "lwkt_waitmsg");
      } else {
        sleepOnPort(self, "lwkt_waitmsg");
      }
    }
    boolean pulled = false;
    if (msg.has(MsgFlags.QUEUED)) {
      pull(msg, MsgTransition.PULL_REPLY);
      pulled = true;
    }
    unlock();
    if (pulled) {
      self.charge(Cost.QUEUE_OP);
    }
    return msg.error;
  }

  @Override
  final void replyport(Fiber self, LwktMsg msg) {
    checkAccess(self, "replymsg");
    if (msg.has(MsgFlags.SYNC)) {
      msg.check(MsgTransition.COMPLETE);
      chargeLock(self);
      Fiber wake = null;
      lock();
      try {
        msg.apply(MsgTransition.COMPLETE);
        if (msg.has(MsgFlags.WAITING)) {
          msg.setAux(MsgFlags.WAITING, false);
          wake = msg.waiter;
          msg.waiter = null;
        }
      } finally {
        unlock();
      }
      if (wake != null) {
        wake.wake();
      }
    } else {
      msg.check(MsgTransition.REPLY_QUEUE);
      chargeLock(self);
      self.charge(Cost.QUEUE_OP);
      lock();
      try {
        push(msg, MsgTransition.REPLY_QUEUE);
        wakePortSleepers();
      } finally {
        unlock();
      }
    }
  }
}
