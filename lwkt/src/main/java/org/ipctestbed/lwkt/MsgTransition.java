package org.ipctestbed.lwkt;

import static org.ipctestbed.lwkt.MsgFlags.DONE;
import static org.ipctestbed.lwkt.MsgFlags.INTRANSIT;
import static org.ipctestbed.lwkt.MsgFlags.QUEUED;
import static org.ipctestbed.lwkt.MsgFlags.REPLY;
import static org.ipctestbed.lwkt.MsgFlags.SYNC;

/**
 * Every legal change of a message's life-cycle state, with the flag bits it clears and sets: the
 * state machine of {@link MsgState} written out once, and checked in one place, {@link
 * LwktMsg#apply(MsgTransition)}. Each transition names the DragonFly code that makes it
 * ({@code sys/kern/lwkt_msgport.c}, modern back-ends; research/lwkt.md section 2).
 */
public enum MsgTransition {
  /** {@code lwkt_sendmsg}: the message must be DONE and not QUEUED (KKASSERT in the original). */
  SEND(MsgState.OWNED, REPLY | SYNC | DONE, 0, MsgState.IN_PROGRESS),
  /** {@code lwkt_domsg}: as {@link #SEND} but sets {@code SYNC}. */
  DOMSG(MsgState.OWNED, REPLY | DONE, SYNC, MsgState.IN_PROGRESS),
  /** {@code lwkt_forwardmsg}: only an in-progress message (not QUEUED, DONE or REPLY). */
  FORWARD(MsgState.IN_PROGRESS, 0, 0, MsgState.IN_PROGRESS),
  /** A put to a thread port owned on another CPU leaves in an IPI ({@code lwkt_thread_putport}). */
  PUT_DEPART(MsgState.IN_PROGRESS, 0, INTRANSIT, MsgState.IN_TRANSIT),
  /** {@code lwkt_thread_putport_remote}: arrival on the owner's CPU, queued there. */
  PUT_ARRIVE(MsgState.IN_TRANSIT, INTRANSIT, QUEUED, MsgState.QUEUED),
  /** {@code _lwkt_pushmsg} of a request on the target port. */
  PUSH(MsgState.IN_PROGRESS, 0, QUEUED, MsgState.QUEUED),
  /** {@code _lwkt_pullmsg} of a request by the target (getport, waitport). */
  PULL(MsgState.QUEUED, QUEUED, 0, MsgState.IN_PROGRESS),
  /** {@code lwkt_*_dropmsg}: pulled off the target queue and marked DONE, never replied. */
  DROP(MsgState.QUEUED, QUEUED, DONE, MsgState.OWNED),
  /** A SYNC reply on the reply port's CPU, a null reply port, or the domsg synchronous completion. */
  COMPLETE(MsgState.IN_PROGRESS, 0, DONE | REPLY, MsgState.OWNED),
  /** {@code _lwkt_enqueue_reply}: an asynchronous reply queued on the reply port. */
  REPLY_QUEUE(MsgState.IN_PROGRESS, 0, DONE | REPLY | QUEUED, MsgState.REPLY_QUEUED),
  /** {@code lwkt_thread_replyport} to a reply port owned on another CPU: leaves in an IPI. */
  REPLY_DEPART(MsgState.IN_PROGRESS, 0, REPLY | INTRANSIT, MsgState.REPLY_IN_TRANSIT),
  /** {@code lwkt_thread_replyport_remote} of a SYNC message: marks it DONE. */
  REPLY_ARRIVE_SYNC(MsgState.REPLY_IN_TRANSIT, INTRANSIT, DONE, MsgState.OWNED),
  /** {@code lwkt_thread_replyport_remote} of an asynchronous message: queued on the reply port. */
  REPLY_ARRIVE_QUEUE(MsgState.REPLY_IN_TRANSIT, INTRANSIT, DONE | QUEUED, MsgState.REPLY_QUEUED),
  /** {@code waitmsg}/{@code getport} on the reply port pull the reply: the originator owns it again. */
  PULL_REPLY(MsgState.REPLY_QUEUED, QUEUED, 0, MsgState.OWNED);

  final MsgState from;
  final int clear;
  final int set;
  final MsgState to;

  MsgTransition(MsgState from, int clear, int set, MsgState to) {
    this.from = from;
    this.clear = clear;
    this.set = set;
    this.to = to;
  }

  /** The state this transition starts from. */
  public MsgState from() {
    return from;
  }

  /** The state it leads to: {@link LwktMsg#apply} checks that the flags it writes describe it. */
  public MsgState to() {
    return to;
  }

  static {
    // The table is checked once, when the class loads: clearing and setting the bits of a transition
    // must lead from every flag combination of its source state to its target state.
    for (MsgTransition t : values()) {
      for (int f = 0; f <= MsgFlags.STATE_BITS; f++) {
        if ((f & ~MsgFlags.STATE_BITS) == 0 && MsgState.of(f) == t.from && MsgState.of((f & ~t.clear) | t.set) != t.to) {
          throw new ExceptionInInitializerError(t + " leads from flags " + MsgFlags.describe(f) + " to "
              + MsgState.of((f & ~t.clear) | t.set) + ", not " + t.to);
        }
      }
    }
  }
}
