package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.Json;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.stats.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "Reports that do not overstate": the warm-up stays out of throughput and CPU time per
 * operation, a difference is significant only when both tests can be computed and agree, intervals of
 * quantities that cannot be negative never go below zero (and say so when cut), and no workload note
 * is lost or cut off.
 */
class ReportsDoNotOverstateTest {
  @TempDir Path tmp;

  private static ExperimentSpec nullRpc(Path out, String warmup, String ops, String mechanism) {
    return new ExperimentSpec("null-rpc", List.of(mechanism), List.of("sim"), List.of(2), 2, 0, 1,
        Map.of("warmup", List.of(warmup), "ops", List.of(ops)), "modern-x86", "proportional-share", out, "test");
  }

  private static double cpuPerOp(RepResult r) {
    long charged = r.cpuTime().stream().filter(c -> !c.subject().equals("idle")).mapToLong(RepResult.CpuTime::ns).sum();
    return (double) charged / r.counters().get("ops");
  }

  @Test
  void throughputAndCpuTimePerOperationExcludeTheWarmUpCalls() {
    for (String mech : List.of("ppc", "lwkt", "direct-call")) {
      Harness.Plan with = Harness.plan(nullRpc(tmp.resolve("w-" + mech), "2000", "1000", mech));
      Harness.Plan without = Harness.plan(nullRpc(tmp.resolve("n-" + mech), "0", "1000", mech));
      RepResult w = Harness.runOnce(with.spec(), with.workload(), with.providers().get(0), with.points().get(0), 0, 1);
      RepResult n = Harness.runOnce(without.spec(), without.workload(), without.providers().get(0), without.points().get(0), 0, 1);
      assertEquals(1000L, w.counters().get("ops"));
      // Three times as many calls ran with the warm-up; per measured call nothing may change.
      assertTrue(w.elapsedNs() > 2.5 * n.elapsedNs(), mech + ": the warm-up ran (" + w.elapsedNs() + " vs " + n.elapsedNs() + ")");
      assertEquals(n.throughput(), w.throughput(), 0.02 * n.throughput(), mech + ": throughput with and without warm-up");
      assertEquals(cpuPerOp(n), cpuPerOp(w), 0.02 * cpuPerOp(n), mech + ": CPU ns per op with and without warm-up");
      long charged = w.cpuTime().stream().mapToLong(RepResult.CpuTime::ns).sum();
      assertEquals(2 * w.measuredNs(), charged, mech + ": the window's accounts + idle = CPUs x measured window (exact on sim)");
    }
  }

  @Test
  void aDifferenceIsSignificantOnlyWhenBothTestsCanBeComputedAndAgree() {
    double[] a = {10, 10, 10};
    double[] b = {20, 20, 20};
    // Zero variance on both sides: Welch's p is n/a, Mann-Whitney alone would say "different".
    Stats.TestResult w = Stats.welch(a, b);
    Stats.TestResult u = Stats.mannWhitney(a, b);
    assertTrue(Double.isNaN(w.p()));
    assertEquals("n/a", Analysis.verdict(w, u));
    assertEquals("yes", Analysis.verdict(new Stats.TestResult(5, 0.001), new Stats.TestResult(0, 0.01)));
    assertEquals("mixed", Analysis.verdict(new Stats.TestResult(5, 0.001), new Stats.TestResult(0, 0.2)));
    assertEquals("no", Analysis.verdict(new Stats.TestResult(1, 0.5), new Stats.TestResult(0, 0.2)));
  }

  @Test
  void intervalsOfQuantitiesThatCannotBeNegativeNeverGoBelowZeroAndSaySoWhenCut() {
    double[] spread = {100, 2_000, 150}; // 3 real-engine repetitions, one slow: the t-interval reaches below 0
    assertTrue(Stats.summarize(spread).ciLow() < 0, "precondition: the plain t-interval goes negative");
    Stats.Summary s = Stats.summarizeNonNegative(spread);
    assertEquals(0.0, s.ciLow());
    assertTrue(s.lowClamped());
    assertEquals(Stats.summarize(spread).ciHigh(), s.ciHigh());
    Stats.Summary tight = Stats.summarizeNonNegative(new double[] {100, 101, 102});
    assertFalse(tight.lowClamped());
    assertTrue(tight.ciLow() > 0);
    // The ledger's identity error may be negative: its interval is not cut.
    assertTrue(Analysis.canBeNegative("ledger_identity_error"));
    assertFalse(Analysis.canBeNegative("call"));
  }

  @Test
  void summaryCsvFlagsEveryCutIntervalAndNoIntervalOfALatencyIsNegative() throws Exception {
    Path out = tmp.resolve("sweep");
    Harness.Outcome o = new Harness(List.of()).run(new ExperimentSpec("payload-sweep", List.of("ppc", "lwkt"), List.of("sim"),
        List.of(2), 3, 0, 1, Map.of("bytes", List.of("0", "4096"), "ops", List.of("50"), "warmup", List.of("10")),
        "modern-x86", "proportional-share", out, "test"), new Harness.Listener() {});
    assertTrue(o.complete(), o.reason());
    Csv.Table summary = Csv.read(out.resolve(ResultsDir.SUMMARY));
    assertTrue(summary.header().contains("ci95_low_clamped"), summary.header().toString());
    for (Map<String, String> r : Analysis.rows(summary)) {
      if (!Analysis.canBeNegative(r.get("metric")) && !r.get("ci95_low").isEmpty() && !r.get("ci95_low").equals("NaN")) {
        assertTrue(Csv.parseNumber(r.get("ci95_low")) >= 0, "negative interval in " + r);
      }
    }
    // Notes of every point are kept, and each is whole: ppc refuses 4096 bytes (its PPC page is 4072).
    @SuppressWarnings("unchecked")
    Map<String, Object> notes = (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(out.resolve(ResultsDir.METADATA)))).get("notes");
    @SuppressWarnings("unchecked")
    Map<String, Object> ppc = (Map<String, Object>) notes.get("ppc");
    assertTrue(String.valueOf(ppc.get("served-on (bytes=0)")).matches(".*ran on CPU 0 \\(\\d+ calls\\).*"), ppc.toString());
    assertTrue(String.valueOf(ppc.get("served-on (bytes=4096)")).endsWith("the handler ran no call"), ppc.toString());
    assertTrue(String.valueOf(ppc.get("refused (bytes=4096)")).contains("refused a 4096-byte message"), ppc.toString());
    String report = Files.readString(out.resolve(ResultsDir.REPORT));
    assertFalse(report.contains("the handler ran on\n"), "a cut-off note in report.md");
  }
}
