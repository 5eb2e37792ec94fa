package org.ipctestbed.experiments.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.ipctestbed.experiments.cli.Main;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.stats.LatencyStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * percentiles.csv (issue 16): the .hlog distributions as CSV, from which the notebooks recover every
 * percentile results.csv reports and the merged distribution the cdf chart draws.
 */
class PercentileSpectrumTest {
  @TempDir static Path tmp;
  static Path run;

  @BeforeAll
  static void runASweep() {
    run = tmp.resolve("run");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new String[] {"run", "test-rpc", "--ipc", "test-echo,test-echo-slow", "--reps", "3",
        "--set", "ops=300", "--set", "bytes=0,512", "--quiet", "--no-charts", "--out", run.toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
  }

  static List<Map<String, String>> spectrum(Path dir) {
    return Analysis.rows(Csv.read(dir.resolve(PercentileSpectrum.FILE)));
  }

  /** The identifying columns of a row of percentiles.csv or results.csv: point, mechanism, rep and metric. */
  static List<String> id(Map<String, String> r) {
    return List.of(r.get("mechanism"), r.get("engine"), r.get("cpus"), r.get("bytes"), r.get("rep"), r.get("metric"));
  }

  /** HdrHistogram's getValueAtPercentile, as percentiles.csv's Javadoc tells a reader to compute it. */
  static double valueAt(List<Map<String, String>> rows, double p) {
    long total = Long.parseLong(rows.get(0).get("total_count"));
    long need = Math.max(1, (long) Math.ceil(Math.nextDown(p) / 100.0 * total));
    for (Map<String, String> r : rows) {
      if (Long.parseLong(r.get("cumulative_count")) >= need) {
        return Double.parseDouble(r.get("value"));
      }
    }
    throw new AssertionError("no row reaches percentile " + p);
  }

  /** A copy of the run's data files (results.csv, metadata.json, .hlog) in a new folder {@code name}. */
  static Path dataOnly(String name) throws java.io.IOException {
    Path copy = tmp.resolve(name);
    Files.createDirectories(copy);
    try (var files = Files.list(run)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith(".hlog") || n.equals("results.csv") || n.equals("metadata.json")) {
          Files.copy(f, copy.resolve(n));
        }
      }
    }
    return copy;
  }

  @Test
  void theHarnessWritesOneRowPerRecordedValueWithThePointsColumnsBesideTheHlogFiles() {
    List<Map<String, String>> rows = spectrum(run);
    assertFalse(rows.isEmpty());
    List<String> header = Csv.read(run.resolve(PercentileSpectrum.FILE)).header();
    assertEquals(List.of("workload", "mechanism", "engine", "cost_model", "policy", "cpus"), header.subList(0, 6));
    assertTrue(header.contains("bytes"), header.toString());
    assertEquals(PercentileSpectrum.TAIL, header.subList(header.size() - PercentileSpectrum.TAIL.size(), header.size()));
    // every mechanism, payload and repetition is there
    Map<List<String>, Integer> groups = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      groups.merge(id(r), 1, Integer::sum);
    }
    assertEquals(2 * 2 * 3, groups.size(), groups.keySet().toString());
  }

  @Test
  void everyPercentileOfResultsCsvIsRecoveredExactlyFromTheSpectrum() {
    Map<List<String>, List<Map<String, String>>> byRep = new LinkedHashMap<>();
    for (Map<String, String> r : spectrum(run)) {
      byRep.computeIfAbsent(id(r), k -> new ArrayList<>()).add(r);
    }
    int checked = 0;
    for (Map<String, String> r : Analysis.rows(ResultsDir.results(run))) {
      List<Map<String, String>> rows = byRep.get(id(r));
      if (rows == null || !LatencyStats.PERCENTILES.contains(r.get("stat")) && !r.get("stat").equals("count")) {
        continue; // not a latency metric's percentile
      }
      double expected = Csv.parseNumber(r.get("value"));
      double got = switch (r.get("stat")) {
        case "max" -> valueAt(rows, 100);
        case "p99.9" -> valueAt(rows, 99.9);
        case "count" -> Double.parseDouble(rows.get(0).get("total_count"));
        default -> valueAt(rows, Double.parseDouble(r.get("stat").substring(1)));
      };
      assertEquals(expected, got, 0.0, r.toString());
      checked++;
    }
    assertEquals(2 * 2 * 3 * (LatencyStats.PERCENTILES.size() + 1), checked);
  }

  @Test
  void theCountsSummedOverRepetitionsAreTheDistributionTheCdfChartDraws() {
    ResultData d = new ResultData(run);
    String point = d.points.keySet().iterator().next();
    Map<String, String> dims = d.points.get(point);
    Histogram merged = ChartBook.readHlog(d.hlog(point, "test-echo", "call"));
    Map<Long, Long> fromChart = new TreeMap<>();
    for (HistogramIterationValue v : merged.recordedValues()) {
      fromChart.put(merged.highestEquivalentValue(v.getValueIteratedTo()), v.getCountAtValueIteratedTo());
    }
    Map<Long, Long> fromCsv = new TreeMap<>();
    for (Map<String, String> r : spectrum(run)) {
      if (r.get("mechanism").equals("test-echo") && r.get("metric").equals("call") && r.get("bytes").equals(dims.get("bytes"))) {
        fromCsv.merge(Long.parseLong(r.get("value")), Long.parseLong(r.get("count")), Long::sum);
      }
    }
    assertEquals(fromChart, fromCsv);
  }

  @Test
  void aFolderWithoutTheFileGetsTheSameFileFromChart() throws Exception {
    Path copy = dataOnly("copy");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.execute(new String[] {"chart", copy.toString(), "--type", "percentiles"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(PercentileSpectrum.FILE), out.toString(StandardCharsets.UTF_8));
    assertEquals(Files.readString(run.resolve(PercentileSpectrum.FILE)), Files.readString(copy.resolve(PercentileSpectrum.FILE)));
  }

  @Test
  void aRepetitionMissingFromItsHlogFileHasNoRowsInsteadOfFailing() throws Exception {
    Path copy = dataOnly("truncated");
    ResultData d = new ResultData(copy);
    String point = d.points.keySet().iterator().next();
    Files.delete(d.hlog(point, "test-echo-slow", "call"));
    int rows = PercentileSpectrum.write(copy);
    assertTrue(rows > 0);
    assertTrue(spectrum(copy).stream().noneMatch(r -> r.get("mechanism").equals("test-echo-slow")
        && r.get("bytes").equals(d.points.get(point).get("bytes"))));
  }
}
