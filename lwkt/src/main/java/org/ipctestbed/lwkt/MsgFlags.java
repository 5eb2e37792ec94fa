package org.ipctestbed.lwkt;

/**
 * The bits of {@code ms_flags} (DragonFly {@code sys/sys/msgport.h}, {@code MSGF_*}; research/lwkt.md
 * section 1, "Flags"). A message's life-cycle state is derived from these bits by {@link MsgState#of},
 * and every change of the state bits goes through {@link LwktMsg#apply(MsgTransition)}.
 *
 * <p>Deliberate difference: {@link #INTRANSIT} is always maintained (DragonFly maintains it only in
 * {@code INVARIANTS} kernels), so that the testbed can show a message travelling between CPUs.
 */
public final class MsgFlags {
  private MsgFlags() {}

  /** Owned by the originator: set by {@code initmsg}, cleared at send, set again at completion. */
  public static final int DONE = 0x0001;

  /** The message has been replied (travelling back, or back). */
  public static final int REPLY = 0x0002;

  /** The message is on some port's queue. */
  public static final int QUEUED = 0x0004;

  /** Sent by {@code domsg}: the reply marks it done and wakes the waiter, it is never queued. */
  public static final int SYNC = 0x0008;

  /** Travelling to another CPU inside an IPI. */
  public static final int INTRANSIT = 0x0010;

  /** The message supports {@code abortmsg} (its abort function is called). */
  public static final int ABORTABLE = 0x0020;

  /** The message may be dropped from a queue by the target's owner; it may not be waited on. */
  public static final int DROPABLE = 0x0040;

  /** Queue on the port's priority queue, which is polled first. */
  public static final int PRIORITY = 0x0080;

  /** Spin and serializer ports: a thread sleeps on this message (cleared by the waker). */
  public static final int WAITING = 0x0100;

  /** Hint: do not preempt when the reply or put wakes a higher-priority thread. */
  public static final int NORESCHED = 0x0200;

  /** The bits that define the life-cycle state (see {@link MsgState}). */
  static final int STATE_BITS = DONE | REPLY | QUEUED | INTRANSIT;

  /** The bits a user may pass to {@code initmsg}. */
  public static final int USER_BITS = ABORTABLE | DROPABLE | PRIORITY | NORESCHED;

  private static final String[] NAMES = {
    "DONE", "REPLY", "QUEUED", "SYNC", "INTRANSIT", "ABORTABLE", "DROPABLE", "PRIORITY", "WAITING", "NORESCHED"
  };

  /** {@code flags} as {@code DONE|REPLY|...} for error messages ({@code 0} when none is set). */
  public static String describe(int flags) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      if ((flags & (1 << i)) != 0) {
        if (sb.length() > 0) {
          sb.append('|');
        }
        sb.append(NAMES[i]);
      }
    }
    return sb.length() == 0 ? "0" : sb.toString();
  }
}
