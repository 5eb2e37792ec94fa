package org.ipctestbed.ppc;

/**
 * One CPU's bookkeeping of refused PPCs awaiting a retry notification (research/k42.md 1.6; {@code
 * os/kernel/exception/IPCRetryManager.C}). Sources and targets are hashed to retry IDs ({@code PID mod
 * 63}); a refused source is linked into {@code headSource[id]} and remembers the target bits it waits
 * for; the target remembers the source bits ({@code ipcRetrySources}), or, when it only lacks an entry
 * point, defers them until one is set. When the target next yields cleanly, {@link #notify} sends
 * {@code IPC_RETRY_NOTIFY} to every matching source, whose parked threads re-issue their calls.
 *
 * <p>Remote refusals (a full {@code pendingRemoteIPC} slot) wait on the reserved ID {@link
 * #REMOTE_ID}. K42 notifies all of them whenever any dispatcher of the CPU yields, and its source
 * calls that "a hack" that "should be driven by the consumption of remote IPC buffers"; this
 * implementation does what the comment asks: the target dispatcher records the waiting CPUs and, when
 * it consumes its slot, sends them an IPI that runs {@link #notifyRemote()}.
 *
 * <p>Touched only on its CPU (by fibers, or by that IPI at interrupt level).
 */
final class IPCRetryManager {
  /** Retry IDs for local targets. */
  static final int IDS = 63;

  /** The retry ID of remote (mailbox-full) refusals. */
  static final int REMOTE_ID = 63;

  private final Dispatcher[] headSource = new Dispatcher[64];
  private long remoteSources;

  static int retryId(Dispatcher d) {
    return Math.floorMod(CommID.pid(d.commId()), IDS);
  }

  /**
   * Records that {@code source} was refused by {@code target} and returns the retry ID its thread must
   * park under.
   */
  int requestNotification(Dispatcher source, Dispatcher target) {
    int sourceBit = retryId(source);
    if (target.reservedThread()) {
      target.ipcRetrySources |= 1L << sourceBit;
      // Because the target is disabled, asking it to yield soon is enough.
      target.raise(SoftInterrupts.PREEMPT);
    } else {
      target.ipcDeferredRetrySources |= 1L << sourceBit; // no entry point yet: retry when it is set
    }
    link(source, sourceBit);
    int targetBit = retryId(target);
    source.ipcRetryTargets |= 1L << targetBit;
    return targetBit;
  }

  /** Records that {@code source} found a remote mailbox full; returns {@link #REMOTE_ID}. */
  int requestNotificationRemote(Dispatcher source) {
    int sourceBit = retryId(source);
    remoteSources |= 1L << sourceBit;
    link(source, sourceBit);
    source.ipcRetryTargets |= 1L << REMOTE_ID;
    return REMOTE_ID;
  }

  private void link(Dispatcher source, int sourceBit) {
    if (source.ipcRetryTargets == 0) {
      source.ipcRetryNext = headSource[sourceBit];
      headSource[sourceBit] = source;
    }
  }

  /** {@code target} yields cleanly: notify the sources it refused. */
  void notify(Dispatcher target) {
    long sources = target.ipcRetrySources;
    target.ipcRetrySources = 0;
    internalNotify(sources, 1L << retryId(target));
  }

  /** A remote mailbox this CPU's sources wait for was consumed. */
  void notifyRemote() {
    long sources = remoteSources;
    remoteSources = 0;
    internalNotify(sources, 1L << REMOTE_ID);
  }

  private void internalNotify(long sources, long targets) {
    while (sources != 0) {
      int bit = Long.numberOfTrailingZeros(sources);
      sources &= sources - 1;
      Dispatcher prev = null;
      Dispatcher s = headSource[bit];
      while (s != null) {
        Dispatcher next = s.ipcRetryNext;
        long matches = s.ipcRetryTargets & targets;
        if (matches != 0) {
          s.ipcRetry |= matches;
          s.raise(SoftInterrupts.IPC_RETRY_NOTIFY);
          s.ipcRetryTargets &= ~matches;
          if (s.ipcRetryTargets == 0) {
            if (prev == null) {
              headSource[bit] = next;
            } else {
              prev.ipcRetryNext = next;
            }
            s.ipcRetryNext = null;
            s = next;
            continue;
          }
        }
        prev = s;
        s = next;
      }
    }
  }
}
