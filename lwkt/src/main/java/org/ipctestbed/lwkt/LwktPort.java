package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Fiber;

/**
 * A message port: DragonFly's {@code struct lwkt_port} (research/lwkt.md sections 1 and 3). Two
 * queues (normal and priority), the port flag {@code MSGPORTF_WAITING}, and the function vector
 * {@code mp_getport, mp_putport, mp_waitmsg, mp_waitport, mp_replyport, mp_dropmsg}: here the six
 * overridable methods of this class. Every operation of {@link Lwkt} goes through the vector of the
 * port involved, so a port kind is just a set of methods; the defaults are DragonFly's {@code
 * lwkt_panic_*} functions, which refuse the operation with a {@link PortException} naming the port
 * and the operation (a kernel panic in DragonFly).
 *
 * <p>Kinds, made by the factories: {@link ThreadPort} ({@code lwkt_initport_thread}), {@link
 * SpinPort} ({@code lwkt_initport_spin}), {@link SerializerPort} ({@code lwkt_initport_serialize}),
 * {@link #replyOnlyNull}, {@link #replyOnly}, {@link #putOnly} and {@link #panic}.
 *
 * <p>The vector methods take the calling fiber ({@code curthread}) explicitly; they charge the named
 * costs of what they do (queue operations, IPI sends, atomic operations) through it, always before
 * changing any state, so that a refused operation leaves nothing behind. Not modelled: the later
 * {@code mp_putport_oncpu} vector.
 */
public abstract class LwktPort {
  /** {@code MSGPORTF_WAITING}: the owner (or some thread) sleeps on the port. */
  public static final int MSGPORTF_WAITING = 0x0001;

  /** A put-only port's {@code mp_putport}: complete {@code msg} (return a code) or take it ({@code EASYNC}). */
  @FunctionalInterface
  public interface PutFunction {
    /**
     * Runs in the sender's context. Return a result code to complete the message synchronously
     * (the sender replies or marks it done), or {@link Lwkt#EASYNC} after taking it: then whoever
     * took it must reply it exactly once (for instance by {@link Lwkt#forwardmsg}).
     */
    int put(Fiber self, LwktPort port, LwktMsg msg);
  }

  /** A reply-only port's {@code mp_replyport}: called by {@code replymsg} with the message in progress. */
  @FunctionalInterface
  public interface ReplyFunction {
    /** Must complete {@code msg} (for instance {@link Lwkt#nullReply}) or hand it on. */
    void reply(Fiber self, LwktPort port, LwktMsg msg);
  }

  final String name;
  final LwktMsgQueue msgq;
  final LwktMsgQueue msgqPrio;
  volatile int portFlags;
  long repliesQueued;

  LwktPort(String name) {
    this.name = name;
    this.msgq = new LwktMsgQueue(name + ".msgq");
    this.msgqPrio = new LwktMsgQueue(name + ".msgq_prio");
  }

  // ------------------------------------------------------------------ factories

  /** {@code lwkt_initport_replyonly_null}: a reply only marks the message DONE|REPLY. */
  public static LwktPort replyOnlyNull(String name) {
    return new SpecialPorts.ReplyOnlyNull(name);
  }

  /** {@code lwkt_initport_replyonly(fn)}: a reply calls {@code fn}; everything else is illegal. */
  public static LwktPort replyOnly(String name, ReplyFunction fn) {
    return new SpecialPorts.ReplyOnly(name, fn);
  }

  /** {@code lwkt_initport_putonly(fn)}: a put calls {@code fn}; everything else is illegal. */
  public static LwktPort putOnly(String name, PutFunction fn) {
    return new SpecialPorts.PutOnly(name, fn);
  }

  /** {@code lwkt_initport_panic}: every operation is illegal. */
  public static LwktPort panic(String name) {
    return new SpecialPorts.Panic(name);
  }

  // ------------------------------------------------------------------ the function vector

  /** {@code mp_getport}: pull the next message, priority queue first, or {@code null}. */
  LwktMsg getport(Fiber self) {
    throw illegal("getport", null);
  }

  /** {@code mp_putport}: take {@code msg} (in progress); return {@link Lwkt#EASYNC} or a sync result. */
  int putport(Fiber self, LwktMsg msg) {
    throw illegal("putport (sendmsg/domsg/forwardmsg)", msg);
  }

  /**
   * Refuses, by throwing before anything changed, a put that {@link #putport} would refuse: illegal on
   * this kind, or a caller without the access the kind requires (invariant 17). Called by {@code
   * sendmsg}, {@code domsg} and {@code forwardmsg} before they touch the message.
   */
  void checkPut(Fiber self, LwktMsg msg) {
    throw illegal("putport (sendmsg/domsg/forwardmsg)", msg);
  }

  /**
   * Refuses, by throwing before anything changed, a {@link #waitmsg} of {@code msg} by {@code self}
   * that this port (the message's reply port) would refuse: called by {@code domsg} before the send,
   * so that a {@code domsg} that could not wait for its reply never leaves the message in flight
   * (invariant 17).
   */
  void checkWait(Fiber self, LwktMsg msg) {
    throw illegal("waitmsg", msg);
  }

