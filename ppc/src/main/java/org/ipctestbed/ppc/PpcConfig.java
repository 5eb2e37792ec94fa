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
 * @param keptServerThreads idle server threads a dispatcher keeps on its free list; a thread freed
 *     beyond that retires the coldest idle one (the bottom of the LIFO list), so that a burst of
 *     calls does not leave the dispatcher with a large thread table for ever (estimated policy: K42's
 *     library frees thread objects to its allocator, research/k42.md 1.2 step 4)
 */
public record PpcConfig(
    int initialServerThreads,
    int maxServerThreads,
    int asyncBufferWords,
    int maxBusyHandlers,
    boolean upcall,
    int keptServerThreads) {
  /** The defaults: 1, 4096, 183, 10, upcall, 8 kept. */
  public static final PpcConfig DEFAULT = new PpcConfig(1, 4096, 183, 10, true, 8);

  /** The limits without a kept-thread figure: keeps 8 idle server threads (or the initial ones, if more). */
  public PpcConfig(int initialServerThreads, int maxServerThreads, int asyncBufferWords, int maxBusyHandlers, boolean upcall) {
    this(initialServerThreads, maxServerThreads, asyncBufferWords, maxBusyHandlers, upcall, Math.max(8, initialServerThreads));
  }

  public PpcConfig {
    if (keptServerThreads < initialServerThreads || keptServerThreads < 1) {
      throw new IllegalArgumentException(
          "kept server threads must be >= 1 and >= the initial ones (" + initialServerThreads + "), got " + keptServerThreads);
    }
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
    return new PpcConfig(Math.min(initialServerThreads, n), n, asyncBufferWords, maxBusyHandlers, upcall, keptServerThreads);
  }

  public PpcConfig withInitialServerThreads(int n) {
    return new PpcConfig(n, maxServerThreads, asyncBufferWords, maxBusyHandlers, upcall, Math.max(n, keptServerThreads));
  }

  public PpcConfig withAsyncBufferWords(int n) {
    return new PpcConfig(initialServerThreads, maxServerThreads, n, maxBusyHandlers, upcall, keptServerThreads);
  }

  public PpcConfig withUpcall(boolean on) {
    return new PpcConfig(initialServerThreads, maxServerThreads, asyncBufferWords, maxBusyHandlers, on, keptServerThreads);
  }

  public PpcConfig withKeptServerThreads(int n) {
    return new PpcConfig(initialServerThreads, maxServerThreads, asyncBufferWords, maxBusyHandlers, upcall, n);
  }
}
