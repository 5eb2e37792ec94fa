package org.ipctestbed.experiments.harness;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.ipctestbed.experiments.workload.Measurements;
import org.ipctestbed.experiments.workload.WarmupBarrier;
import org.ipctestbed.substrate.LedgerSnapshot;
import org.ipctestbed.substrate.Machine;

/**
 * The {@link Measurements} of one repetition: one HdrHistogram {@link Recorder} per latency metric and
 * one {@link LongAdder} per counter, created when a workload asks for them (at install time).
 *
 * <p>Recording is wait-free, thread-safe (several real-engine carriers may record at once) and
 * allocation-free: the recorder's histograms are sized for 1 ns to {@link #HIGHEST_NS} at 3
 * significant digits up front (no auto-resize), and a value above the range is clamped to it and
 * counted in {@link #clampedSamples()} rather than thrown away. After the run, {@link #histograms()}
 * and {@link #counters()} are the repetition's results.
 *
 * <p>Coordinated omission: every workload in the catalogue is closed-loop (the next call starts when
 * the previous one returns), so there is no intended injection interval to correct for; {@link
 * LatencyRecorderImpl#recordWithExpectedInterval} is there for a fixed-rate injector
 * (research/anchors.md C.2).
 */
public final class RunMeasurements implements Measurements {
  /** Largest latency a histogram tracks: one hour, in nanoseconds. */
  public static final long HIGHEST_NS = 3_600_000_000_000L;

  /** Significant decimal digits of every histogram. */
  public static final int DIGITS = 3;

  private final Map<String, LatencyRecorderImpl> latencies = new ConcurrentHashMap<>();
  private final Map<String, CounterImpl> counters = new ConcurrentHashMap<>();
  private final LongAdder clamped = new LongAdder();
  private final Map<String, String> notes = new ConcurrentHashMap<>();
  private final Machine machine;
  private volatile LedgerSnapshot windowStart;

  /** Measurements that do not track a measured window (pre-flight installs, tests). */
  public RunMeasurements() {
    this(null);
  }

  /**
   * Measurements of a run on {@code machine}: a {@link #warmupBarrier} snapshots its ledger when the
   * warm-up ends, and {@link #windowStart()} returns that snapshot.
   */
  public RunMeasurements(Machine machine) {
    this.machine = machine;
  }

  @Override
  public WarmupBarrier warmupBarrier(int clients) {
    return new WarmupBarrier(clients, () -> {
      if (machine != null && windowStart == null) {
        windowStart = machine.ledger().snapshot();
      }
    });
  }

  /**
   * Where the measured window starts: the ledger when the last client finished its warm-up, or the
   * start of the run when the workload has no warm-up barrier.
   */
  public LedgerSnapshot windowStart() {
    LedgerSnapshot s = windowStart;
    return s != null ? s : LedgerSnapshot.start();
  }

  @Override
  public LatencyRecorder latency(String metric) {
    checkName(metric);
    return latencies.computeIfAbsent(metric, m -> new LatencyRecorderImpl(clamped));
  }

  @Override
  public Counter counter(String metric) {
    checkName(metric);
    return counters.computeIfAbsent(metric, m -> new CounterImpl());
  }

  private static void checkName(String metric) {
    checkedName(metric);
  }

  /** {@code metric}, if it is a valid metric name. */
  static String checkedName(String metric) {
    if (metric == null || !metric.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "metric name '" + metric + "' must be letters, digits, '.', '_' or '-' (it names files and CSV rows)");
    }
    return metric;
  }

  /**
   * Keeps a workload's note on how the run mapped onto the mechanism (written to metadata.json and
   * report.md); a later note under the same key replaces an earlier one. Implements the {@code
   * Measurements.note} default method of the workload contract where it exists.
   */
  public void note(String key, String text) {
    notes.put(key, text);
  }

  /** The notes, by key (sorted). */
  public Map<String, String> notes() {
    return Collections.unmodifiableMap(new TreeMap<>(notes));
  }

  /** Each latency metric's histogram, by name (sorted); call once, after the run. */
  public Map<String, Histogram> histograms() {
    Map<String, Histogram> out = new TreeMap<>();
    latencies.forEach((k, v) -> out.put(k, v.recorder.getIntervalHistogram()));
    return Collections.unmodifiableMap(out);
  }

  /** Each counter's total, by name (sorted). */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.adder.sum()));
    return Collections.unmodifiableMap(out);
  }

  /** Samples that exceeded {@link #HIGHEST_NS} and were recorded as that value. */
  public long clampedSamples() {
    return clamped.sum();
  }

  /** An HdrHistogram-backed latency recorder: wait-free, allocation-free. */
  public static final class LatencyRecorderImpl implements LatencyRecorder {
    private final Recorder recorder = new Recorder(HIGHEST_NS, DIGITS);
    private final LongAdder clamped;

    LatencyRecorderImpl(LongAdder clamped) {
      this.clamped = clamped;
    }

    @Override
    public void record(long ns) {
      recorder.recordValue(clamp(ns));
    }

    /**
     * Records {@code ns} and back-fills the samples a fixed-rate injector with period {@code
     * intervalNs} would have taken during a stall (HdrHistogram's coordinated-omission correction).
     */
    public void recordWithExpectedInterval(long ns, long intervalNs) {
      recorder.recordValueWithExpectedInterval(clamp(ns), intervalNs);
    }

    private long clamp(long ns) {
      if (ns < 0) {
        return 0;
      }
      if (ns > HIGHEST_NS) {
        clamped.increment();
        return HIGHEST_NS;
      }
      return ns;
    }
  }

  private static final class CounterImpl implements Counter {
    final LongAdder adder = new LongAdder();

    @Override
    public void add(long n) {
      adder.add(n);
    }
  }
}
