package org.ipctestbed.experiments.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Measurements} for tests: keeps every latency sample in recording order, every counter
 * and every note. Thread-safe (the real engine records from several carriers); unlike the harness's
 * it allocates per sample, which a test can afford.
 */
final class RecordingMeasurements implements Measurements {
  private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final Map<String, String> notes = new ConcurrentHashMap<>();

  @Override
  public LatencyRecorder latency(String metric) {
    ConcurrentLinkedQueue<Long> q = latencies.computeIfAbsent(metric, k -> new ConcurrentLinkedQueue<>());
    return q::add;
  }

  @Override
  public Counter counter(String metric) {
    AtomicLong a = counters.computeIfAbsent(metric, k -> new AtomicLong());
    return a::addAndGet;
  }

  @Override
  public void note(String key, String text) {
    notes.put(key, text);
  }

  private volatile long windowStartNs;

  /** Remembers the machine time at which the workload's warm-up ended (its barrier opened). */
  @Override
  public WarmupBarrier warmupBarrier(int clients) {
    return new WarmupBarrier(clients, () -> windowStartNs = org.ipctestbed.substrate.Fiber.current().now());
  }

  /** When the measured window opened (machine time; 0 without a warm-up barrier, the run's start in sim). */
  long windowStartNs() {
    return windowStartNs;
  }

  /** The samples of {@code metric} in recording order (empty if none). */
  List<Long> samples(String metric) {
    ConcurrentLinkedQueue<Long> q = latencies.get(metric);
    return q == null ? List.of() : new ArrayList<>(q);
  }

  /** The value of counter {@code metric} (0 if never obtained). */
  long count(String metric) {
    AtomicLong a = counters.get(metric);
    return a == null ? 0 : a.get();
  }

  /** The note under {@code key}, or {@code null}. */
  String note(String key) {
    return notes.get(key);
  }

  /** Everything recorded, in a stable order, for comparing two runs. */
  Map<String, Object> snapshot() {
    Map<String, Object> m = new TreeMap<>();
    latencies.forEach((k, v) -> m.put("latency " + k, new ArrayList<>(v)));
    counters.forEach((k, v) -> m.put("counter " + k, v.get()));
    notes.forEach((k, v) -> m.put("note " + k, v));
    return m;
  }
}
