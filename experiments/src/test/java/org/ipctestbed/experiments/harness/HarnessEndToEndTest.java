package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.Json;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.ipc.IpcProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end with the test-only strategies and workload (found through ServiceLoader
 * only): one sweep over payload size and CPU count, two mechanisms, three repetitions, every file of
 * the results layout checked.
 */
class HarnessEndToEndTest {
  @TempDir static Path tmp;
  static Path dir;
  static Path single;
  static Harness.Outcome outcome;

  static ExperimentSpec spec(Path out, Map<String, List<String>> sets, int reps) {
    return new ExperimentSpec("test-rpc", List.of("test-echo", "test-echo-slow"), List.of("sim"), List.of(1, 2), reps, -1, 7,
        sets, "modern-x86", "proportional-share", out, "test");
  }

  @BeforeAll
  static void runOnce() {
    dir = tmp.resolve("run");
    // The sweep draws the charts across points; the per-point charts are drawn for one point below
    // (rendering at 300 dpi is what takes the time on a loaded 2-core machine).
    outcome = new Harness(List.of("latency-vs-param", "throughput-vs-cpus")).run(spec(dir, Map.of("bytes", List.of("0", "512"), "clients", List.of("@cpus"), "sends", List.of("20")), 3),
        new Harness.Listener() {});
    single = tmp.resolve("single");
    new Harness().run(new ExperimentSpec("test-rpc", List.of("test-echo", "test-echo-slow"), List.of("sim"), List.of(2), 2, -1, 7,
        Map.of("sends", List.of("20")), "modern-x86", "proportional-share", single, "test"), new Harness.Listener() {});
  }

  @Test
  void aStrategyFoundOnlyThroughServiceLoaderRunsThroughTheHarness() {
    assertTrue(IpcProvider.all().stream().anyMatch(p -> p.name().equals("test-echo")));
    assertTrue(outcome.complete(), outcome.reason());
    assertEquals(2 * 2 * 2 * 3, outcome.results().size());
  }

