package org.ipctestbed.substrate;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the {@link Ledger} had charged at one instant of a run: per process (user and mechanism time)
 * and idle, and the instant itself measured from the start of the run. The harness takes one when a
 * workload's warm-up ends, so that the CPU time and throughput it reports cover only the measured
 * calls (the ledger's totals minus this snapshot).
 *
 * <p>Exactness: in the simulated engine a snapshot taken from fiber code is exact (one driver, one
 * virtual clock: the time each CPU has not yet flushed to its account is added as it will be). In the
 * real engine the other CPUs keep charging while it is taken, so it is an estimate whose error is at
 * most the time between two scheduling points of each CPU (a work slice).
 */
public final class LedgerSnapshot {
  private final long atNs;
  private final Map<Process, long[]> byProcess;
  private final long idleNs;

  LedgerSnapshot(long atNs, Map<Process, long[]> byProcess, long idleNs) {
    this.atNs = atNs;
    this.byProcess = Collections.unmodifiableMap(new IdentityHashMap<>(byProcess));
    this.idleNs = idleNs;
  }

  /** A snapshot of nothing: the start of the run. */
  public static LedgerSnapshot start() {
    return new LedgerSnapshot(0, Map.of(), 0);
  }

  /** Nanoseconds from the start of the run to this snapshot. */
  public long atNs() {
    return atNs;
  }

  /** Nanoseconds charged to {@code process} in {@code category} up to this snapshot (0 for a process created later). */
  public long processNs(Process process, Category category) {
    long[] a = byProcess.get(process);
    if (a == null || category == Category.IDLE) {
      return 0;
    }
    return a[category == Category.USER ? 0 : 1];
  }

  /** Idle nanoseconds of all CPUs up to this snapshot. */
  public long idleNs() {
    return idleNs;
  }
}
