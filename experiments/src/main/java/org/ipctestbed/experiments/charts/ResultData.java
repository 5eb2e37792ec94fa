package org.ipctestbed.experiments.charts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.stats.Stats;

/**
 * A results folder read back for drawing: the rows of results.csv indexed by point, mechanism and
 * measurement, and the metadata that names the engine, cost model and varying dimensions. Charts are
 * drawn only from this, so every figure's data is in the CSV (or .hlog) beside it.
 */
final class ResultData {
  final Path dir;
  final Map<String, Object> metadata;
  /** Where input that had to be left out is reported (one line each). */
  java.util.function.Consumer<String> warn = w -> {};
  final String workload;
  final List<String> params;
  final List<String> varying;
  final List<String> mechanisms = new ArrayList<>();
  /** Point keys in first-seen order, each with its dimension values. */
  final Map<String, Map<String, String>> points = new LinkedHashMap<>();
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final Map<String, Set<String>> metricsByStat = new LinkedHashMap<>();
  private final Set<String> subjects = new LinkedHashSet<>();
  private final Set<String> contentionPoints = new LinkedHashSet<>();

  ResultData(Path dir) {
    this(dir, null);
  }

  /** The data of {@code dir}, with {@code given} in place of its metadata.json unless null. */
  @SuppressWarnings("unchecked")
  ResultData(Path dir, Map<String, Object> given) {
    this.dir = dir;
    Map<String, Object> onDisk = ResultsDir.metadata(dir); // checks the folder even when the caller supplies the map
    this.metadata = given == null ? onDisk : given;
    Csv.Table t = ResultsDir.results(dir);
    this.params = List.copyOf(ResultsDir.paramColumns(t.header()));
    Object v = metadata.get("varying");
    this.varying = v instanceof List<?> l ? (List<String>) l : List.of();
    String wl = null;
    for (Map<String, String> r : Analysis.rows(t)) {
      wl = r.get("workload");
      String mech = r.get("mechanism");
      if (!mechanisms.contains(mech)) {
        mechanisms.add(mech);
      }
      Map<String, String> dims = dimensions(r);
      String pk = dims.toString();
      points.putIfAbsent(pk, dims);
      String metric = r.get("metric");
      String subject = r.get("subject");
      String stat = r.get("stat");
      metricsByStat.computeIfAbsent(stat + "|" + r.get("unit"), k -> new LinkedHashSet<>()).add(metric);
      if (metric.equals("cpu_time")) {
        subjects.add(subject + "|" + stat);
      }
      if (metric.equals("contention")) {
        contentionPoints.add(subject);
      }
      values.computeIfAbsent(key(pk, mech, metric, subject, stat), k -> new ArrayList<>()).add(Csv.parseNumber(r.get("value")));
    }
    this.workload = wl == null ? String.valueOf(metadata.get("workload")) : wl;
  }

  /** The dimensions (engine, CPUs, parameters) of a results.csv row, which identify its point. */
  private Map<String, String> dimensions(Map<String, String> row) {
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("engine", row.get("engine"));
    dims.put("cpus", row.get("cpus"));
    for (String p : params) {
      dims.put(p, row.get(p));
    }
    return dims;
  }

  /** The key of the point a results.csv row belongs to (a key of {@link #points}). */
  String pointOf(Map<String, String> row) {
    return dimensions(row).toString();
  }

  /** The .hlog file the harness wrote for one latency metric of a mechanism at a point. */
  Path hlog(String point, String mech, String metric) {
    String s = slug(point);
    return dir.resolve("latency-" + metric + "-" + mech + (s.isEmpty() ? "" : "-" + s) + ".hlog");
  }

  private static String key(String point, String mech, String metric, String subject, String stat) {
    return point + "\u0001" + mech + "\u0001" + metric + "\u0001" + subject + "\u0001" + stat;
  }

  /** The repetition values of one measurement (empty when absent). */
  double[] values(String point, String mech, String metric, String subject, String stat) {
    List<Double> l = values.get(key(point, mech, metric, subject, stat));
    return l == null ? new double[0] : l.stream().mapToDouble(Double::doubleValue).toArray();
  }

  Stats.Summary summary(String point, String mech, String metric, String subject, String stat) {
    return Analysis.canBeNegative(metric)
        ? Stats.summarize(values(point, mech, metric, subject, stat))
        : Stats.summarizeNonNegative(values(point, mech, metric, subject, stat));
  }

  /** Latency metrics: those reported with a p50 in ns. */
  List<String> latencyMetrics() {
    return new ArrayList<>(metricsByStat.getOrDefault("p50|ns", Set.of()));
  }

  /** Counter metrics. */
  /** The named contention points of the simulated runs (rows of metric {@code contention}), first-seen order. */
  Set<String> contentionPoints() {
    return contentionPoints;
  }

  Set<String> counters() {
    return metricsByStat.getOrDefault("count|count", Set.of());
  }

  boolean hasThroughput() {
    return metricsByStat.getOrDefault("value|ops/s", Set.of()).contains("throughput");
  }

  /** {@code subject|category} pairs of the CPU-time rows, in first-seen order. */
  List<String> cpuSubjects() {
    return new ArrayList<>(subjects);
  }

  /** The label of a point: its varying dimensions, {@code k=v ...}. */
  String label(String point) {
    return label(point, false);
  }

  /** The label without the engine and CPU count (which {@link #context} names already). */
  String paramLabel(String point) {
    return label(point, true);
  }

  private String label(String point, boolean paramsOnly) {
    Map<String, String> d = points.get(point);
    List<String> parts = new ArrayList<>();
    for (String v : varying) {
      if (paramsOnly && (v.equals("engine") || v.equals("cpus"))) {
        continue;
      }
      if (d.containsKey(v)) {
        parts.add(v + "=" + d.get(v));
      }
    }
    return String.join(" ", parts);
  }

  /** The file-name fragment of a point, as the harness names its .hlog files. */
  String slug(String point) {
    Map<String, String> d = points.get(point);
    List<String> parts = new ArrayList<>();
    for (String v : varying) {
      if (d.containsKey(v)) {
        parts.add(safe(v) + "-" + safe(d.get(v)));
      }
    }
    return String.join("_", parts);
  }

  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9.+-]", "-");
  }

  String costModel() {
    Object cm = metadata.get("costModel");
    return cm instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "?";
  }

  /** "sim, modern-x86, 2 CPUs": the engine, cost model and CPU count every chart title names. */
  String context(String point) {
    Map<String, String> d = points.get(point);
    String engine = d.get("engine");
    return engine + (engine.equals("sim") ? ", " + costModel() : " engine") + ", " + d.get("cpus") + " CPU" + (d.get("cpus").equals("1") ? "" : "s");
  }
}
