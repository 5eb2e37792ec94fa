package org.ipctestbed.lwkt;

/**
 * The life-cycle state of an {@link LwktMsg}, derived from its {@link MsgFlags} (research/lwkt.md
 * sections 1 and 2; invariants 1-3 of section 6). The transitions, each checked by {@link
 * LwktMsg#apply(MsgTransition)}:
 *
 * <pre>
 *   OWNED ──SEND/DOMSG──▶ IN_PROGRESS                      (sendmsg, domsg)
 *   IN_PROGRESS ──PUSH──▶ QUEUED                           (put on the owner's CPU)
 *   IN_PROGRESS ──PUT_DEPART──▶ IN_TRANSIT ──PUT_ARRIVE──▶ QUEUED   (put from another CPU)
 *   QUEUED ──PULL──▶ IN_PROGRESS                           (getport, waitport by the target)
 *   QUEUED ──DROP──▶ OWNED                                 (dropmsg: DONE, never replied)
 *   IN_PROGRESS ──COMPLETE──▶ OWNED                        (SYNC reply on the reply port's CPU,
 *                                                           null reply port, domsg fast path)
 *   IN_PROGRESS ──REPLY_QUEUE──▶ REPLY_QUEUED              (async reply on the reply port's CPU)
 *   IN_PROGRESS ──REPLY_DEPART──▶ REPLY_IN_TRANSIT         (reply to another CPU)
 *   REPLY_IN_TRANSIT ──REPLY_ARRIVE_SYNC──▶ OWNED
 *   REPLY_IN_TRANSIT ──REPLY_ARRIVE_QUEUE──▶ REPLY_QUEUED
 *   REPLY_QUEUED ──PULL_REPLY──▶ OWNED                     (waitmsg, getport on the reply port)
 * </pre>
 *
 * The originator owns the message in {@link #OWNED} only; in every other state it belongs to the
 * port or the CPU that holds it, and the originator must not touch it (invariant 3).
 */
public enum MsgState {
  /** {@code DONE}, not {@code QUEUED}: owned by the originator, free to send (fresh or completed). */
  OWNED,
  /** Between send and reply, held by the target (or being put): no state bit set. */
  IN_PROGRESS,
  /** {@code INTRANSIT} without {@code REPLY}: a put travelling to the target owner's CPU. */
  IN_TRANSIT,
  /** {@code QUEUED} without {@code REPLY}: waiting on the target port. */
  QUEUED,
  /** {@code REPLY|INTRANSIT}: a reply travelling to the reply port owner's CPU. */
  REPLY_IN_TRANSIT,
  /** {@code DONE|REPLY|QUEUED}: an asynchronous reply waiting on the reply port. */
  REPLY_QUEUED,
  /** Any other combination of state bits: a bug in a port back-end. */
  CORRUPT;

  /** The state that {@code flags} describe. */
  public static MsgState of(int flags) {
    return switch (flags & MsgFlags.STATE_BITS) {
      case MsgFlags.DONE, MsgFlags.DONE | MsgFlags.REPLY -> OWNED;
      case 0 -> IN_PROGRESS;
      case MsgFlags.INTRANSIT -> IN_TRANSIT;
      case MsgFlags.QUEUED -> QUEUED;
      case MsgFlags.REPLY | MsgFlags.INTRANSIT -> REPLY_IN_TRANSIT;
      case MsgFlags.DONE | MsgFlags.REPLY | MsgFlags.QUEUED -> REPLY_QUEUED;
      default -> CORRUPT;
    };
  }
}