  @Test
  void theResultsFolderHoldsEveryFileOfTheLayout() throws Exception {
    Set<String> names = new TreeSet<>();
    for (Path d : List.of(dir, single)) {
      try (Stream<Path> s = Files.list(d)) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    }
    for (String f : List.of("results.csv", "summary.csv", "significance.csv", "metadata.json", "report.md",
        "latency-call-test-echo-cpus-2_bytes-512.hlog", "latency-vs-bytes-call-cpus-1.png", "latency-vs-bytes-call-cpus-1.svg",
        "throughput-vs-cpus-bytes-0.png", "latency-call-test-echo-slow.hlog", "percentiles-call.png", "percentiles-call.svg",
        "cpu-time.png", "async.png", "cdf-call.svg")) {
      assertTrue(names.contains(f), f + " missing; have " + names);
    }
    assertFalse(names.stream().anyMatch(n -> n.startsWith(".tmp-")), "temporary files left: " + names);
    byte[] png = Files.readAllBytes(single.resolve("percentiles-call.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    String report = Files.readString(single.resolve("report.md"));
    assertTrue(report.contains("![percentiles-call](percentiles-call.png)"), report);
  }

  @Test
  void resultsCsvIsTidyWithOneColumnPerParameter() {
    Csv.Table t = Csv.read(dir.resolve("results.csv"));
    assertEquals(List.of("workload", "mechanism", "engine", "cost_model", "policy", "cpus", "ops", "bytes", "work-ns", "clients",
        "sends", "fail-seed", "error-seed", "rep", "seed", "metric", "subject", "stat", "value", "unit"), t.header());
    List<Map<String, String>> rows = Analysis.rows(t);
    Set<String> metrics = new TreeSet<>();
    rows.forEach(r -> metrics.add(r.get("metric") + "/" + r.get("stat")));
    assertTrue(metrics.containsAll(List.of("call/p50", "call/p90", "call/p99", "call/p99.9", "call/max", "call/mean",
        "throughput/value", "elapsed/value", "ops/count", "cpu_time/user", "cpu_time/mechanism", "cpu_time/idle")), metrics.toString());
    for (Map<String, String> r : rows) {
      if (r.get("metric").equals("ledger_identity_error")) {
        assertEquals("0", r.get("value"), "ledger identity must hold: " + r);
      }
      if (r.get("metric").equals("ops")) {
        assertEquals(Integer.parseInt(r.get("clients")) * 200, Integer.parseInt(r.get("value")));
      }
    }
    assertTrue(rows.stream().anyMatch(r -> r.get("clients").equals("2") && r.get("cpus").equals("2")), "@cpus resolves per point");
  }

  @Test
  void throughputIsOpsPerSecondOfElapsedTime() {
    for (RepResult r : outcome.results()) {
      assertEquals(r.counters().get("ops") * 1e9 / r.elapsedNs(), r.throughput(), 1e-6);
    }
  }

  @Test
  void summaryAndSignificanceHaveTheirColumns() {
    Csv.Table s = Csv.read(dir.resolve("summary.csv"));
    assertEquals(Analysis.SUMMARY_STATS, s.header().subList(s.header().size() - Analysis.SUMMARY_STATS.size(), s.header().size()));
    assertEquals(List.of("n", "mean", "sd", "median", "min", "max", "ci95_low", "ci95_high", "ci95_low_clamped"), Analysis.SUMMARY_STATS);
    Map<String, String> p50 = Analysis.rows(s).stream()
        .filter(r -> r.get("metric").equals("call") && r.get("stat").equals("p50")).findFirst().orElseThrow();
    assertEquals("3", p50.get("n"));
    assertTrue(Double.parseDouble(p50.get("ci95_low")) <= Double.parseDouble(p50.get("mean")));
    Csv.Table g = Csv.read(dir.resolve("significance.csv"));
    assertEquals(Analysis.TEST_COLUMNS, g.header().subList(g.header().size() - Analysis.TEST_COLUMNS.size(), g.header().size()));
    Map<String, String> row = Analysis.rows(g).stream()
        .filter(r -> r.get("metric").equals("call") && r.get("stat").equals("p50")).findFirst().orElseThrow();
    assertEquals("test-echo", row.get("mechanism_a"));
    assertEquals("test-echo-slow", row.get("mechanism_b"));
    assertTrue(Double.parseDouble(row.get("ratio_b_to_a")) > 1, "two extra address-space switches make calls slower: " + row);
  }

  @Test
  @SuppressWarnings("unchecked")
  void metadataRecordsTheWholeConfiguration() throws Exception {
    Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("metadata.json")));
    assertEquals(ResultsDir.SCHEMA, m.get("schema"));
    assertEquals(1L, m.get("schemaVersion"));
    assertEquals("complete", m.get("status"));
    assertEquals(false, m.get("interrupted"));
    for (String k : List.of("commandLine", "params", "seed", "engines", "costModel", "policy", "environment", "git", "startedAt",
        "endedAt", "repetitions")) {
      assertTrue(m.containsKey(k), k);
    }
    Map<String, Object> cm = (Map<String, Object>) m.get("costModel");
    assertEquals("modern-x86", cm.get("name"));
    assertEquals(150.0, ((Number) ((Map<String, Object>) cm.get("figuresNs")).get("ADDRESS_SPACE_SWITCH")).doubleValue());
    Map<String, Object> env = (Map<String, Object>) m.get("environment");
    for (String k : List.of("jdk", "os", "cpuModel", "cores")) {
      assertTrue(env.containsKey(k), k);
    }
    assertEquals(24L, m.get("completedReps"));
    // One note per point: a later point's note does not replace an earlier one's.
    Map<String, Object> echoNotes = (Map<String, Object>) ((Map<String, Object>) m.get("notes")).get("test-echo");
    for (String point : List.of("cpus=1 bytes=0", "cpus=1 bytes=512", "cpus=2 bytes=0", "cpus=2 bytes=512")) {
      assertEquals("counted by the handler for each one-way message it runs", echoNotes.get("wakeups (" + point + ")"), echoNotes.toString());
    }
    assertTrue(Files.readString(dir.resolve("report.md")).contains("How the workload mapped onto each mechanism"));
  }

  @Test
  void aSimulatedRunRegeneratesItsCsvFilesByteForByte() throws Exception {
    Path first = tmp.resolve("first");
    Path again = tmp.resolve("again");
    for (Path p : List.of(first, again)) {
      new Harness(List.of()).run(new ExperimentSpec("test-rpc", List.of("test-echo", "test-echo-slow"), List.of("sim"), List.of(2), 2, -1, 7,
          Map.of("clients", List.of("2")), "modern-x86", "proportional-share", p, "test"), new Harness.Listener() {});
    }
    for (String f : List.of("results.csv", "summary.csv", "significance.csv")) {
      assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void theRealEngineRunsThroughTheSameHarnessWithAWarmUpRepetition() {
    Path real = tmp.resolve("real");
    Harness.Outcome o = new Harness(List.of()).run(new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("real"), List.of(1), 2,
        -1, 7, Map.of("ops", List.of("50")), "modern-x86", "proportional-share", real, "test"), new Harness.Listener() {});
    assertTrue(o.complete(), o.reason());
    assertEquals(2, o.results().size(), "the warm-up repetition is not reported");
    assertEquals(Map.of("real", 1L), ResultsDir.metadata(real).get("warmupReps"));
    assertTrue(Analysis.rows(Csv.read(real.resolve("results.csv"))).stream().allMatch(r -> r.get("engine").equals("real")));
  }
}
