package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;

/**
 * One of a dispatcher's two bounded circular async buffers, {@code asyncBufferLocal} or {@code
 * asyncBufferRemote} (research/k42.md 2.2 and 2.5; {@code os/kernel/sys/Dispatcher.H}). A message is a
 * 3-word header (sender CommID as badge, XHandle, packed method/length) followed by the payload,
 * at most {@link #MSG_LENGTH_MAX} = 6 words (48 bytes). Capacity is counted in words (K42: about 183
 * per buffer, roughly 20 maximum-size or 61 empty messages). A full buffer refuses a deposit with
 * {@code EBUSY} and stores nothing; dequeue is FIFO; the counters go back to 0 whenever the buffer is
 * found empty.
 *
 * <p>Not thread-safe by itself: the local buffer is touched only on its dispatcher's CPU, the remote
 * one under its dispatcher's lock ({@link Dispatcher#lockRemote()}). {@link #isEmpty()} may be read
 * without the lock.
 *
 * <p>Differences: the third header word packs method (16 bits), length (8), a mask of the message's
 * non-zero inline words (8) and the SPI operation code (32); K42 packs method and length and has no
 * operation code. K42's async message carries no registers; the SPI's inline words, which identify a
 * message, travel after the header, one buffer word per non-zero inline word, so a message without
 * them (the native, K42-faithful use) has exactly K42's size and the buffer K42's capacity.
 */
final class AsyncBuffer {
  /** Header words per message. */
  static final int HEADER_WORDS = 3;

  /** {@code MSG_LENGTH}: 6 words of payload. */
  public static final int MSG_LENGTH_MAX = 48;

  private final long[] ring;
  private int head;
  private int used;
  private volatile int count;

  AsyncBuffer(int words) {
    if (words < HEADER_WORDS + MSG_LENGTH_MAX / 8) {
      throw new IllegalArgumentException("an async buffer needs at least 9 words, got " + words);
    }
    ring = new long[words];
  }

  boolean isEmpty() {
    return count == 0;
  }

  int count() {
    return count;
  }

  /** Deposits a message; {@code EBUSY} (nothing stored) if it does not fit. */
  int deposit(long badge, long xhandle, int method, IpcMessage m, byte[] src, int len) {
    int mask = 0;
    for (int i = 0; i < IpcMessage.WORDS; i++) {
      if (m.word(i) != 0) {
        mask |= 1 << i;
      }
    }
    int regWords = Integer.bitCount(mask);
    int payloadWords = (len + 7) >>> 3;
    int need = HEADER_WORDS + regWords + payloadWords;
    if (used + need > ring.length) {
      return Status.EBUSY;
    }
    int cap = ring.length;
    int pos = (head + used) % cap;
    ring[pos] = badge;
    ring[(pos + 1) % cap] = xhandle;
    ring[(pos + 2) % cap] =
        ((long) (method & 0xFFFF) << 48) | ((long) (len & 0xFF) << 40) | ((long) mask << 32) | (m.op() & 0xFFFFFFFFL);
    int r = 0;
    for (int i = 0; i < IpcMessage.WORDS; i++) {
      if ((mask & (1 << i)) != 0) {
        ring[(pos + HEADER_WORDS + r++) % cap] = m.word(i);
      }
    }
    pos = (pos + regWords) % cap;
    for (int w = 0; w < payloadWords; w++) {
      long v = 0;
      for (int b = 0; b < 8; b++) {
        int i = w * 8 + b;
        if (i < len) {
          v |= (src[i] & 0xFFL) << (8 * b);
        }
      }
      ring[(pos + HEADER_WORDS + w) % cap] = v;
    }
    used += need;
    count = count + 1;
    return Status.OK;
  }

  /** Takes the oldest message into {@code m}; false if the buffer is empty. */
  boolean take(AsyncHandler.Message m) {
    if (used == 0) {
      return false;
    }
    int cap = ring.length;
    m.badge = ring[head];
    m.xhandle = ring[(head + 1) % cap];
    long packed = ring[(head + 2) % cap];
    m.method = (int) (packed >>> 48);
    int len = (int) ((packed >>> 40) & 0xFF);
    int mask = (int) ((packed >>> 32) & 0xFF);
    IpcMessage args = m.args;
    args.clear();
    args.op((int) packed);
    int r = 0;
    for (int i = 0; i < IpcMessage.WORDS; i++) {
      if ((mask & (1 << i)) != 0) {
        args.word(i, ring[(head + HEADER_WORDS + r++) % cap]);
      }
    }
    int start = head + r;
    byte[] dst = args.payload();
    int payloadWords = (len + 7) >>> 3;
    for (int w = 0; w < payloadWords; w++) {
      long v = ring[(start + HEADER_WORDS + w) % cap];
      for (int b = 0; b < 8; b++) {
        int i = w * 8 + b;
        if (i < len) {
          dst[i] = (byte) (v >>> (8 * b));
        }
      }
    }
    args.length(len);
    int n = HEADER_WORDS + r + payloadWords;
    head = (head + n) % cap;
    used -= n;
    count = count - 1;
    if (used == 0) {
      head = 0; // counters reset when found empty (k42.md 2.5)
    }
    return true;
  }
}
