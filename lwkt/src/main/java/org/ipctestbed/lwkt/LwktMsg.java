package org.ipctestbed.lwkt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.IpiRequest;

/**
 * A message: DragonFly's {@code struct lwkt_msg} (research/lwkt.md section 1). It is embedded in a
 * larger request by its user (subclass it: {@code SysMsg}, the SPI's request message) and reused;
 * the message system never allocates or frees one. The two IPI requests a message can travel in
 * (a put and a reply to another CPU) are created with the message, so a cross-CPU send allocates
 * nothing either.
 *
 * <p>Life cycle: the state bits of {@link #flags()} define a {@link MsgState}; every change of them
 * goes through {@link #apply(MsgTransition)}, which checks the transition against the current state
 * and rejects an illegal one with a {@link MsgStateException} before touching anything (DragonFly's
 * {@code KKASSERT}s). Only the current owner of the message changes its flags (the originator in
 * {@link MsgState#OWNED}, the target port's CPU or owner otherwise); the bits are nevertheless
 * changed with a compare-and-set, as DragonFly uses {@code atomic_set_int}, because a waiter on a
 * spin port sets {@code WAITING} while the target may be pulling the message off its own queue.
 *
 * <p>Differences: no {@code ms_cmd} union; {@link #cmd} is an int and {@link #result} one long (the
 * original's result union). {@code ms_receiptfn} (a later addition) is not modelled.
 */
public class LwktMsg {
  /** An {@code ms_abortfn}: called by {@link Lwkt#abortmsg} on an abortable message in progress. */
  @FunctionalInterface
  public interface AbortFunction {
    /** Requests the abort of {@code msg}; runs in the aborting fiber {@code self}, may block. */
    void abort(Fiber self, LwktMsg msg);
  }

  // ms_node: the queue link, owned by the queue the message is on.
  LwktMsg next;
  LwktMsg prev;
  LwktMsgQueue queue;

  // Held in service by a thread port's owner (pulled, not yet replied): see ThreadPort's exit path.
  ThreadPort heldBy;
  LwktMsg heldNext;
  LwktMsg heldPrev;

  LwktPort targetPort;
  LwktPort replyPort;
  private volatile int flags;
  volatile int error;
  AbortFunction abortFn;
  /** The fiber sleeping on this message (spin and serializer ports, with {@code WAITING}). */
  volatile Fiber waiter;

  /** The command ({@code ms_cmd}): what the target is asked to do. Free for the user. */
  public int cmd;

  /** The result ({@code ms_result}): set by the target before replying. Free for the user. */
  public long result;

  private static final VarHandle FLAGS;

  static {
    try {
      FLAGS = MethodHandles.lookup().findVarHandle(LwktMsg.class, "flags", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final IpiRequest putIpi = cpu -> ThreadPort.putportRemote(this, cpu);
  final IpiRequest replyIpi = cpu -> ThreadPort.replyportRemote(this, cpu);

  /** A message in state {@link MsgState#OWNED} with no reply port yet (call {@link Lwkt#initmsg}). */
  public LwktMsg() {
    flags = MsgFlags.DONE;
  }

  /** The flags ({@code ms_flags}). */
  public final int flags() {
    return flags;
  }

  /** Whether every bit of {@code mask} is set. */
  public final boolean has(int mask) {
    return (flags & mask) == mask;
  }

  /** The life-cycle state the flags describe. */
  public final MsgState state() {
    return MsgState.of(flags);
  }

  /** The result code set by {@code replymsg} ({@code ms_error}). */
  public final int error() {
    return error;
  }

  /** Where the reply goes ({@code ms_reply_port}). */
  public final LwktPort replyPort() {
    return replyPort;
  }

  /** The port the message was last put to ({@code ms_target_port}), or {@code null}. */
  public final LwktPort targetPort() {
    return targetPort;
  }

  /** The queue the message is on, or {@code null}: at most one at a time (invariant 1). */
  public final LwktMsgQueue queue() {
    return queue;
  }

  /**
   * Makes transition {@code t}: checks that the message is in {@code t.from()} and that clearing
   * and setting its bits leads to {@code t.to()}, then writes them. The only place the state bits
   * change.
   *
   * @throws MsgStateException (nothing changed) if the message is not in {@code t.from()}
   */
  final void apply(MsgTransition t) {
    int f;
    int next;
    do {
      f = flags;
      if (MsgState.of(f) != t.from) {
        throw new MsgStateException(this, t, f);
      }
      next = (f & ~t.clear) | t.set;
      if (MsgState.of(next) != t.to) {
        // Unreachable while the table is right (MsgTransition checks it at class load); kept so that a
        // future edit of the table cannot corrupt a message silently.
        throw new MsgStateException(this, t + " would lead to " + MsgState.of(next) + ", not " + t.to, f);
      }
    } while (!FLAGS.compareAndSet(this, f, next));
  }

  /**
   * Checks, without changing anything, that transition {@code t} is legal now (used before a cost is
   * charged, so that a refused operation leaves no trace).
   *
   * @throws MsgStateException if the message is not in {@code t.from()}
   */
  final void check(MsgTransition t) {
    int f = flags;
    if (MsgState.of(f) != t.from) {
      throw new MsgStateException(this, t, f);
    }
  }

  /** Sets or clears {@code bits} outside the state bits ({@code WAITING}, user bits at init). */
  final void setAux(int bits, boolean on) {
    if ((bits & MsgFlags.STATE_BITS) != 0) {
      throw new IllegalArgumentException("state bits change only through apply(): " + MsgFlags.describe(bits));
    }
    int f;
    do {
      f = flags;
    } while (!FLAGS.compareAndSet(this, f, on ? f | bits : f & ~bits));
  }

  /** {@code lwkt_initmsg} body: see {@link Lwkt#initmsg}. */
  final void init(LwktPort reply, int userFlags) {
    int f = flags;
    if (MsgState.of(f) != MsgState.OWNED) {
      throw new MsgStateException(this, "initmsg", f);
    }
    flags = MsgFlags.DONE | (userFlags & MsgFlags.USER_BITS);
    replyPort = reply;
    error = 0;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
        + "[" + MsgFlags.describe(flags) + "]";
  }
}
