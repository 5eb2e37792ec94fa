package org.ipctestbed.experiments.cli;

import static org.ipctestbed.experiments.cli.CliTest.assertBadInput;
import static org.ipctestbed.experiments.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipctestbed.experiments.results.OutputFolder;
import org.ipctestbed.experiments.results.ResultsDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI never loses results it did not mean to replace and tells the truth when stopped (issue 13):
 * a held folder, committed reference results, a foreign README.md are refused with exit 2; a run
 * without --out gets a fresh folder; a signal ends a run with exit code 1 and the closing line.
 */
class OutputSafetyTest {
  @TempDir Path tmp;

  @Test
  void aSecondRunIntoAFolderThatAnotherRunHoldsExitsTwo() {
    Path dir = tmp.resolve("busy");
    try (OutputFolder held = OutputFolder.claim(dir, "test-rpc", false, false)) {
      assertBadInput(cli("run", "test-rpc", "--ipc", "test-echo", "--reps", "1", "-q", "--out", dir.toString()), "is in use by another run");
    }
  }

  @Test
  void committedReferenceResultsAreRefusedAsAnOutputFolder() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path fairness = repo.resolve("results").resolve("fairness");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(fairness.resolve("metadata.json")), "no reference results here");
    byte[] before = Files.readAllBytes(fairness.resolve("results.csv"));
    String old = System.getProperty("testbed.home");
    System.setProperty("testbed.home", repo.toString());
    try {
      CliTest.Result r = cli("run", "fairness", "--reps", "1", "-q", "--out", fairness.toString());
      org.junit.jupiter.api.Assumptions.assumeFalse(r.err().contains("in use by another run"), "a reproduce is running");
      assertBadInput(r, "holds committed reference results");
    } finally {
      if (old == null) {
        System.clearProperty("testbed.home");
      } else {
        System.setProperty("testbed.home", old);
      }
    }
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(fairness.resolve("results.csv"))));
  }

  @Test
  void aRunWithoutOutGetsAFreshFolderUnderResultsRuns() throws Exception {
    Instant at = Instant.parse("2026-11-30T05:06:07Z");
    Path first = RunCommand.defaultOut("fairness", at);
    assertEquals(Path.of("results", "runs", "fairness-20261130-050607").toString(),
        first.subpath(first.getNameCount() - 3, first.getNameCount()).toString());
    Files.createDirectories(first);
    try {
      assertEquals("fairness-20261130-050607-2", RunCommand.defaultOut("fairness", at).getFileName().toString());
    } finally {
      Files.delete(first);
    }
  }

  @Test
  void reproduceDoesNotOverwriteAForeignReadme() throws Exception {
    Path root = tmp.resolve("papers");
    Files.createDirectories(root);
    Files.writeString(root.resolve("README.md"), "# My paper's figures\n");
    assertBadInput(cli("reproduce", "--quick", "-q", "--only", "fairness", "--out", root.toString()), "has a README.md that reproduce did not write");
    assertEquals("# My paper's figures\n", Files.readString(root.resolve("README.md")));
    assertFalse(Files.exists(root.resolve("fairness")), "nothing written");
  }

  @Test
  void reproduceRefusesAnExperimentFolderOfAnotherWorkload() throws Exception {
    Path root = tmp.resolve("mixed");
    Path other = root.resolve("fairness");
    CliTest.Result r = cli("run", "test-rpc", "--ipc", "test-echo", "--reps", "1", "--set", "ops=10", "-q", "--no-charts", "--out", other.toString());
    assertEquals(0, r.code(), r.err());
    assertBadInput(cli("reproduce", "--quick", "-q", "--only", "fairness", "--out", root.toString()), "holds results of workload 'test-rpc'");
  }

  @Test
  void aSignalEndsTheRunWithExitCodeOneAndTheLineSayingWhereTheRepetitionsAre() throws Exception {
    Path dir = tmp.resolve("signalled");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path err = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(List.of(java, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Xss4m",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "test-rpc", "--ipc", "test-echo", "--reps", "100000", "--set", "ops=200", "--no-charts", "-q", "--out", dir.toString()))
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(dir.resolve(ResultsDir.RESULTS)) && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(dir.resolve(ResultsDir.RESULTS)), "the run wrote its first repetition");
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends after the signal");
    } finally {
      p.destroyForcibly();
    }
    String text = Files.readString(err, StandardCharsets.UTF_8).strip();
    assertEquals(1, p.exitValue(), text);
    assertTrue(text.endsWith("finished repetition(s) kept in " + dir), text);
    assertTrue(text.contains("interrupted: interrupted by a signal"), text);
    assertEquals("interrupted", ResultsDir.metadata(dir).get("status"));
    assertTrue(Files.exists(dir.resolve(ResultsDir.REPORT)), "the report covers the kept repetitions");
  }

}
