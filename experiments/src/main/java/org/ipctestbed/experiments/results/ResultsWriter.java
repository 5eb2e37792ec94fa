package org.ipctestbed.experiments.results;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.charts.PercentileSpectrum;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.harness.Point;
import org.ipctestbed.experiments.harness.RepResult;
import org.ipctestbed.experiments.stats.LatencyStats;
import org.ipctestbed.experiments.workload.Param;
import org.ipctestbed.ipc.ConfiguredProvider;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.StrategyOptions;
import org.ipctestbed.substrate.CostModel;

/**
 * Writes one run's results folder (issue 6, "Results layout"): results.csv, the .hlog histogram
 * logs and metadata.json after every finished repetition (marked unfinished), then, at the end,
 * summary.csv, significance.csv, percentiles.csv (the latency distributions of the .hlog files as
 * CSV, {@link PercentileSpectrum}), the charts and report.md, and metadata.json marked with how the
 * run ended. Every file is written whole ({@link AtomicFiles}).
 *
 * <p>Thread safety: the harness thread writes; a JVM shutdown hook may {@link #close} the writer
 * concurrently to record an interruption. A lock orders the two, and once closed the writer ignores
 * later writes, so the interruption is never overwritten. (This is harness code, not a fiber hot
 * path: a lock is fine here.)
 */
public final class ResultsWriter {
  public static final String RUNNING = "running";
  public static final String COMPLETE = "complete";
  public static final String INTERRUPTED = "interrupted";
  public static final String FAILED = "failed";

  private final Harness.Plan plan;
  private final Path dir;
  private final String started = Instant.now().toString();
  private final List<String> paramColumns = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private List<RepResult> written = List.of();
  private boolean closed;
  private String status = RUNNING;
  private String reason = "";
  private String failureReport = "";
  private List<ChartBook.Figure> figures = List.of();

  private final List<String> chartTypes;
  /** Looked up once per run: git and the host do not change during it, and spawning git per repetition is slow. */
  private final Map<String, Object> environment = Environment.describe();
  private final Map<String, Object> git = Environment.git();

  /** A writer for {@code plan}'s folder that draws {@code chartTypes} at the end. */
  public ResultsWriter(Harness.Plan plan, List<String> chartTypes) {
    this.plan = plan;
    this.chartTypes = List.copyOf(chartTypes);
    this.dir = plan.spec().out();
    for (Param p : plan.workload().params()) {
      String c = p.name().replace(' ', '_');
      paramColumns.add(ResultsDir.HEAD.contains(c) || ResultsDir.TAIL.contains(c) ? "param_" + c : c);
    }
  }

