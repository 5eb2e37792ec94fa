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

  /**
   * Records a fact about how this run mapped onto the mechanism under test, under {@code key}, to be
   * written with the results: for instance that the mechanism delivers no completions for one-way
   * sends, so the workload paced its bursts open-loop, or that it refused a payload size. The issue
   * asks a workload to say such things in its output rather than silently doing something else. Not
   * for hot paths (it may allocate); a later note under the same key replaces an earlier one. The
   * default drops the note.
   */
  default void note(String key, String text) {}

  /**
   * The barrier between the warm-up and the measured calls of {@code clients} clients (see {@link
   * WarmupBarrier}); obtained once, at install time. A workload with warm-up calls uses it so that the
   * measured window excludes them; without one, the whole run is the measured window. The default
   * only synchronises the clients.
   */
  default WarmupBarrier warmupBarrier(int clients) {
    return new WarmupBarrier(clients, () -> {});
  }

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
