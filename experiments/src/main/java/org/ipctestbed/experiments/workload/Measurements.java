package org.ipctestbed.experiments.workload;

/**
 * Where a workload's fibers record what they measure during one run. Recorders are obtained once, at
 * install time; recording allocates nothing and is safe from several carriers at once.
 */
public interface Measurements {
  /** A latency recorder for {@code metric} (e.g. {@code "call"}), in nanoseconds of the machine's clock. */
  LatencyRecorder latency(String metric);

  /** A counter for {@code metric} (e.g. {@code "ebusy"}, {@code "ops"}). */
  Counter counter(String metric);

  /** Records one latency sample. */
  interface LatencyRecorder {
    void record(long ns);
  }

  /** Counts events. */
  interface Counter {
    void add(long n);

    default void increment() {
      add(1);
    }
  }
}