  /** {@code mp_waitmsg} of the reply port: block until {@code msg} is DONE, pull a queued reply. */
  int waitmsg(Fiber self, LwktMsg msg, int flags) {
    throw illegal("waitmsg", msg);
  }

  /** {@code mp_waitport}: block until a message is queued, pull and return it. */
  LwktMsg waitport(Fiber self, int flags) {
    throw illegal("waitport", null);
  }

  /** {@code mp_replyport}: {@code msg} (in progress, {@code ms_error} set) is replied to this port. */
  void replyport(Fiber self, LwktMsg msg) {
    throw illegal("replymsg", msg);
  }

  /** {@code mp_dropmsg}: pull a queued, not replied message and mark it DONE, else {@link Lwkt#ENOENT}. */
  int dropmsg(Fiber self, LwktMsg msg) {
    throw illegal("dropmsg", msg);
  }

  // ------------------------------------------------------------------ queue helpers (_lwkt_*)

  /** {@code _lwkt_pushmsg} (or {@code _lwkt_enqueue_reply}): transition {@code t}, then queue. */
  final void push(LwktMsg m, MsgTransition t) {
    if (m.queue != null) {
      throw new MsgStateException(m, "queueing on port '" + name + "' (already on " + m.queue + ")", m.flags());
    }
    m.apply(t);
    (m.has(MsgFlags.PRIORITY) ? msgqPrio : msgq).insertTail(m);
    if (t == MsgTransition.REPLY_QUEUE || t == MsgTransition.REPLY_ARRIVE_QUEUE) {
      repliesQueued++;
    }
  }

  /** {@code _lwkt_pullmsg}: off this port's queue, then transition (PULL, PULL_REPLY or DROP). */
  final void pull(LwktMsg m, MsgTransition t) {
    if (m.queue != msgq && m.queue != msgqPrio) {
      throw new MsgStateException(m, "pull from port '" + name + "' (it is on " + m.queue + ")", m.flags());
    }
    m.apply(t);
    m.queue.remove(m);
  }

  /** {@code _lwkt_pullmsg} of whatever {@code m} is: a reply or a request. */
  final void pullAny(LwktMsg m) {
    pull(m, m.has(MsgFlags.REPLY) ? MsgTransition.PULL_REPLY : MsgTransition.PULL);
  }

  /** Pull of the next message by its owner: poll, pull, charge a queue operation; {@code null} if none. */
  final LwktMsg pullNext(Fiber self) {
    LwktMsg m = poll();
    if (m != null) {
      pullAny(m);
      self.charge(org.ipctestbed.substrate.Cost.QUEUE_OP);
    }
    return m;
  }

  /**
   * The body every {@code mp_dropmsg} shares: if {@code msg} is queued on this port as a request (not
   * a reply), pull it and mark it {@code DONE} (never replied, invariant 19); else {@link
   * Lwkt#ENOENT}. Under the port's discipline (the owner's CPU, the port's lock).
   */
  final int dropIfQueuedRequest(LwktMsg msg) {
    if ((msg.flags() & (MsgFlags.REPLY | MsgFlags.QUEUED)) == MsgFlags.QUEUED
        && (msg.queue == msgq || msg.queue == msgqPrio)) {
      pull(msg, MsgTransition.DROP);
      return 0;
    }
    return Lwkt.ENOENT;
  }

  /** {@code KASSERT((ms_flags & MSGF_DROPABLE) == 0, "can't wait dropable message")}. */
  final void checkWaitable(LwktMsg msg) {
    if (msg.has(MsgFlags.DROPABLE)) {
      throw new PortException("waitmsg on " + this + ": a DROPABLE message cannot be waited on (" + msg + ")");
    }
  }

  /** {@code _lwkt_pollmsg}: the first message, priority queue first, not removed. */
  final LwktMsg poll() {
    LwktMsg m = msgqPrio.first();
    return m != null ? m : msgq.first();
  }

  final PortException illegal(String op, LwktMsg msg) {
    return new PortException(
        op + " is illegal on " + kind() + " '" + name + "'" + (msg == null ? "" : " (message " + msg + ")"));
  }

  // ------------------------------------------------------------------ inspection

  /** The port's name, for reports and errors. */
  public final String name() {
    return name;
  }

  /** The kind, as DragonFly's initialiser names it ({@code thread port}, {@code spin port}, ...). */
  public abstract String kind();

  /** Messages queued (both queues). Exact from the port's owner or after the run. */
  public final int queued() {
    return msgq.size() + msgqPrio.size();
  }

  /** The normal queue. */
  public final LwktMsgQueue msgq() {
    return msgq;
  }

  /** The priority queue, polled first. */
  public final LwktMsgQueue msgqPrio() {
    return msgqPrio;
  }

  /** Replies queued on this port so far (asynchronous replies; invariant 7). */
  public final long repliesQueued() {
    return repliesQueued;
  }

  /** Whether {@code MSGPORTF_WAITING} is set. */
  public final boolean isWaiting() {
    return (portFlags & MSGPORTF_WAITING) != 0;
  }

  @Override
  public String toString() {
    return kind() + " '" + name + "'";
  }
}
