package org.ipctestbed.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "Done when": a simulated experiment run twice with one seed is byte-identical, with
 * another seed differs, and its intervals have non-zero width; {@code --deterministic} gives
 * zero-width intervals again; every cost's source is listed.
 */
class SeededVariabilityCliTest {
  @TempDir Path tmp;

  private Path run(String name, String... extra) {
    Path out = tmp.resolve(name);
    List<String> args = new java.util.ArrayList<>(List.of("run", "null-rpc", "--ipc", "ppc", "--reps", "3", "--set", "ops=300",
        "--set", "warmup=20", "--quiet", "--no-charts", "--out", out.toString()));
    args.addAll(List.of(extra));
    CliTest.Result r = CliTest.cli(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return out;
  }

  /** ci95_low and ci95_high of the p50 call latency row of summary.csv. */
  private static double[] medianInterval(Path dir) throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("summary.csv"));
    List<String> head = List.of(lines.get(0).split(","));
    for (String l : lines) {
      String[] f = l.split(",");
      if (l.contains(",call,") && f[head.indexOf("stat")].equals("p50")) {
        return new double[] {Double.parseDouble(f[head.indexOf("ci95_low")]), Double.parseDouble(f[head.indexOf("ci95_high")])};
      }
    }
    throw new AssertionError("no p50 call row in " + lines);
  }

  @Test
  void oneSeedTwiceIsByteIdenticalAnotherSeedDiffersAndIntervalsHaveWidth() throws Exception {
    Path a = run("a");
    Path b = run("b");
    Path c = run("c", "--seed", "99");
    assertArrayEquals(Files.readAllBytes(a.resolve("results.csv")), Files.readAllBytes(b.resolve("results.csv")));
    assertArrayEquals(Files.readAllBytes(a.resolve("summary.csv")), Files.readAllBytes(b.resolve("summary.csv")));
    assertFalse(Files.readString(a.resolve("results.csv")).equals(Files.readString(c.resolve("results.csv"))));
    double[] ci = medianInterval(a);
    assertTrue(ci[1] > ci[0], "the median's interval should have width: " + ci[0] + ".." + ci[1]);
    String meta = Files.readString(a.resolve("metadata.json"));
    assertTrue(meta.contains("\"deterministic\": false"), meta);
    assertTrue(meta.contains("anchors.md"), "metadata.json should carry each cost's source");
  }

  @Test
  void theReportNamesTheContentionPointsOfASharedServerAndNotOfReplicas() throws Exception {
    Path out = tmp.resolve("scaling");
    CliTest.Result r = CliTest.cli("run", "many-clients", "--ipc", "ppc,lwkt", "--cpus", "4", "--reps", "2", "--set", "clients=4",
        "--set", "server-cpus=4", "--set", "server-state=shared,per-cpu", "--set", "ops=200", "--set", "warmup=20", "--quiet",
        "--no-charts", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("## Contention points"), report);
    assertTrue(report.contains("| server object |"), report);
    assertTrue(report.contains("Most waiting: **"), report);
    assertFalse(report.contains("server object replica"), "replicas are written by one CPU each: " + report);
    String csv = Files.readString(out.resolve("results.csv"));
    assertTrue(csv.contains(",contention,server object,transfers,"), "results.csv carries the contention rows");
  }

  @Test
  void theDeterministicSwitchGivesZeroWidthIntervals() throws Exception {
    double[] ci = medianInterval(run("d", "--deterministic"));
    assertEquals(ci[0], ci[1]);
  }

  @Test
  void listCostModelsShowsEveryCostWithItsDistributionAndSource() {
    CliTest.Result r = CliTest.cli("list", "--cost-models");
    assertEquals(0, r.code(), r.err());
    for (String s : new String[] {"modern-x86", "IPI_LATENCY", "log-normal", "source: estimated", "anchors.md", "timer", "background"}) {
      assertTrue(r.out().contains(s), s + " in\n" + r.out());
    }
  }

  @Test
  void aBadCostModelFileIsOneLineAndExit2() throws Exception {
    Path f = tmp.resolve("bad.properties");
    Files.writeString(f, "model.name=x\ncost.TRAP.shape=wobbly\ncost.TRAP.source=s\n");
    CliTest.assertBadInput(CliTest.cli("run", "null-rpc", "--cost-model", f.toString(), "--out", tmp.resolve("x").toString()), "wobbly");
  }
}
