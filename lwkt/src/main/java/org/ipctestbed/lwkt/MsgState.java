package org.ipctestbed.lwkt;

/**
 * The life-cycle state of an {@link LwktMsg}, derived from its {@link MsgFlags} (research/lwkt.md
 * sections 1 and 2; invariants 1-3 of section 6). Who owns the message follows from the state:
 *
 * <pre>
 *            send/domsg              put (same CPU)                pull (getport/waitport)
 *   OWNED ─────────────▶ IN_PROGRESS ───────────────▶ QUEUED ─────────────────────────▶ IN_PROGRESS
 *     ▲  ▲   put (other CPU) │  ▲  arrival on the owner's CPU  │ dropmsg                   │ replymsg
 *     │  │                   ▼  │                             ▼                           │
 *     │  │             IN_TRANSIT ─────────▶ QUEUED        OWNED                          │
 *     │  │ SYNC reply (same CPU), sync completion, null reply port                        │
 *     │  └────────────────────────────────────────────────────────────────────────────────┤
 *     │ pull of the reply (waitmsg/getport)      async reply (same CPU)                   │
 *     └──────────── REPLY_QUEUED ◀──────────────────────────────────────────────────────── ┤
 *                        ▲            reply to another CPU                                │
 *                        └──────── REPLY_IN_TRANSIT ◀─────────────────────────────────────┘
 *                          (arrival; a SYNC one goes straight to OWNED)
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

  final int bit() {
    return 1 << ordinal();
  }
}
