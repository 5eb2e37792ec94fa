package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.results.ResultsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that stops early keeps the repetitions it finished, readable, and says so in metadata.json. */
class InterruptedRunTest {
  @TempDir Path tmp;

  static ExperimentSpec spec(Path out, Map<String, List<String>> sets) {
    return new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("sim"), List.of(1), 4, 0, 1, sets, "modern-x86",
        "proportional-share", out, "test");
  }

  /** A listener that runs {@code action} when {@code n} repetitions are done. */
  static Harness.Listener after(int n, Runnable action) {
    return new Harness.Listener() {
      @Override
      public void repFinished(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        if (done == n) {
          action.run();
        }
      }
    };
  }

  static Set<String> reps(Path dir) {
    Set<String> reps = new TreeSet<>();
    Analysis.rows(Csv.read(dir.resolve("results.csv"))).forEach(r -> reps.add(r.get("rep")));
    return reps;
  }

  @Test
  void aStopRequestAfterTwoRepetitionsKeepsThoseTwoAndMarksTheRunInterrupted() {
    Path dir = tmp.resolve("stopped");
    Harness h = new Harness(List.of());
    Harness.Outcome o = h.run(spec(dir, Map.of()), after(2, () -> h.requestStop("stopped by the test")));
    assertEquals(ResultsWriter.INTERRUPTED, o.status());
    assertEquals(Set.of("0", "1"), reps(dir));
    Map<String, Object> md = ResultsDir.metadata(dir);
    assertEquals(true, md.get("interrupted"));
    assertEquals("interrupted", md.get("status"));
    assertEquals("stopped by the test", md.get("interruptReason"));
    assertEquals(2L, md.get("completedReps"));
    assertEquals(4L, md.get("plannedReps"));
    assertTrue(Files.isRegularFile(dir.resolve("summary.csv")));
    assertTrue(Files.isRegularFile(dir.resolve("report.md")));
  }

  @Test
  void aRepetitionThatFailsEndsTheRunAndKeepsTheEarlierOnes() throws Exception {
    Path dir = tmp.resolve("failed");
    Harness.Outcome o = new Harness(List.of()).run(spec(dir, Map.of("fail-seed", List.of("3"))), new Harness.Listener() {});
    assertEquals(ResultsWriter.FAILED, o.status());
    assertEquals(Set.of("0", "1"), reps(dir));
    String reason = (String) ResultsDir.metadata(dir).get("interruptReason");
    assertTrue(reason.contains("rep 3") && reason.contains("test failure requested"), reason);
    assertTrue(Files.readString(dir.resolve("report.md")).contains("Incomplete run"));
  }

  @Test
  void aShutdownHookInterruptionIsNotOverwrittenByTheRunThatContinues() {
    Path dir = tmp.resolve("hook");
    Harness h = new Harness(List.of());
    h.run(spec(dir, Map.of()), after(1, () -> h.interruptNow("interrupted by a signal")));
    Map<String, Object> md = ResultsDir.metadata(dir);
    assertEquals("interrupted", md.get("status"));
    assertEquals(1L, md.get("completedReps"));
    assertEquals(Set.of("0"), reps(dir));
    assertTrue(Files.isRegularFile(dir.resolve("report.md")), "the hook writes the report of what finished");
  }

  @Test
  void metadataWrittenDuringTheRunSaysItIsNotFinished() {
    Path dir = tmp.resolve("running");
    Object[] seen = new Object[1];
    new Harness(List.of()).run(spec(dir, Map.of()), after(1, () -> {
      seen[0] = ResultsDir.metadata(dir).get("status");
      assertEquals(true, ResultsDir.metadata(dir).get("interrupted"));
    }));
    assertEquals("running", seen[0]);
    assertFalse((Boolean) ResultsDir.metadata(dir).get("interrupted"));
  }

  @Test
  void theChartsOfAnInterruptedRunCanBeRedrawn() {
    Path dir = tmp.resolve("redraw");
    Harness h = new Harness(List.of());
    h.run(spec(dir, Map.of()), after(1, () -> h.requestStop("stop")));
    List<ChartBook.Figure> figs = ChartBook.draw(dir, List.of("percentiles", "cdf"));
    assertEquals(2, figs.size());
  }
}
