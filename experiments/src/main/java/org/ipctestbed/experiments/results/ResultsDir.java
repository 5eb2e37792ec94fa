package org.ipctestbed.experiments.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A results folder and its schema (issue 6, "Results layout"). Knows which files the harness writes
 * there, checks that a folder may be written or read, and reads {@code metadata.json} back with a
 * version check so that {@code chart} and {@code compare} refuse folders they do not understand.
 */
public final class ResultsDir {
  private ResultsDir() {}

  /** The {@code schema} field of every metadata.json. */
  public static final String SCHEMA = "ipc-testbed-results";

  /** Bumped whenever a file's columns or meaning change incompatibly. */
  public static final int SCHEMA_VERSION = 1;

  public static final String RESULTS = "results.csv";
  public static final String SUMMARY = "summary.csv";
  public static final String SIGNIFICANCE = "significance.csv";
  public static final String METADATA = "metadata.json";
  public static final String REPORT = "report.md";
  /** The latency distributions as CSV (written by {@code charts.PercentileSpectrum}). */
  public static final String PERCENTILES = "percentiles.csv";

  /** Leading columns of results.csv; the workload's parameters follow them, then {@link #TAIL}. */
  public static final List<String> HEAD = List.of("workload", "mechanism", "engine", "cost_model", "policy", "cpus");

  /** Trailing columns of results.csv. */
  public static final List<String> TAIL = List.of("rep", "seed", "metric", "subject", "stat", "value", "unit");

  /** Whether {@code name} is a file this harness writes into a results folder (and may replace). */
  public static boolean isGenerated(String name) {
    return name.equals(RESULTS) || name.equals(SUMMARY) || name.equals(SIGNIFICANCE) || name.equals(METADATA)
        || name.equals(REPORT) || name.equals(PERCENTILES) || name.equals(ShardData.FILE) || name.endsWith(".hlog") || name.endsWith(".png") || name.endsWith(".svg");
  }

