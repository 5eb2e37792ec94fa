package org.ipctestbed.experiments.workload;

import java.util.concurrent.atomic.AtomicInteger;
import org.ipctestbed.substrate.Fiber;

/**
 * Where the clients of a workload meet between their warm-up and their measured calls, so that the
 * measured window is one interval for all of them: the last client to finish its warm-up opens the
 * window (the harness snapshots the ledger and the clock there) and wakes the others. Throughput and
 * CPU time per operation then cover the measured calls only (issue 14, "Reports that do not
 * overstate": the warm-up calls had been counted in the elapsed time and the charged CPU time).
 *
 * <p>Works in both engines: arrival is an atomic count, waiting polls a volatile flag with a short
 * {@link Fiber#sleep} (see {@link #POLL_NS}). A client that stops during its
 * warm-up (its mechanism refused the message) {@link #withdraw}s so the others do not wait for it.
 */
public final class WarmupBarrier {
  /**
   * How often a waiting client looks whether the window has opened. Polling, not block and wake: a
   * wake from the last client would reach the others an IPI latency later, one after another, and that
   * skew would sit inside the measured window (for a fast mechanism, a visible part of it). A 100 ns
   * timer keeps the skew below a dispatch and lets time pass even under the zero cost model.
   */
  public static final long POLL_NS = 100;

  private final Runnable onOpen;
  private final AtomicInteger remaining;
  private volatile boolean open;

  /**
   * @param parties the clients that will {@link #arrive} (or {@link #withdraw})
   * @param onOpen runs once, in the fiber of the last to arrive, when the window opens
   */
  public WarmupBarrier(int parties, Runnable onOpen) {
    if (parties < 1) {
      throw new IllegalArgumentException("a warm-up barrier needs at least one client, got " + parties);
    }
    this.onOpen = onOpen;
    this.remaining = new AtomicInteger(parties);
  }

  /** Called by a client once its warm-up is done; returns when every client's is. */
  public void arrive(Fiber self) {
    if (remaining.decrementAndGet() == 0) {
      openWindow();
      return;
    }
    while (!open) {
      self.sleep(POLL_NS);
    }
  }

  /** Called by a client that will never arrive (it stopped during its warm-up). */
  public void withdraw() {
    if (remaining.decrementAndGet() == 0) {
      openWindow();
    }
  }

  /** Whether the measured window has opened. */
  public boolean isOpen() {
    return open;
  }

  private void openWindow() {
    onOpen.run();
    open = true;
  }
}
