package org.ipctestbed.ppc;

import java.util.Arrays;
import org.ipctestbed.ipc.IpcMessage;

/**
 * The per-CPU PPC page, K42's "extended registers" page (research/k42.md 1.2 step 1, 1.9; {@code
 * lib/libc/sys/extRegs.H}): a length word and at most {@link #LENGTH_MAX} = 4072 argument bytes, one
 * physical page per CPU, through which stubs marshal arguments and results.
 *
 * <p>Ownership and hygiene (k42.md 1.9, invariant 14): at most one in-flight marshalling owns the page
 * on a CPU. K42 saves and restores the page around page-fault blocking and preemption ({@code
 * PRESERVE_PPC_PAGE}/{@code RESTORE_PPC_PAGE}). Here the same is done lazily, like a lazy FPU save:
 * the page records its {@link #owner()}; a thread that claims a page another thread still holds first
 * preserves that content into the owner's save area, and the owner restores it when it next needs
 * the page ({@link #ensureOwned}). Both copies are counted so that the caller can charge {@code
 * COPY_PER_BYTE} for them. Only code running on the page's CPU touches it, so it needs no
 * synchronisation. A server stub {@link #reset resets} (zeroes) the page once it has unmarshalled,
 * so the server method may block.
 */
public final class PpcPage {
  /** {@code PPCPAGE_LENGTH_MAX} on 64-bit PowerPC: 4096 − 3 × 8 bytes. */
  public static final int LENGTH_MAX = 4072;

  private final byte[] data = new byte[LENGTH_MAX];
  private int length;
  private PpcThread owner;

  /** Bytes in use (the length word). */
  public int length() {
    return length;
  }

  /** The thread whose marshalled data the page holds, or {@code null} when the page is free. */
  public PpcThread owner() {
    return owner;
  }

  /** Whether the page is free and its length word is 0. */
  public boolean isEmpty() {
    return owner == null && length == 0;
  }

  /**
   * Makes {@code t} the owner of an empty page, preserving another owner's content first.
   *
   * @return bytes copied to preserve the previous owner's content
   */
  int claim(PpcThread t) {
    int copied = preserveOther(t);
    t.saved = false;
    owner = t;
    length = 0;
    return copied;
  }

  /**
   * Makes sure the page holds {@code t}'s content, restoring it from {@code t}'s save area if another
   * thread used the page meanwhile.
   *
   * @return bytes copied (preserve plus restore), 0 on the fast path
   * @throws IllegalStateException if {@code t}'s content was neither on the page nor saved (a hygiene
   *     violation: it would be a lost argument or reply)
   */
  int ensureOwned(PpcThread t) {
    if (owner == t) {
      return 0;
    }
    if (!t.saved) {
      throw new IllegalStateException(
          "PPC page hygiene: " + t + " expected its data on the page of its CPU, but it was neither there nor preserved");
    }
    int copied = preserveOther(t);
    System.arraycopy(t.save, 0, data, 0, t.saveLength);
    length = t.saveLength;
    owner = t;
    t.saved = false;
    return copied + length;
  }

  private int preserveOther(PpcThread t) {
    PpcThread o = owner;
    if (o == null || o == t) {
      return 0;
    }
    System.arraycopy(data, 0, o.save, 0, length);
    o.saveLength = length;
    o.saved = true;
    int n = length;
    Arrays.fill(data, 0, length, (byte) 0);
    length = 0;
    owner = null;
    return n;
  }

  /**
   * {@code PRESERVE_PPC_PAGE} by the owner itself before it blocks holding the page (a parked retry):
   * saves {@code t}'s content and frees the page. Returns the bytes copied.
   */
  int release(PpcThread t) {
    if (owner != t) {
      return 0;
    }
    System.arraycopy(data, 0, t.save, 0, length);
    t.saveLength = length;
    t.saved = true;
    int n = length;
    reset();
    return n;
  }

  /** Passes the content to {@code to} (the kernel launching the callee, or returning to the caller). */
  void handOver(PpcThread to) {
    owner = to;
  }

  /** Writes {@code len} bytes of {@code src} (the owner must have claimed the page). */
  void write(byte[] src, int len) {
    System.arraycopy(src, 0, data, 0, len);
    length = len;
  }

  /** Copies the content into {@code m}'s payload. */
  void readInto(IpcMessage m) {
    System.arraycopy(data, 0, m.payload(), 0, length);
    m.length(length);
  }

  byte[] data() {
    return data;
  }

  /** Zeroes the used bytes and frees the page ("for security", k42.md 1.2 step 6). */
  void reset() {
    Arrays.fill(data, 0, length, (byte) 0);
    length = 0;
    owner = null;
  }
}
