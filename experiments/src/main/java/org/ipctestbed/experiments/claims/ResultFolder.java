package org.ipctestbed.experiments.claims;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;

/**
 * The {@code results.csv} of one experiment folder as the claims read it: rows as column-to-value maps,
 * and per-repetition values of a selection. A folder without a readable {@code results.csv} is
 * {@linkplain #present() absent}, and the claims that need it are reported as not run.
 */
final class ResultFolder {
  private final String name;
  private final List<Map<String, String>> rows;
  private final String problem;

  private ResultFolder(String name, List<Map<String, String>> rows, String problem) {
    this.name = name;
    this.rows = rows;
    this.problem = problem;
  }

  static ResultFolder open(Path root, String name) {
    Path csv = root.resolve(name).resolve("results.csv");
    if (!Files.isRegularFile(csv)) {
      return new ResultFolder(name, List.of(), "no " + name + "/results.csv");
    }
    try {
      List<Map<String, String>> rows = Analysis.rows(Csv.read(csv));
      return rows.isEmpty()
          ? new ResultFolder(name, List.of(), name + "/results.csv has no rows")
          : new ResultFolder(name, rows, null);
    } catch (RuntimeException e) {
      return new ResultFolder(name, List.of(), "cannot read " + name + "/results.csv: " + e.getMessage());
    }
  }

  String name() {
    return name;
  }

  boolean present() {
    return problem == null;
  }

  /** Why the folder is absent ({@code null} when present). */
  String problem() {
    return problem;
  }

  /** A row selection: column = value for each pair. */
  static Predicate<Map<String, String>> where(String... kv) {
    return r -> {
      for (int i = 0; i < kv.length; i += 2) {
        if (!kv[i + 1].equals(r.get(kv[i]))) {
          return false;
        }
      }
      return true;
    };
  }

  /** The repetitions of {@code mechanism} (from its {@code elapsed} rows), in order. */
  TreeSet<Integer> reps(String mechanism) {
    return repsCache.computeIfAbsent(mechanism, this::scanReps);
  }

  private final Map<String, TreeSet<Integer>> repsCache = new java.util.HashMap<>();

  private TreeSet<Integer> scanReps(String mechanism) {
    TreeSet<Integer> s = new TreeSet<>();
    for (Map<String, String> r : rows) {
      if ("elapsed".equals(r.get("metric")) && mechanism.equals(r.get("mechanism"))) {
        s.add(Integer.parseInt(r.get("rep")));
      }
    }
    return s;
  }

  /**
   * The sum of the values of the selected rows per repetition of {@code mechanism}; a repetition with
   * no selected row gets {@code missing} (0 for a counter that never counted, NaN otherwise).
   */
  TreeMap<Integer, Double> perRep(String mechanism, Predicate<Map<String, String>> sel, double missing) {
    TreeMap<Integer, Double> m = new TreeMap<>();
    for (int rep : reps(mechanism)) {
      m.put(rep, Double.NaN);
    }
    for (Map<String, String> r : rows) {
      if (mechanism.equals(r.get("mechanism")) && sel.test(r)) {
        int rep = Integer.parseInt(r.get("rep"));
        double v = Csv.parseNumber(r.get("value"));
        m.merge(rep, v, (x, y) -> Double.isNaN(x) ? y : x + y);
      }
    }
    m.replaceAll((k, v) -> Double.isNaN(v) ? missing : v);
    return m;
  }

  /** How many rows of {@code mechanism} the selection holds per repetition (points of one kind). */
  TreeMap<Integer, Double> countPerRep(String mechanism, Predicate<Map<String, String>> sel) {
    TreeMap<Integer, Double> m = new TreeMap<>();
    for (int rep : reps(mechanism)) {
      m.put(rep, 0.0);
    }
    for (Map<String, String> r : rows) {
      if (mechanism.equals(r.get("mechanism")) && sel.test(r)) {
        m.merge(Integer.parseInt(r.get("rep")), 1.0, Double::sum);
      }
    }
    return m;
  }

  /** The distinct values of {@code column} among the rows of {@code mechanism}, in first-seen order. */
  List<String> distinct(String mechanism, String column) {
    List<String> out = new ArrayList<>();
    for (Map<String, String> r : rows) {
      String v = r.get(column);
      if (mechanism.equals(r.get("mechanism")) && v != null && !out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** The value of parameter column {@code column} (the first row's), for parameters held fixed. */
  double param(String column) {
    String v = rows.get(0).get(column);
    if (v == null) {
      throw new IllegalStateException(name + "/results.csv has no column " + column);
    }
    return Csv.parseNumber(v);
  }

  /** Whether any row has metric {@code metric} (results written before a metric existed lack it). */
  boolean hasMetric(String metric) {
    return metrics.computeIfAbsent(metric, m -> rows.stream().anyMatch(r -> m.equals(r.get("metric"))));
  }

  private final Map<String, Boolean> metrics = new java.util.HashMap<>();

  /**
   * The published figures in the folder's metadata.json ({@code published}: metric, mechanism, ns), as
   * metric to ns for {@code mechanism}; empty when there are none.
   */
  Map<String, Double> published(Path root, String mechanism) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    Path meta = root.resolve(name).resolve("metadata.json");
    if (!Files.isRegularFile(meta)) {
      return out;
    }
    try {
      if (org.ipctestbed.experiments.results.Json.read(meta) instanceof Map<?, ?> m && m.get("published") instanceof List<?> l) {
        for (Object o : l) {
          if (o instanceof Map<?, ?> e && mechanism.equals(e.get("mechanism")) && e.get("ns") instanceof Number n) {
            out.put(String.valueOf(e.get("metric")), n.doubleValue());
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // a damaged metadata.json has no usable published figure; the claim says so
    }
    return out;
  }

  boolean hasMechanism(String mechanism) {
    return !reps(mechanism).isEmpty();
  }

  static double[] values(Map<Integer, Double> perRep) {
    return perRep.values().stream().mapToDouble(Double::doubleValue).toArray();
  }
}
