package org.ipctestbed.lwkt.sys;

/**
 * The per-CPU cache of kernel message buffers that DragonFly's 2003 {@code sendsys} took a buffer
 * from before copying the user's message in (research/lwkt.md section 7). One per CPU, touched only
 * by that CPU (a buffer returns to the cache of the CPU that frees it), so it needs no lock: the
 * original protected it with a critical section. Preallocated; when empty it makes a new buffer, as
 * the original fell back to {@code malloc}, and counts it ({@link #misses()}): with the per-process
 * limit of outstanding asynchronous calls at or below the capacity, a miss needs several processes
 * with asynchronous calls outstanding on one CPU.
 */
final class MsgCache {
  private final SysMsg[] free;
  private int n;
  private long misses;

  MsgCache(int capacity) {
    free = new SysMsg[capacity];
    for (int i = 0; i < capacity; i++) {
      free[i] = new SysMsg();
    }
    n = capacity;
  }

  SysMsg get() {
    if (n == 0) {
      misses++;
      return new SysMsg();
    }
    SysMsg m = free[--n];
    free[n] = null;
    return m;
  }

  void put(SysMsg m) {
    m.umsg = null;
    m.buf = null;
    m.file = null;
    if (n < free.length) {
      free[n++] = m;
    }
  }

  /** Buffers made because the cache was empty. */
  long misses() {
    return misses;
  }

  int available() {
    return n;
  }
}
