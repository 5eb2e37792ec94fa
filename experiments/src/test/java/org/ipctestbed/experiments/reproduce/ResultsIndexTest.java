package org.ipctestbed.experiments.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "Done when": the results index ({@code results/README.md}) shows the figures measured on a
 * historical preset beside the published ones, not only the experiment's own report.
 */
class ResultsIndexTest {
  @Test
  void theIndexCarriesTheReportsMeasuredVsPublishedTableAndNothingAfterIt(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report.md");
    Files.writeString(report, "# syscall-msg\n\n## Measured vs published\n\nintro\n\n"
        + "| point | mechanism | metric | measured p50 (ns) | published (ns) | difference | source |\n"
        + "|---|---|---|---|---|---|---|\n| - | lwkt | getuid-trap | 1,266 | 1,300 | -2.6% | lwkt.md 7 |\n\n"
        + "## Charts\n\nnot this\n");
    String section = ReproducePlan.measuredVsPublished(report);
    assertTrue(section.startsWith("### Measured vs published\n"), section);
    assertTrue(section.contains("| lwkt | getuid-trap | 1,266 | 1,300 | -2.6% |"), section);
    assertTrue(!section.contains("Charts") && !section.contains("not this"), section);
  }

  @Test
  void aReportWithoutPublishedFiguresOrNoReportAddsNothing(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report.md");
    Files.writeString(report, "# null-rpc\n\n## Charts\n");
    assertEquals("", ReproducePlan.measuredVsPublished(report));
    assertEquals("", ReproducePlan.measuredVsPublished(dir.resolve("missing.md")));
  }
}
