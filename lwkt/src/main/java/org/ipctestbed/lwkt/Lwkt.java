package org.ipctestbed.lwkt;

import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;

/**
 * The LWKT message operations: DragonFly's {@code lwkt_initmsg}, {@code lwkt_sendmsg}, {@code
 * lwkt_domsg}, {@code lwkt_forwardmsg}, {@code lwkt_replymsg}, {@code lwkt_waitmsg}, {@code
 * lwkt_waitport}, {@code lwkt_getport}, {@code lwkt_abortmsg}, {@code lwkt_dropmsg} and {@code
 * lwkt_checkmsg} (modern semantics, research/lwkt.md section 2). Each goes through the function
 * vector of the port involved; each takes the calling fiber ({@code curthread}) explicitly.
 *
 * <p>Hot path: nothing here allocates, locks or throws unless the call is a misuse. A misuse (a send
 * of a message that is not owned by the sender, a reply to a message that is not in progress, an
 * operation the port kind forbids, a wait on a port one does not own) throws {@link
 * MsgStateException} or {@link PortException} before anything has changed, where DragonFly would
 * panic; the offending fiber may catch it and the others go on.
 *
 * <p>Interruptible waits: {@link #PCATCH} in the {@code flags} of {@link #domsg}, {@link #waitmsg}
 * or {@link #waitport} on a {@link ThreadPort} makes the wait interruptible by {@link
 * ThreadPort#signal()}: {@code waitmsg} then calls {@link #abortmsg} once and still waits for the
 * reply; {@code waitport} returns {@code null}. Spin and serializer ports ignore {@code PCATCH}. Not
 * modelled: {@code lwkt_sendmsg_oncpu}, {@code ERESTART}.
 */
public final class Lwkt {
  private Lwkt() {}

  /** DragonFly's {@code EASYNC}: the port took the message and will reply later. */
  public static final int EASYNC = Status.EASYNC;

  /** {@code PCATCH}: the wait may be interrupted by a signal ({@link ThreadPort#signal()}). */
  public static final int PCATCH = 0x0100;

  /** {@code ESRCH}: the owner of the target port died (its exit path completed the message). */
  public static final int ESRCH = Status.ESRCH;

  /** {@code ENOENT}: {@code dropmsg} found nothing to drop. */
  public static final int ENOENT = 2;

  /**
   * {@code lwkt_initmsg}: flags = {@code DONE | flags}, reply port set. The message must be owned by
   * the caller (not in flight).
   *
   * @param flags any of {@link MsgFlags#USER_BITS} ({@code ABORTABLE}, {@code DROPABLE}, {@code
   *     PRIORITY}, {@code NORESCHED})
   * @throws MsgStateException if the message is in flight
   * @throws IllegalArgumentException if {@code flags} has {@code ABORTABLE} (use {@link
   *     #initmsgAbortable}, which takes the abort function) or bits other than the user bits
   */
  public static void initmsg(LwktMsg msg, LwktPort replyPort, int flags) {
    if ((flags & ~MsgFlags.USER_BITS) != 0 || (flags & MsgFlags.ABORTABLE) != 0) {
      throw new IllegalArgumentException("initmsg flags must be DROPABLE, PRIORITY or NORESCHED, got "
          + MsgFlags.describe(flags) + (((flags & MsgFlags.ABORTABLE) != 0) ? " (use initmsgAbortable)" : ""));
    }
    msg.init(java.util.Objects.requireNonNull(replyPort, "reply port"), flags);
    msg.abortFn = null;
  }

  /** {@code lwkt_initmsg_abortable}: as {@link #initmsg} plus {@code ABORTABLE} and the abort function. */
  public static void initmsgAbortable(LwktMsg msg, LwktPort replyPort, int flags, LwktMsg.AbortFunction abortFn) {
    msg.init(java.util.Objects.requireNonNull(replyPort, "reply port"), flags | MsgFlags.ABORTABLE);
    msg.abortFn = java.util.Objects.requireNonNull(abortFn, "abort function");
  }

