package org.ipctestbed.experiments.stats;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The per-repetition latency statistics (issue 6): p50, p90, p99, p99.9, max and mean of one
 * repetition's HdrHistogram, plus the sample count. Percentiles are HdrHistogram's (the value at or
 * below which the given fraction of samples fall, to the histogram's precision of 3 significant
 * digits); max is the highest recorded value to that precision.
 */
public final class LatencyStats {
  private LatencyStats() {}

  /** The names of the statistics, in the order they are reported. */
  public static final List<String> NAMES = List.of("p50", "p90", "p99", "p99.9", "max", "mean", "count");

  /** The percentile statistics drawn in the percentile chart. */
  public static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");

  /** The value of statistic {@code name} (one of {@link #NAMES}) for {@code h}. */
  public static double of(Histogram h, String name) {
    if (h.getTotalCount() == 0) {
      return name.equals("count") ? 0 : Double.NaN;
    }
    return switch (name) {
      case "p50" -> h.getValueAtPercentile(50);
      case "p90" -> h.getValueAtPercentile(90);
      case "p99" -> h.getValueAtPercentile(99);
      case "p99.9" -> h.getValueAtPercentile(99.9);
      case "max" -> h.getMaxValue();
      case "mean" -> h.getMean();
      case "count" -> h.getTotalCount();
      default -> throw new IllegalArgumentException("unknown latency statistic '" + name + "'; allowed: " + NAMES);
    };
  }
}
