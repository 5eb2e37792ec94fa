package org.ipctestbed.lwkt;

/**
 * An operation on a message that its life-cycle state does not allow: DragonFly's {@code KKASSERT}
 * on {@code ms_flags} (a kernel panic there; here an exception the offending fiber may catch, thrown
 * before anything changed, so other fibers go on running).
 */
public final class MsgStateException extends IllegalStateException {
  private final transient LwktMsg msg;

  MsgStateException(LwktMsg msg, MsgTransition t, int flags) {
    super(t + " of " + msg.getClass().getSimpleName() + " needs state " + t.from() + " but it is "
        + MsgState.of(flags) + " (flags " + MsgFlags.describe(flags) + ")" + hint(t));
    this.msg = msg;
  }

  MsgStateException(LwktMsg msg, String op, int flags) {
    super(op + " of " + msg.getClass().getSimpleName() + " not allowed in state " + MsgState.of(flags)
        + " (flags " + MsgFlags.describe(flags) + ")");
    this.msg = msg;
  }

  private static String hint(MsgTransition t) {
    return switch (t) {
      case SEND, DOMSG -> ": a message may be sent only when it is DONE and not QUEUED (owned by the sender)";
      case COMPLETE, REPLY_QUEUE, REPLY_DEPART -> ": only a message in progress may be replied";
      case FORWARD -> ": only a message in progress (not QUEUED, DONE or REPLY) may be forwarded";
      default -> "";
    };
  }

  /** The message the operation was refused for. */
  public LwktMsg msg() {
    return msg;
  }
}
