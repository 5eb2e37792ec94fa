package org.ipctestbed.experiments.harness;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one repetition measured: immutable once built.
 *
 * @param point the grid point
 * @param mechanism the IPC strategy's name
 * @param rep repetition index, from 0
 * @param seed the machine seed (base seed + rep)
 * @param elapsedNs the machine's elapsed time (virtual in sim, wall in real)
 * @param measuredNs the measured window: from the end of the workload's warm-up to the end of the
 *     run (the whole run when the workload has no warm-up barrier)
 * @param counters each counter's total
 * @param latencies each latency metric's histogram
 * @param cpuTime CPU time charged during the measured window, per process name and category, then idle
 * @param identityErrorNs the ledger's identity error (0 when every CPU nanosecond is accounted once)
 * @param traceDigest the simulated engine's scheduling-trace digest (for determinism checks)
 * @param clampedSamples latency samples above the histogram range, recorded as its maximum
 * @param notes the workload's notes on how it mapped onto the mechanism
 */
public record RepResult(
    Point point,
    String mechanism,
    int rep,
    long seed,
    long elapsedNs,
    long measuredNs,
    Map<String, Long> counters,
    Map<String, Histogram> latencies,
    List<CpuTime> cpuTime,
    long identityErrorNs,
    String traceDigest,
    long clampedSamples,
    Map<String, String> notes) {

  /** CPU time charged to {@code subject} (a process name, or {@code idle}) in {@code category}. */
  public record CpuTime(String subject, String category, long ns) {}

  /**
   * Operations per second of the measured window (warm-up excluded), from the {@code ops} counter
   * ({@code NaN} without one).
   */
  public double throughput() {
    Long ops = counters.get("ops");
    if (ops == null || measuredNs <= 0) {
      return Double.NaN;
    }
    return ops * 1e9 / measuredNs;
  }
}
