package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.results.ResultsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the simulated engine seen from the harness (issue 13): runs at zero cost that used to
 * overflow the stack complete; a run whose virtual time stops advancing fails with a report naming
 * the fibers, kept whole in metadata.json; any Throwable of a repetition is a failed run with one line.
 */
class EngineFaultsTest {
  @TempDir static Path tmp;
  static Harness.Outcome livelock;
  static Path livelockDir;

  static ExperimentSpec spec(String workload, List<String> ipc, Map<String, List<String>> sets, String costModel, Path out) {
    return new ExperimentSpec(workload, ipc, List.of("sim"), List.of(2), 1, 0, 1, sets, costModel, "proportional-share", out, "test");
  }

  @BeforeAll
  static void runTheLivelock() {
    livelockDir = tmp.resolve("fairness-livelock");
    livelock = new Harness(List.of()).run(spec("fairness", List.of("ppc"),
        Map.of("ops", List.of("50"), "heavy-work-ns", List.of("0"), "light-work-ns", List.of("0")), "zero", livelockDir),
        new Harness.Listener() {});
  }

  @Test
  void manyClientsOnLwktWithTheZeroCostModelCompletes() {
    Harness.Outcome o = new Harness(List.of()).run(spec("many-clients", List.of("lwkt"), Map.of(), "zero", tmp.resolve("mc")),
        new Harness.Listener() {});
    assertTrue(o.complete(), o.reason());
    // Nothing takes virtual time at zero cost but the clients' polls at the warm-up barrier.
    assertTrue(o.results().get(0).elapsedNs() <= org.ipctestbed.experiments.workload.WarmupBarrier.POLL_NS, o.results().toString());
  }

  @Test
  void nestedCallsWithTheZeroCostModelComplete() {
    Harness.Outcome o = new Harness(List.of()).run(
        spec("nested-calls", List.of("ppc", "lwkt"), Map.of("depth", List.of("8")), "zero", tmp.resolve("nc")),
        new Harness.Listener() {});
    assertTrue(o.complete(), o.reason());
  }

  @Test
  void fairnessWithZeroWorkAtZeroCostFailsAsALivelockInsteadOfHanging() {
    assertEquals(ResultsWriter.FAILED, livelock.status());
    assertTrue(livelock.reason().startsWith("ppc rep 1: livelock at virtual time 0 ns"), livelock.reason());
    assertFalse(livelock.reason().contains("\n"), livelock.reason());
  }

  @Test
  void theLivelockReportNamingEveryFiberIsKeptWholeInMetadata() {
    Map<String, Object> md = ResultsDir.metadata(livelockDir);
    assertEquals("failed", md.get("status"));
    String report = (String) md.get("failureReport");
    for (String fiber : List.of("heavy-client", "light-client-0", "light-client-1", "light-client-2")) {
      assertTrue(report.contains("fiber '" + fiber + "'"), report);
    }
    assertFalse(report.contains("..."), report);
  }

  @Test
  void anErrorThrownOnTheEnginesThreadIsAFailedRunWithOneLine() {
    Path dir = tmp.resolve("error");
    Harness.Outcome o = new Harness(List.of()).run(new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("sim"),
        List.of(1), 3, 0, 1, Map.of("error-seed", List.of("2")), "modern-x86", "proportional-share", dir, "test"),
        new Harness.Listener() {});
    assertEquals(ResultsWriter.FAILED, o.status());
    assertEquals("test-echo rep 2: java.lang.StackOverflowError", o.reason());
    assertEquals(1, o.results().size(), "the repetition finished before the failure is kept");
    assertEquals("failed", ResultsDir.metadata(dir).get("status"));
  }
}
