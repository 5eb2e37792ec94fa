package org.ipctestbed.experiments.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.ipctestbed.experiments.reproduce.PlannedExperiment;
import org.ipctestbed.experiments.reproduce.ReproducePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The claims report end to end: from no results at all, and from every claim experiment run in quick mode. */
class ClaimsReportTest {
  @Test
  void missingExperimentsGiveNotRunRowsNotACrash(@TempDir Path root) throws Exception {
    List<ClaimResult> claims = ClaimsReport.write(root);
    assertEquals(7, claims.size());
    for (ClaimResult c : claims) {
      assertEquals(Verdict.NOT_RUN, c.verdict(), c.title());
    }
    String readme = Files.readString(root.resolve("claims/README.md"));
    assertTrue(readme.contains("**Not run**: experiment fairness not run"), readme);
    assertTrue(Files.readString(root.resolve("claims/claims.csv")).contains("not run"));
  }

  @Test
  void aReadmeTheReportDidNotWriteIsKept(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("claims"));
    Files.writeString(root.resolve("claims/README.md"), "my notes\n");
    assertThrows(IllegalArgumentException.class, () -> ClaimsReport.write(root));
    assertEquals("my notes\n", Files.readString(root.resolve("claims/README.md")));
  }

  /**
   * Runs every experiment the claims read, in the reproduce plan's quick configuration, and checks that
   * each claim gets a verdict (not which one). The scaling sweep stops at 4 CPUs instead of 64 to keep
   * the suite short: the claim reads whatever largest CPU count is there.
   */
  @Test
  void everyClaimExperimentInQuickModeProducesAVerdict(@TempDir Path root) throws Exception {
    List<PlannedExperiment> plan = new ArrayList<>();
    for (PlannedExperiment e : ReproducePlan.reference()) {
      if (!Claims.EXPERIMENTS.contains(e.name())) {
        continue;
      }
      if (e.name().equals("scaling")) {
        e = new PlannedExperiment(e.name(), e.workload(), e.claim(), e.engine(), List.of(1, 2, 4), e.costModel(), e.reps(),
            e.sets(), e.quickReps(), e.quickSets(), e.policy());
      }
      plan.add(e);
    }
    assertEquals(Claims.EXPERIMENTS.size(), plan.size(), "every folder the claims read is in the reproduce plan");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = ReproducePlan.run(plan, ReproducePlan.STRATEGIES, true, root, new LinkedHashSet<>(), new PrintStream(out),
        new PrintStream(err), true);
    assertEquals(0, rc, err.toString());
    List<ClaimResult> claims = Claims.evaluate(root);
    for (ClaimResult c : claims) {
      assertNotEquals(Verdict.NOT_RUN, c.verdict(), c.title());
      for (ClaimResult.Part p : c.parts()) {
        assertEquals(null, p.notRun(), c.title() + " / " + p.id());
      }
    }
    assertTrue(Files.isRegularFile(root.resolve("claims/README.md")), "reproduce writes the claims report");
    assertTrue(Files.readString(root.resolve("README.md")).contains("claims/README.md"), "the index links the claims");
    assertTrue(out.toString().contains("claim 7"), out.toString());
  }
}