  public String status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** The charts drawn by {@link #finish} (empty before, or when no repetition finished). */
  public List<ChartBook.Figure> figures() {
    return figures;
  }

  /** Writes results.csv, the histogram logs and metadata.json (status running) for {@code results}. */
  public void checkpoint(List<RepResult> results) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      written = List.copyOf(results);
      writeData(written, results.isEmpty() ? null : results.get(results.size() - 1));
      writeMetadata(written, RUNNING, "");
    } finally {
      lock.unlock();
    }
  }

  /** Writes every file for {@code results} and marks the run {@code finalStatus}. */
  public void finish(List<RepResult> results, String finalStatus, String why) {
    finish(results, finalStatus, why, "");
  }

  /**
   * Writes every file for {@code results} and marks the run {@code finalStatus}; {@code report} is the
   * failure's whole report (a deadlock's list of fibers, many lines), kept in metadata.json.
   */
  public void finish(List<RepResult> results, String finalStatus, String why, String report) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      written = List.copyOf(results);
      status = finalStatus;
      reason = why;
      failureReport = report;
      if (!written.isEmpty()) {
        writeData(written, null);
        Csv.Table table = Csv.read(dir.resolve(ResultsDir.RESULTS));
        writeAnalysis(dir, table);
      }
      writeMetadata(written, finalStatus, why);
      if (!written.isEmpty()) {
        PercentileSpectrum.write(dir);
        figures = List.copyOf(ChartBook.draw(dir, chartTypes));
      }
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** From a shutdown hook: records {@code finalStatus} with the repetitions written so far, then ignores further writes. */
  public void close(String finalStatus, String why) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      status = finalStatus;
      reason = why;
      if (!written.isEmpty()) {
        writeAnalysis(dir, Csv.read(dir.resolve(ResultsDir.RESULTS)));
      }
      writeMetadata(written, finalStatus, why);
      if (!written.isEmpty()) {
        PercentileSpectrum.write(dir);
        ChartBook.draw(dir, List.of()); // report.md only: the JVM is exiting, charts can be drawn later
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes summary.csv and significance.csv for the results in {@code dir}. */
  public static void writeAnalysis(Path dir, Csv.Table results) {
    Csv.Table s = Analysis.summary(results);
    AtomicFiles.writeString(dir.resolve(ResultsDir.SUMMARY), Csv.format(s.header(), s.rows()));
    Csv.Table g = Analysis.significance(results);
    AtomicFiles.writeString(dir.resolve(ResultsDir.SIGNIFICANCE), Csv.format(g.header(), g.rows()));
  }

  // ------------------------------------------------------------------ results.csv and .hlog

  List<String> header() {
    List<String> h = new ArrayList<>(ResultsDir.HEAD);
    h.addAll(paramColumns);
    h.addAll(ResultsDir.TAIL);
    return h;
  }

  /** The tidy rows of one repetition. */
  List<List<String>> rows(RepResult r) {
    List<String> prefix = new ArrayList<>();
    Point p = r.point();
    prefix.add(plan.workload().name());
    prefix.add(r.mechanism());
    prefix.add(p.engine());
    prefix.add(plan.spec().costModel());
    prefix.add(plan.spec().policy());
    prefix.add(Integer.toString(p.cpus()));
    prefix.addAll(p.params().values());
    prefix.add(Integer.toString(r.rep()));
    prefix.add(Long.toString(r.seed()));
    List<List<String>> out = new ArrayList<>();
    row(out, prefix, "elapsed", "", "value", r.elapsedNs(), "ns");
    row(out, prefix, "measured_elapsed", "", "value", r.measuredNs(), "ns");
    if (r.counters().containsKey("ops")) {
      row(out, prefix, "throughput", "", "value", r.throughput(), "ops/s");
    }
    r.counters().forEach((k, v) -> {
      if (k.startsWith(org.ipctestbed.experiments.harness.Harness.COST_PREFIX)) {
        row(out, prefix, "mechanism_cost", k.substring(org.ipctestbed.experiments.harness.Harness.COST_PREFIX.length()), "ns", v, "ns");
      } else {
        row(out, prefix, k, "", "count", v, "count");
      }
    });
    r.latencies().forEach((k, h) -> {
      for (String s : LatencyStats.NAMES) {
        row(out, prefix, k, "", s, LatencyStats.of(h, s), s.equals("count") ? "count" : "ns");
      }
    });
    for (RepResult.CpuTime c : r.cpuTime()) {
      row(out, prefix, "cpu_time", c.subject(), c.category(), c.ns(), "ns");
    }
    row(out, prefix, "ledger_identity_error", "", "value", r.identityErrorNs(), "ns");
    return out;
  }

  private static void row(List<List<String>> out, List<String> prefix, String metric, String subject, String stat, double v, String unit) {
    List<String> row = new ArrayList<>(prefix);
    row.add(metric);
    row.add(subject);
    row.add(stat);
    row.add(Csv.number(v));
    row.add(unit);
    out.add(row);
  }

  /** Writes results.csv and the .hlog files (only those of {@code latest}'s point and mechanism, unless it is null). */
  private void writeData(List<RepResult> results, RepResult latest) {
    List<List<String>> rows = new ArrayList<>();
    for (RepResult r : results) {
      rows.addAll(rows(r));
    }
    AtomicFiles.writeString(dir.resolve(ResultsDir.RESULTS), Csv.format(header(), rows));
    Map<String, List<RepResult>> byFile = new TreeMap<>();
    for (RepResult r : results) {
      if (latest != null && (!r.point().equals(latest.point()) || !r.mechanism().equals(latest.mechanism()))) {
        continue;
      }
      for (String metric : r.latencies().keySet()) {
        byFile.computeIfAbsent(hlogName(r.point(), r.mechanism(), metric), k -> new ArrayList<>()).add(r);
      }
    }
    byFile.forEach((file, reps) -> {
      String metric = metricOf(file, reps.get(0));
      AtomicFiles.write(dir.resolve(file), out -> {
        HistogramLogWriter w = new HistogramLogWriter(out);
        w.outputComment("IPC Testbed: workload " + plan.workload().name() + ", mechanism " + reps.get(0).mechanism()
            + ", metric " + metric + " (ns), " + reps.get(0).point().engine() + " engine, " + reps.get(0).point().cpus()
            + " CPUs" + (reps.get(0).point().label().isEmpty() ? "" : ", " + reps.get(0).point().label())
            + "; one interval per repetition, tagged rep<N>");
        w.outputLogFormatVersion();
        w.outputLegend();
        double t = 0;
        for (RepResult r : reps) {
          Histogram h = r.latencies().get(metric).copy();
          h.setTag("rep" + r.rep());
          double len = r.elapsedNs() / 1e9;
          w.outputIntervalHistogram(t, t + len, h, 1.0);
          t += len;
        }
        out.flush();
      });
    });
  }

  private static String metricOf(String file, RepResult r) {
    for (String m : r.latencies().keySet()) {
      if (file.equals(hlogName(r.point(), r.mechanism(), m))) {
        return m;
      }
    }
    throw new IllegalStateException(file);
  }

  /** {@code latency-METRIC-MECHANISM[-POINT].hlog}. */
  public static String hlogName(Point p, String mechanism, String metric) {
    return "latency-" + metric + "-" + mechanism + (p.slug().isEmpty() ? "" : "-" + p.slug()) + ".hlog";
  }

  // ------------------------------------------------------------------ metadata.json

  private void writeMetadata(List<RepResult> results, String st, String why) {
    var spec = plan.spec();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", ResultsDir.SCHEMA);
    m.put("schemaVersion", ResultsDir.SCHEMA_VERSION);
    m.put("status", st);
    m.put("interrupted", !st.equals(COMPLETE));
    m.put("interruptReason", st.equals(RUNNING) ? "the run had not finished when this file was written" : why);
    m.put("failureReport", st.equals(FAILED) ? failureReport : "");
    m.put("commandLine", spec.commandLine());
    m.put("workload", plan.workload().name());
    m.put("workloadDescription", plan.workload().description());
    List<Object> mechs = new ArrayList<>();
    for (IpcProvider p : plan.providers()) {
      Map<String, Object> e = new LinkedHashMap<>();
      IpcProvider base = p instanceof ConfiguredProvider c ? c.base() : p;
      e.put("name", p.name());
      e.put("strategy", base.name());
      e.put("description", base.description());
      e.put("class", base.getClass().getName());
      e.put("options", (p instanceof ConfiguredProvider c ? c.strategyOptions() : StrategyOptions.defaults(p)).asMap());
      e.put("accounting", p.accounting().map(Object::toString).orElse("undeclared"));
      mechs.add(e);
    }
    m.put("mechanisms", mechs);
    m.put("engines", spec.engines());
    m.put("cpus", spec.cpus());
    m.put("reps", spec.reps());
    Map<String, Object> warm = new LinkedHashMap<>();
    for (String e : spec.engines()) {
      warm.put(e, spec.warmupsFor(e));
    }
    m.put("warmupReps", warm);
    m.put("seed", spec.seed());
    m.put("seedRule", "repetition r runs with seed + r; warm-up w (1-based) with seed - w");
    Map<String, Object> params = new LinkedHashMap<>();
    for (Param p : plan.workload().params()) {
      List<String> given = spec.sets().get(p.name());
      params.put(p.name(), given == null ? p.defaultValue() : given.size() == 1 ? given.get(0) : given);
    }
    m.put("params", params);
    m.put("paramColumns", paramColumns);
    m.put("varying", plan.points().get(0).varying());
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("name", spec.costModel());
    CostModel model = CostModel.named(spec.costModel());
    cm.put("figuresNs", model.asMap());
    cm.put("deterministic", spec.deterministic());
    cm.put("detail", (spec.deterministic() ? model.deterministic() : model).describe());
    m.put("costModel", cm);
    List<Object> published = new ArrayList<>();
    for (org.ipctestbed.experiments.workload.PublishedFigure f : plan.workload().published()) {
      if (f.costModel().equals(spec.costModel())) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("metric", f.metric());
        e.put("mechanism", f.mechanism());
        e.put("ns", f.ns());
        e.put("source", f.source());
        published.add(e);
      }
    }
    m.put("published", published);
    m.put("policy", spec.policy());
    m.put("machineConfig", org.ipctestbed.substrate.MachineConfig.builder()
        .cpus(spec.cpus().get(0)).engine(spec.engines().get(0)).costModel(spec.costModel()).deterministic(spec.deterministic()).policy(spec.policy())
        .seed(spec.seed()).build().asMap());
    m.put("environment", environment);
    m.put("git", git);
    m.put("startedAt", started);
    m.put("endedAt", st.equals(RUNNING) ? null : Instant.now().toString());
    m.put("plannedReps", plan.points().size() * plan.providers().size() * spec.reps());
    m.put("completedReps", results.size());
    List<Object> reps = new ArrayList<>();
    long clamped = 0;
    for (RepResult r : results) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("point", r.point().label());
      e.put("mechanism", r.mechanism());
      e.put("engine", r.point().engine());
      e.put("cpus", r.point().cpus());
      e.put("rep", r.rep());
      e.put("seed", r.seed());
      e.put("elapsedNs", r.elapsedNs());
      e.put("traceDigest", r.traceDigest());
      e.put("ledgerIdentityErrorNs", r.identityErrorNs());
      reps.add(e);
      clamped += r.clampedSamples();
    }
    m.put("repetitions", reps);
    Map<String, Object> notes = new LinkedHashMap<>();
    for (RepResult r : results) {
      if (!r.notes().isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> forMech = (Map<String, Object>) notes.computeIfAbsent(r.mechanism(), k -> new LinkedHashMap<String, Object>());
        // One entry per point: a later point's note must not replace an earlier point's.
        String at = r.point().label();
        r.notes().forEach((k, v) -> forMech.put(at.isEmpty() ? k : k + " (" + at + ")", v));
      }
    }
    m.put("notes", notes);
    m.put("clampedLatencySamples", clamped);
    Map<String, Object> units = new LinkedHashMap<>();
    units.put("latency", "ns (virtual in sim, wall in real)");
    units.put("throughput", "operations per second of the measured window (measured_elapsed: warm-up excluded)");
    units.put("cpu_time", "ns charged by the ledger during the measured window, per process name (processes of one name summed) and category");
    m.put("units", units);
    AtomicFiles.writeString(dir.resolve(ResultsDir.METADATA), Json.write(m));
  }

}
