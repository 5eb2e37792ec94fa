package org.ipctestbed.experiments.workload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ipctestbed.substrate.Fiber;

/**
 * Where the clients of a workload meet between their warm-up and their measured calls, so that the
 * measured window is one interval for all of them: the last client to finish its warm-up opens the
 * window (the harness snapshots the ledger and the clock there) and wakes the others. Throughput and
 * CPU time per operation then cover the measured calls only (issue 14, "Reports that do not
 * overstate": the warm-up calls had been counted in the elapsed time and the charged CPU time).
 *
 * <p>Works in both engines: arrival is an atomic count, waiting is {@link Fiber#block} in a loop on a
 * volatile flag (wake permits make a wake before the block harmless). A client that stops during its
 * warm-up (its mechanism refused the message) {@link #withdraw}s so the others do not wait for it.
 */
public final class WarmupBarrier {
  private final Runnable onOpen;
  private final AtomicInteger remaining;
  private final AtomicInteger slots = new AtomicInteger();
  private final AtomicReferenceArray<Fiber> waiting;
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
    this.waiting = new AtomicReferenceArray<>(parties);
  }

  /** Called by a client once its warm-up is done; returns when every client's is. */
  public void arrive(Fiber self) {
    int slot = slots.getAndIncrement();
    if (slot < waiting.length()) {
      waiting.set(slot, self);
    }
    if (remaining.decrementAndGet() == 0) {
      openWindow();
      return;
    }
    while (!open) {
      self.block("warm-up barrier: waiting for the other clients' warm-up");
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
    for (int i = 0; i < waiting.length(); i++) {
      Fiber f = waiting.get(i);
      if (f != null && f != Fiber.current()) {
        f.wake();
      }
    }
  }
}
