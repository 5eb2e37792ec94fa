package org.ipctestbed.ipc;

/**
 * A request or reply of the SPI: an operation code, a small fixed set of inline words (the
 * "registers" of K42's PPC and of L4-style IPC) and a bounded byte payload (DESIGN.md, "The IPC
 * service-provider interface").
 *
 * <p>Mutable and reused: a client allocates its messages once and fills them before every call; a
 * mechanism copies what crosses a protection boundary into its own buffers and never keeps a
 * reference to the caller's message after the operation returns. Not thread-safe: one message
 * belongs to one fiber at a time.
 */
public final class IpcMessage {
  /** Inline words per message (K42 passes 8 argument registers on PowerPC). */
  public static final int WORDS = 8;

  private final long[] words = new long[WORDS];
  private final byte[] payload;
  private int length;
  private int op;
  private int status;

  /** A message whose payload can hold up to {@code capacity} bytes. */
  public IpcMessage(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("payload capacity must be >= 0, got " + capacity);
    }
    payload = new byte[capacity];
  }

  public int op() {
    return op;
  }

  public IpcMessage op(int v) {
    op = v;
    return this;
  }

  /** Status carried by a reply (the handler's return value), or by a completion. */
  public int status() {
    return status;
  }

  public IpcMessage status(int v) {
    status = v;
    return this;
  }

  public long word(int i) {
    return words[i];
  }

  public IpcMessage word(int i, long v) {
    words[i] = v;
    return this;
  }

  /** Payload bytes in use. */
  public int length() {
    return length;
  }

  /**
   * Sets how many payload bytes are in use.
   *
   * @throws IllegalArgumentException if {@code n} exceeds {@link #capacity()}
   */
  public IpcMessage length(int n) {
    if (n < 0 || n > payload.length) {
      throw new IllegalArgumentException("payload length must be 0.." + payload.length + ", got " + n);
    }
    length = n;
    return this;
  }

  public int capacity() {
    return payload.length;
  }

  /** The payload array itself (valid bytes: {@code [0, length())}); mechanisms copy out of it. */
  public byte[] payload() {
    return payload;
  }

  /**
   * Copies op, status, words and payload from {@code src} into this message.
   *
   * @return {@link Status#OK}, or {@link Status#ENOSPC} (nothing copied) if the payload does not fit
   */
  public int copyFrom(IpcMessage src) {
    if (src.length > payload.length) {
      return Status.ENOSPC;
    }
    op = src.op;
    status = src.status;
    System.arraycopy(src.words, 0, words, 0, WORDS);
    System.arraycopy(src.payload, 0, payload, 0, src.length);
    length = src.length;
    return Status.OK;
  }

  /** Clears op, status, words and length (not the payload bytes). */
  public IpcMessage clear() {
    op = 0;
    status = 0;
    length = 0;
    long[] w = words;
    for (int i = 0; i < WORDS; i++) { // unrolled by the JIT; Arrays.fill's stub cost ~10 ns per call here
      w[i] = 0;
    }
    return this;
  }
}
