package org.ipctestbed.ppc;

/**
 * K42's XHandle: an index into the server's table of exported X-objects plus an 8-bit sequence number
 * (research/k42.md section 0 and 1.2 step 5; {@code XHANDLE_IDX}/{@code XHANDLE_SEQNO}). Encoded in a
 * {@code long}: {@code index << 8 | seq}. A handle whose sequence number no longer matches the
 * table entry (the object was revoked and the slot reused) is stale and refused with {@code EPERM}.
 */
public final class XHandle {
  private XHandle() {}

  public static long of(int index, int seq) {
    return ((long) index << 8) | (seq & 0xFF);
  }

  public static int index(long xhandle) {
    return (int) (xhandle >>> 8);
  }

  public static int seq(long xhandle) {
    return (int) (xhandle & 0xFF);
  }

  public static String toString(long xhandle) {
    return "xh[" + index(xhandle) + "#" + seq(xhandle) + "]";
  }
}
