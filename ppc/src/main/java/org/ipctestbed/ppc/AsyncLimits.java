package org.ipctestbed.ppc;

/** Public limits of asynchronous PPC (research/k42.md 2.5). */
public final class AsyncLimits {
  private AsyncLimits() {}

  /** {@code MSG_LENGTH}: 6 words, 48 bytes of payload. */
  public static final int MSG_LENGTH_MAX = AsyncBuffer.MSG_LENGTH_MAX;
}