  /**
   * Everything that could refuse a send, checked before the message changes (invariant 17): the
   * message's state, a reply port, and the put itself (the port kind, the caller's access).
   */
  private static void checkSendable(Fiber self, LwktPort port, LwktMsg msg, MsgTransition t) {
    if (msg.replyPort == null) {
      throw new MsgStateException(msg, "send without a reply port (call Lwkt.initmsg first)", msg.flags());
    }
    msg.check(t);
    port.checkPut(self, msg);
  }

  /**
   * {@code lwkt_sendmsg}: asynchronous. Clears {@code REPLY|SYNC|DONE} and puts the message; if the
   * port completes it synchronously, replies it at once, so that the reply is queued on the reply
   * port as usual (invariant 6). The message is the target's until the reply is pulled.
   */
  public static void sendmsg(Fiber self, LwktPort port, LwktMsg msg) {
    checkSendable(self, port, msg, MsgTransition.SEND);
    msg.apply(MsgTransition.SEND);
    int error = port.putport(self, msg);
    if (error != EASYNC) {
      replymsg(self, msg, error);
    }
  }

  /**
   * {@code lwkt_domsg}: synchronous. Sets {@code SYNC} and puts the message; if the port answers
   * {@code EASYNC}, waits for it ({@link #waitmsg}); otherwise the port completed it in the caller's
   * context: the message becomes {@code DONE|REPLY} and the result returns at once, without any
   * thread switch (invariant 5).
   *
   * @return the message's result code ({@code ms_error})
   */
  public static int domsg(Fiber self, LwktPort port, LwktMsg msg, int flags) {
    checkSendable(self, port, msg, MsgTransition.DOMSG);
    if (!(port instanceof SpecialPorts.PutOnly)) {
      // The put will answer EASYNC: the caller must be able to wait on its reply port. A put-only
      // port's function may complete the message at once, so there the wait is checked only if needed.
      msg.replyPort.checkWait(self, msg);
    }
    msg.apply(MsgTransition.DOMSG);
    int error = port.putport(self, msg);
    if (error == EASYNC) {
      return waitmsg(self, msg, flags);
    }
    msg.error = error;
    msg.apply(MsgTransition.COMPLETE);
    return error;
  }

  /**
   * {@code lwkt_forwardmsg}: puts a message in progress (received, not yet replied) to another port,
   * keeping its reply port; if that port completes it synchronously, replies it.
   *
   * @return what the put returned ({@link #EASYNC} or the synchronous result)
   */
  public static int forwardmsg(Fiber self, LwktPort port, LwktMsg msg) {
    checkSendable(self, port, msg, MsgTransition.FORWARD);
    ThreadPort.release(msg);
    int error = port.putport(self, msg);
    if (error != EASYNC) {
      replymsg(self, msg, error);
    }
    return error;
  }

  /**
   * {@code lwkt_replymsg}: sets {@code ms_error} and calls the <em>reply port's</em> reply function
   * (invariant 4). The message must be in progress: replied exactly once (invariant 10).
   */
  public static void replymsg(Fiber self, LwktMsg msg, int error) {
    msg.check(MsgTransition.COMPLETE);
    int saved = msg.error;
    msg.error = error;
    try {
      msg.replyPort.replyport(self, msg);
    } catch (RuntimeException refused) {
      msg.error = saved; // the reply port refused: nothing changed (invariant 17)
      throw refused;
    }
    ThreadPort.release(msg);
  }

  /**
   * {@code lwkt_replymsg} called from an interrupt handler (a device's completion interrupt, a timer
   * callout: {@code Cpu.callout}), where there is no thread to charge: the interrupt's cost is the
   * CPU's. Only a {@link ThreadPort} reply port takes a reply at interrupt level (it takes no lock);
   * any other is refused, nothing changed.
   */
  public static void replymsgFromInterrupt(LwktMsg msg, int error) {
    msg.check(MsgTransition.COMPLETE);
    if (!(msg.replyPort instanceof ThreadPort port)) {
      throw new PortException("a reply at interrupt level needs a thread port as reply port, not " + msg.replyPort);
    }
    msg.error = error;
    port.replyport(null, msg);
    ThreadPort.release(msg);
  }

