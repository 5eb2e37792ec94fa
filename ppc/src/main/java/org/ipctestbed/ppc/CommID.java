package org.ipctestbed.ppc;

/**
 * K42's 64-bit IPC address, {@code PID:32 | RD:16 | VP:16} (research/k42.md section 0; {@code
 * lib/libc/sys/sysTypes.H}). Encoded in a {@code long} so that no object is made per call; the
 * methods here only pack and unpack it.
 *
 * <p>The VP field all ones, {@link #VP_WILD}, means "this process's dispatcher on the caller's CPU":
 * a synchronous call is resolved on the caller's CPU first and, if the target has no dispatcher
 * there, goes to its VP 0 (k42.md 1.7, invariant 16). Replies always name an exact VP. In this
 * testbed a process is one resource domain, so RD is 0 for every dispatcher; the field is kept so that
 * the encoding, and the per-CPU (PID, RD) target table, read as in K42.
 */
public final class CommID {
  private CommID() {}

  /** The wildcard VP. */
  public static final int VP_WILD = 0xFFFF;

  /** K42's {@code COMMID_NULL}: no target (a thread that is not blocked in a PPC). Pids start at 1. */
  public static final long NULL = 0L;

  /** The CommID of {@code (pid, rd, vp)}. */
  public static long of(int pid, int rd, int vp) {
    return ((long) pid << 32) | ((long) (rd & 0xFFFF) << 16) | (vp & 0xFFFF);
  }

  /** The wildcard CommID of a process (RD 0), as {@code ObjectHandle}s built from a PID are. */
  public static long wild(int pid) {
    return of(pid, 0, VP_WILD);
  }

  public static int pid(long id) {
    return (int) (id >>> 32);
  }

  public static int rd(long id) {
    return (int) ((id >>> 16) & 0xFFFF);
  }

  public static int vp(long id) {
    return (int) (id & 0xFFFF);
  }

  public static boolean isWild(long id) {
    return vp(id) == VP_WILD;
  }

  /** K42's {@code COMMID_PID_MATCH}: the reply-authenticity test of {@code IPCReturnEntry}. */
  public static boolean pidMatch(long a, long b) {
    return pid(a) == pid(b);
  }

  /** The (PID, RD) key of the per-CPU target table. */
  static long domainKey(long id) {
    return id >>> 16;
  }

  /** {@code pid.rd.vp}, with {@code *} for the wildcard VP. */
  public static String toString(long id) {
    return pid(id) + "." + rd(id) + "." + (isWild(id) ? "*" : Integer.toString(vp(id)));
  }
}
