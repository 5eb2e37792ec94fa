package org.ipctestbed.experiments.results;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Writes one run's results folder (issue 6, "Results layout"): after every finished repetition its
 * rows are appended to results.csv and its histograms to the .hlog logs, and metadata.json (marked
 * {@code running}) is rewritten at most every {@link #METADATA_INTERVAL_NS} of wall time, so that a
 * run of a million repetitions does not rewrite whole files after each (issue 13). At the end come
 * summary.csv, significance.csv, percentiles.csv (the latency distributions of the .hlog files as
 * CSV, {@link PercentileSpectrum}), the charts and report.md, and only then metadata.json marked with
 * how the run ended, so that a folder never says {@code complete} without its report. Files other
 * than the two appended ones are written whole ({@link AtomicFiles}).
 *
 * <p>The folder is an {@link OutputFolder}: the writer works in its staging folder and publishes it
 * once the first repetition is written, so an earlier run's results stay until new data exists. A
 * write that fails (a full disk) ends the run as {@code failed} with the reason, never a {@code
 * running} status that nothing will change.
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

  /** The longest metadata.json stays unrewritten while a run goes on (wall time). */
  static final long METADATA_INTERVAL_NS = 5_000_000_000L;

  private final Harness.Plan plan;
  private final OutputFolder folder;
  private final Map<String, Double> hlogTime = new LinkedHashMap<>();
  private int appended;
  private long metadataWrittenAt;
  private String started = Instant.now().toString();
  /** The end time a merge records (that of its last shard); null: the time of writing. */
  private String ended;
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
  private Map<String, Object> environment = Environment.describe();
  private Map<String, Object> git = Environment.git();
  /** A shard's {@code shard} block of metadata.json ({@link ShardData#block}); null for a whole run. */
  private Map<String, Object> shardBlock;
  /** A merged folder's {@code mergedFrom} list ({@link ShardMerge}); null otherwise. */
  private List<Object> mergedFrom;

  /** A writer for {@code plan}'s claimed {@code folder} that draws {@code chartTypes} at the end. */
  public ResultsWriter(Harness.Plan plan, List<String> chartTypes, OutputFolder folder) {
    this.plan = plan;
    this.chartTypes = List.copyOf(chartTypes);
    this.folder = folder;
    for (Param p : plan.workload().params()) {
      String c = p.name().replace(' ', '_');
      paramColumns.add(ResultsDir.HEAD.contains(c) || ResultsDir.TAIL.contains(c) ? "param_" + c : c);
    }
  }

  public String status() {
    return status;
  }

  /**
   * Makes this the writer of a shard ({@code --shard I/N}): metadata.json gets {@code block} as its
   * {@code shard} field and counts the shard's units as planned, and the end of the run writes
   * {@link ShardData#FILE}, what {@code merge} reads. Call before the first checkpoint.
   */
  public void shard(Map<String, Object> block) {
    this.shardBlock = block;
  }

  /**
   * For {@code merge}: the merged folder records the shards' host, JDK and code version and their
   * wall-clock span (the first shard's start, the last one's end), not the merge's, and where it was
   * merged from.
   */
  void provenance(Map<String, Object> env, Map<String, Object> gitInfo, String startedAt, String endedAt, List<Object> from) {
    this.environment = env;
    this.git = gitInfo;
    this.started = startedAt;
    this.ended = endedAt;
    this.mergedFrom = from;
  }

  /**
   * For {@code merge}: writes every file of a complete run of {@code results} (in run order) into the
   * staging folder and publishes it only when all of them were written; on a failure the staging
   * folder is removed and an earlier folder stays as it was.
   *
   * @throws UncheckedIOException (or another RuntimeException) when a file cannot be written
   */
  void writeWhole(List<RepResult> results) {
    lock.lock();
    boolean ok = false;
    try {
      written = List.copyOf(results);
      appendData(written);
      writeMetadata(written, RUNNING, ""); // the charts read the folder's metadata, as during a run
      status = COMPLETE;
      figures = writeEnd(chartTypes);
      closed = true;
      ok = true;
    } finally {
      try {
        if (ok) {
          folder.finish(true);
        } else {
          folder.close();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  public String reason() {
    return reason;
  }

  /** The measured repetitions written so far. */
  public int repetitions() {
    lock.lock();
    try {
      return written.size();
    } finally {
      lock.unlock();
    }
  }

  /** The charts drawn by {@link #finish} (empty before, or when no repetition finished). */
  public List<ChartBook.Figure> figures() {
    return figures;
  }

  /**
   * Appends the repetitions of {@code results} not written yet to results.csv and the histogram logs,
   * and rewrites metadata.json (status running) when it is the first checkpoint or the last rewrite
   * is {@link #METADATA_INTERVAL_NS} old; the first checkpoint publishes the folder.
   *
   * @throws UncheckedIOException when a file cannot be written
   */
  public void checkpoint(List<RepResult> results) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      written = List.copyOf(results);
      appendData(written);
      long now = System.nanoTime();
      if (!folder.published() || now - metadataWrittenAt >= METADATA_INTERVAL_NS) {
        writeMetadata(written, RUNNING, "");
        metadataWrittenAt = now;
      }
      folder.publish();
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
      try {
        figures = writeEnd(chartTypes);
      } catch (RuntimeException e) {
        writeFailure(e);
      }
      closed = true;
    } finally {
      try {
        // a shard publishes even with no unit of its own (N > units): merge needs its metadata
        folder.finish(!written.isEmpty() || shardBlock != null && COMPLETE.equals(status));
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * The end of a run: the data not yet appended, the analysis, percentiles.csv, the charts and the
   * report (drawn from the final metadata before it is on disk), then metadata.json.
   */
  private List<ChartBook.Figure> writeEnd(List<String> types) {
    List<ChartBook.Figure> drawn = List.of();
    if (!written.isEmpty()) {
      appendData(written);
      Path dir = folder.dir();
      writeAnalysis(dir, Csv.read(dir.resolve(ResultsDir.RESULTS)));
      PercentileSpectrum.write(dir);
      drawn = List.copyOf(ChartBook.draw(dir, types, metadata(written, status, reason)));
    }
    if (shardBlock != null) {
      AtomicFiles.writeString(folder.dir().resolve(ShardData.FILE), ShardData.write(plan, written));
    }
    writeMetadata(written, status, reason);
    return drawn;
  }

  /** A write at the end failed: the run is {@code failed} with the reason, recorded if the disk lets us. */
  private void writeFailure(RuntimeException e) {
    status = FAILED;
    String first = e.getMessage() == null ? e.getClass().getName() : e.getMessage().lines().findFirst().orElse("");
    reason = (reason.isEmpty() ? "" : reason + "; then ") + "could not write the results: " + first;
    try {
      writeMetadata(written, FAILED, reason);
    } catch (RuntimeException again) {
      reason += " (metadata.json could not be updated either)";
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
      try {
        writeEnd(List.of()); // report.md only: the JVM is exiting, charts can be drawn later
      } catch (RuntimeException e) {
        writeFailure(e);
      }
    } finally {
      try {
        folder.finish(!written.isEmpty());
      } finally {
        lock.unlock();
      }
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

  /** The scheduler policy strategy {@code mechanism} ran on (its native one under {@code --policy native}). */
  private String policyOf(String mechanism) {
    for (IpcProvider p : plan.providers()) {
      if (p.name().equals(mechanism)) {
        return org.ipctestbed.experiments.harness.Harness.policyFor(plan.spec(), p);
      }
    }
    return plan.spec().policy();
  }

  /** The tidy rows of one repetition. */
  List<List<String>> rows(RepResult r) {
    List<String> prefix = new ArrayList<>();
    Point p = r.point();
    prefix.add(plan.workload().name());
    prefix.add(r.mechanism());
    prefix.add(p.engine());
    prefix.add(plan.spec().costModel());
    prefix.add(policyOf(r.mechanism()));
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
      } else if (k.startsWith(org.ipctestbed.experiments.harness.Harness.CONTENTION_TRANSFERS_PREFIX)) {
        row(out, prefix, "contention", k.substring(org.ipctestbed.experiments.harness.Harness.CONTENTION_TRANSFERS_PREFIX.length()),
            "transfers", v, "count");
      } else if (k.startsWith(org.ipctestbed.experiments.harness.Harness.CONTENTION_WAIT_PREFIX)) {
        row(out, prefix, "contention", k.substring(org.ipctestbed.experiments.harness.Harness.CONTENTION_WAIT_PREFIX.length()),
            "wait_ns", v, "ns");
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

  /**
   * Appends the rows of the repetitions after the first {@code appended} to results.csv (creating it
   * with its header) and their histograms to the .hlog files (creating each with its header). The
   * bytes are those of writing the whole files at once.
   */
  private void appendData(List<RepResult> results) {
    if (appended >= results.size()) {
      return;
    }
    Path dir = folder.dir();
    List<RepResult> fresh = results.subList(appended, results.size());
    List<List<String>> rows = new ArrayList<>();
    for (RepResult r : fresh) {
      rows.addAll(rows(r));
    }
    String csv = Csv.format(header(), rows);
    append(dir.resolve(ResultsDir.RESULTS), appended == 0 ? csv : csv.substring(csv.indexOf('\n') + 1));
    for (RepResult r : fresh) {
      for (String metric : new java.util.TreeSet<>(r.latencies().keySet())) {
        String file = hlogName(r.point(), r.mechanism(), metric);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, false, StandardCharsets.UTF_8);
        HistogramLogWriter w = new HistogramLogWriter(out);
        Double t = hlogTime.get(file);
        if (t == null) {
          t = 0.0;
          w.outputComment("IPC Testbed: workload " + plan.workload().name() + ", mechanism " + r.mechanism()
              + ", metric " + metric + " (ns), " + r.point().engine() + " engine, " + r.point().cpus()
              + " CPUs" + (r.point().label().isEmpty() ? "" : ", " + r.point().label())
              + "; one interval per repetition, tagged rep<N>");
          w.outputLogFormatVersion();
          w.outputLegend();
        }
        Histogram h = r.latencies().get(metric).copy();
        h.setTag("rep" + r.rep());
        double len = r.elapsedNs() / 1e9;
        w.outputIntervalHistogram(t, t + len, h, 1.0);
        hlogTime.put(file, t + len);
        out.flush();
        append(dir.resolve(file), buf.toString(StandardCharsets.UTF_8));
      }
    }
    appended = results.size();
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code latency-METRIC-MECHANISM[-POINT].hlog}. */
  public static String hlogName(Point p, String mechanism, String metric) {
    return "latency-" + metric + "-" + mechanism + (p.slug().isEmpty() ? "" : "-" + p.slug()) + ".hlog";
  }

  // ------------------------------------------------------------------ metadata.json

  /** The {@code costModel} block of metadata.json: the model's name, figures, whether deterministic, and every cost's distribution. */
  static Map<String, Object> costModelBlock(org.ipctestbed.experiments.harness.ExperimentSpec spec) {
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("name", spec.costModel());
    CostModel model = CostModel.named(spec.costModel());
    cm.put("figuresNs", model.asMap());
    cm.put("deterministic", spec.deterministic());
    cm.put("detail", (spec.deterministic() ? model.deterministic() : model).describe());
    return cm;
  }

  private void writeMetadata(List<RepResult> results, String st, String why) {
    AtomicFiles.writeString(folder.dir().resolve(ResultsDir.METADATA), Json.write(metadata(results, st, why)));
  }

  private Map<String, Object> metadata(List<RepResult> results, String st, String why) {
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
    m.put("costModel", costModelBlock(spec));
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
    Map<String, Object> policies = new LinkedHashMap<>();
    for (IpcProvider p : plan.providers()) {
      policies.put(p.name(), org.ipctestbed.experiments.harness.Harness.policyFor(spec, p));
    }
    m.put("policyByMechanism", policies);
    m.put("machineConfig", org.ipctestbed.substrate.MachineConfig.builder()
        .cpus(spec.cpus().get(0)).engine(spec.engines().get(0)).costModel(spec.costModel()).deterministic(spec.deterministic()).policy(policyOf(plan.providers().get(0).name()))
        .seed(spec.seed()).build().asMap());
    m.put("environment", environment);
    m.put("git", git);
    m.put("startedAt", started);
    m.put("endedAt", st.equals(RUNNING) ? null : ended != null ? ended : Instant.now().toString());
    m.put("plannedReps", shardBlock != null ? shardBlock.get("ownedUnits") : (Object) plan.units());
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
    if (shardBlock != null) {
      m.put("shard", shardBlock);
    }
    if (mergedFrom != null) {
      m.put("mergedFrom", mergedFrom);
    }
    return m;
  }

}