  /**
   * {@code lwkt_beginmsg} of the E2 era (research/lwkt.md section 7, 2003-2007, with the {@code
   * MSGF_ASYNC} hint): puts the message and lets the caller decide afterwards how to wait. The
   * message is marked {@code SYNC} unless {@code async}. If the put completes it in the caller's
   * context, the message becomes {@code DONE|REPLY} at once and the result returns (queued nowhere,
   * as {@code domsg}'s fast path); if the put answers {@link #EASYNC}, the target replies later: an
   * asynchronous message is then queued on its reply port, a synchronous one only marked done (wait
   * for it with {@link #waitmsg}). This is what DragonFly's 2003 {@code sendsys} did.
   *
   * @return the synchronous result, or {@link #EASYNC}
   */
  public static int beginmsg(Fiber self, LwktPort port, LwktMsg msg, boolean async) {
    MsgTransition t = async ? MsgTransition.SEND : MsgTransition.DOMSG;
    checkSendable(self, port, msg, t);
    msg.apply(t);
    int error = port.putport(self, msg);
    if (error != EASYNC) {
      msg.error = error;
      msg.apply(MsgTransition.COMPLETE);
    }
    return error;
  }

  /**
   * {@code lwkt_nullreply} as reply functions use it ({@code lwkt_null_replyport}): marks a message in
   * progress {@code DONE|REPLY}, queueing it nowhere and waking nobody.
   */
  public static void nullReply(LwktMsg msg) {
    msg.apply(MsgTransition.COMPLETE);
  }

  /**
   * {@code lwkt_waitmsg}: blocks until the message is {@code DONE}; pulls it off the reply port if it
   * was queued there. Through the reply port's vector; a {@code DROPABLE} message cannot be waited
   * on.
   *
   * @return the message's result code
   */
  public static int waitmsg(Fiber self, LwktMsg msg, int flags) {
    return msg.replyPort.waitmsg(self, msg, flags);
  }

  /**
   * {@code lwkt_waitport}: blocks until a message is on {@code port}, pulls and returns it; {@code
   * null} only when a {@link #PCATCH} wait is interrupted.
   */
  public static LwktMsg waitport(Fiber self, LwktPort port, int flags) {
    return port.waitport(self, flags);
  }

  /** {@code lwkt_getport}: pulls the next message (priority queue first), or {@code null}. */
  public static LwktMsg getport(Fiber self, LwktPort port) {
    return port.getport(self);
  }

  /**
   * {@code lwkt_dropmsg}: the target port's owner takes back a queued, not yet replied message and
   * marks it {@code DONE} (not replied). Only a message initialised {@code DROPABLE} may be dropped
   * (invariant 16).
   *
   * @return 0, or {@link #ENOENT} if the message is not queued as a request on its target port
   * @throws MsgStateException if the message is not {@code DROPABLE} (nothing changed)
   */
  public static int dropmsg(Fiber self, LwktMsg msg) {
    if (!msg.has(MsgFlags.DROPABLE)) {
      // KKASSERT(msg->ms_flags & MSGF_DROPABLE) in the modern lwkt_dropmsg (invariant 16).
      throw new MsgStateException(msg, "dropmsg of a message not initialised DROPABLE", msg.flags());
    }
    LwktPort port = msg.targetPort;
    if (port == null) {
      return ENOENT;
    }
    return port.dropmsg(self, msg);
  }

  /**
   * {@code lwkt_abortmsg}: if the message is {@code ABORTABLE} and neither {@code DONE} nor {@code
   * REPLY}, calls its abort function (which typically sends an abort request to the target); else
   * does nothing. A request, not a guarantee: the message is still replied exactly once.
   *
   * @return whether the abort function was called
   */
  public static boolean abortmsg(Fiber self, LwktMsg msg) {
    int f = msg.flags();
    if ((f & MsgFlags.ABORTABLE) != 0 && (f & (MsgFlags.DONE | MsgFlags.REPLY)) == 0) {
      msg.abortFn.abort(self, msg);
      return true;
    }
    return false;
  }

  /** {@code lwkt_checkmsg}: whether the message is {@code DONE} (owned by its originator again). */
  public static boolean checkmsg(LwktMsg msg) {
    return msg.has(MsgFlags.DONE);
  }
}