  /**
   * Checks, without changing anything, that results may be written to {@code dir}.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static void checkWritable(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("output folder " + dir + " is a file; choose a folder with --out");
    }
    if (Files.isDirectory(dir)) {
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException("output folder " + dir + " is not writable");
      }
      boolean ours = Files.isRegularFile(dir.resolve(METADATA));
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read output folder " + dir + ": " + e.getMessage(), e);
      }
      if (!ours && !empty) {
        throw new IllegalArgumentException(
            "output folder " + dir + " is not empty and holds no testbed results (no " + METADATA + "); choose another --out");
      }
      if (ours && !isTestbedMetadata(dir.resolve(METADATA))) {
        throw new IllegalArgumentException(
            "output folder " + dir + " has a " + METADATA + " that is not testbed metadata; choose another --out");
      }
    } else {
      Path parent = dir.toAbsolutePath().getParent();
      while (parent != null && !Files.exists(parent)) {
        parent = parent.getParent();
      }
      if (parent != null && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
        throw new IllegalArgumentException("cannot create output folder " + dir + ": " + parent + " is not a writable folder");
      }
    }
  }

  /**
   * Reads the metadata.json {@code f} as a map (any schema version).
   *
   * @throws IllegalArgumentException when it cannot be read or is not a JSON object
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> readMetadata(Path f) {
    if (Json.read(f) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(f + " is not a JSON object");
  }

  /** Whether {@code f} is a metadata.json this testbed wrote (any schema version: an old run may be replaced). */
  static boolean isTestbedMetadata(Path f) {
    try {
      return Json.read(f) instanceof Map<?, ?> m && SCHEMA.equals(m.get("schema"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Reads and checks {@code dir/metadata.json}.
   *
   * @throws IllegalArgumentException when it is missing, malformed or of another schema version
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> metadata(Path dir) {
    Path f = dir.resolve(METADATA);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a results folder (not a folder)");
    }
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(dir + " is not a results folder: it has no " + METADATA);
    }
    Object o = Json.read(f);
    if (!(o instanceof Map<?, ?> m) || !SCHEMA.equals(m.get("schema"))) {
      throw new IllegalArgumentException(f + " is not testbed metadata (schema is not '" + SCHEMA + "')");
    }
    Object v = m.get("schemaVersion");
    if (!(v instanceof Long l) || l != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          dir + " holds results of schema version " + v + "; this testbed reads version " + SCHEMA_VERSION + " (re-run the experiment)");
    }
    checkFields(f, (Map<String, Object>) m);
    return (Map<String, Object>) m;
  }

  /** The fields chart, compare and the report read, with their JSON types: a file without them is refused. */
  private static final Map<String, Class<?>> REQUIRED = requiredFields();

  private static Map<String, Class<?>> requiredFields() {
    Map<String, Class<?>> r = new java.util.LinkedHashMap<>();
    r.put("status", String.class);
    r.put("interrupted", Boolean.class);
    r.put("workload", String.class);
    r.put("mechanisms", List.class);
    r.put("engines", List.class);
    r.put("cpus", List.class);
    r.put("reps", Long.class);
    r.put("seed", Long.class);
    r.put("params", Map.class);
    r.put("varying", List.class);
    r.put("costModel", Map.class);
    r.put("policy", String.class);
    r.put("repetitions", List.class);
    return r;
  }

  private static final List<String> STATUSES = List.of("running", "complete", "interrupted", "failed");

  /** Strict schema check of a version-1 metadata map: one line naming the first bad field. */
  private static void checkFields(Path f, Map<String, Object> m) {
    for (Map.Entry<String, Class<?>> e : REQUIRED.entrySet()) {
      Object v = m.get(e.getKey());
      if (!e.getValue().isInstance(v)) {
        throw new IllegalArgumentException(f + ": field '" + e.getKey() + "' must be " + jsonType(e.getValue()) + ", got "
            + (v == null ? (m.containsKey(e.getKey()) ? "null" : "nothing") : jsonType(v.getClass())));
      }
    }
    if (!STATUSES.contains(m.get("status"))) {
      throw new IllegalArgumentException(f + ": field 'status' must be one of " + STATUSES + ", got '" + m.get("status") + "'");
    }
  }

  private static String jsonType(Class<?> c) {
    if (String.class.isAssignableFrom(c)) {
      return "a string";
    }
    if (Boolean.class.isAssignableFrom(c)) {
      return "true or false";
    }
    if (Long.class.isAssignableFrom(c)) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(c)) {
      return "a number";
    }
    if (List.class.isAssignableFrom(c)) {
      return "a list";
    }
    return Map.class.isAssignableFrom(c) ? "an object" : c.getSimpleName();
  }

  /**
   * Reads {@code dir/results.csv} after checking the metadata and the column layout.
   *
   * @throws IllegalArgumentException when the folder is not a compatible results folder
   */
  public static Csv.Table results(Path dir) {
    metadata(dir);
    Path f = dir.resolve(RESULTS);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(dir + " has no " + RESULTS + " (the run finished no repetition)");
    }
    Csv.Table t = Csv.read(f);
    if (t.header().size() < HEAD.size() + TAIL.size()
        || !t.header().subList(0, HEAD.size()).equals(HEAD)
        || !t.header().subList(t.header().size() - TAIL.size(), t.header().size()).equals(TAIL)) {
      throw new IllegalArgumentException(f + " does not have the columns of schema version " + SCHEMA_VERSION + ": " + t.header());
    }
    checkNumbers(f, t);
    return t;
  }

  /** The columns of results.csv that hold numbers. */
  private static final List<String> NUMERIC = List.of("cpus", "rep", "seed", "value");

  /** Every numeric field of results.csv parses: one line naming the file, line and column of the first that does not. */
  private static void checkNumbers(Path f, Csv.Table t) {
    int[] cols = NUMERIC.stream().mapToInt(t.header()::lastIndexOf).toArray();
    for (int r = 0; r < t.rows().size(); r++) {
      List<String> row = t.rows().get(r);
      for (int i = 0; i < cols.length; i++) {
        String v = row.get(cols[i]);
        try {
          Csv.parseNumber(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(f + " line " + (r + 2) + ", column " + (cols[i] + 1) + " (" + NUMERIC.get(i) + "): '"
              + v + "' is not a number");
        }
      }
    }
  }

  /** The parameter columns of a results.csv header. */
  public static List<String> paramColumns(List<String> header) {
    return header.subList(HEAD.size(), header.size() - TAIL.size());
  }
}
