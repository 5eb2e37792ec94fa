package org.ipctestbed.ppc;

/**
 * Limits of one PPC installation. Immutable.
 *
 * @param initialServerThreads server threads each dispatcher creates with itself (K42 creates them on
 *     demand only; one pre-created thread keeps a sequential caller's first call on the fast path,
 *     since creating a fiber during a run is a wake the substrate's scheduler sees)
 * @param maxServerThreads server threads a dispatcher may hold; a call beyond gets {@code ENOMEM}
 *     (K42: "limited only by memory", invariant 3)
 * @param asyncBufferWords capacity of each async buffer in 8-byte words (K42 PowerPC: about 183)
 * @param maxBusyHandlers {@code ASYNC_BUSY_HANDLER_MAX} (10)
 * @param upcall whether the local fast path runs a blocked server thread on the caller's stack
 *     ({@code Fiber.upcall}); {@code false} always hands the CPU to the server thread's own stack
 *     ({@code Fiber.handoff} keeping the account), for experiments that compare the two
 */
public record PpcConfig(
    int initialServerThreads, int maxServerThreads, int asyncBufferWords, int maxBusyHandlers, boolean upcall) {
  /** The defaults: 1, 4096, 183, 10, upcall. */
  public static final PpcConfig DEFAULT = new PpcConfig(1, 4096, 183, 10, true);

  public PpcConfig {
    if (initialServerThreads < 0 || maxServerThreads < 1 || initialServerThreads > maxServerThreads) {
      throw new IllegalArgumentException(
          "server threads: need 0 <= initial <= max and max >= 1, got " + initialServerThreads + "/" + maxServerThreads);
    }
    if (asyncBufferWords < 9) {
      throw new IllegalArgumentException("an async buffer needs at least 9 words (one 48-byte message), got " + asyncBufferWords);
    }
    if (maxBusyHandlers < 1) {
      throw new IllegalArgumentException("maxBusyHandlers must be >= 1, got " + maxBusyHandlers);
    }
  }

  public PpcConfig withMaxServerThreads(int n) {
    return new PpcConfig(Math.min(initialServerThreads, n), n, asyncBufferWords, maxBusyHandlers, upcall);
  }

  public PpcConfig withInitialServerThreads(int n) {
    return new PpcConfig(n, maxServerThreads, asyncBufferWords, maxBusyHandlers, upcall);
  }

  public PpcConfig withAsyncBufferWords(int n) {
    return new PpcConfig(initialServerThreads, maxServerThreads, n, maxBusyHandlers, upcall);
  }

  public PpcConfig withUpcall(boolean on) {
    return new PpcConfig(initialServerThreads, maxServerThreads, asyncBufferWords, maxBusyHandlers, on);
  }
}
