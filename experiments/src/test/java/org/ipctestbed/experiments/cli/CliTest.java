package org.ipctestbed.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: good runs exit 0; every kind of bad input exits 2 with one line and writes nothing. */
class CliTest {
  @TempDir static Path tmp;
  static Path good;

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void runOnce() {
    good = tmp.resolve("good");
    Result r = cli("run", "test-rpc", "--ipc", "test-echo,test-echo-slow", "--reps", "3", "--set", "ops=50", "--quiet", "--out", good.toString());
    assertEquals(0, r.code(), r.err());
  }

  /** A folder holding a metadata.json of schema version 0 and {@code file} with {@code content}. */
  static Path oldVersionFolder(String name, String file, String content) throws java.io.IOException {
    Path d = tmp.resolve(name);
    Files.createDirectories(d);
    Files.writeString(d.resolve("metadata.json"), "{\"schema\": \"ipc-testbed-results\", \"schemaVersion\": 0}");
    Files.writeString(d.resolve(file), content);
    return d;
  }

  static void assertBadInput(Result r, String mention) {
    assertEquals(2, r.code(), "exit code; stderr: " + r.err());
    String e = r.err().strip();
    assertFalse(e.contains("\n"), "one line: " + e);
    assertTrue(e.contains(mention), "'" + e + "' should mention '" + mention + "'");
  }

  @Test
  void listShowsStrategiesWorkloadsWithDefaultsEnginesCostModelsAndPolicies() {
    Result r = cli("list");
    assertEquals(0, r.code());
    for (String s : new String[] {"test-echo", "test-rpc", "work-ns", "default 400", "sim", "real", "modern-x86", "zero",
        "proportional-share", "fixed-priority-rr"}) {
      assertTrue(r.out().contains(s), s);
    }
  }

  @Test
  void aMalformedSetIsRejected() {
    assertBadInput(cli("run", "test-rpc", "--set", "ops", "--out", tmp.resolve("x1").toString()), "malformed --set 'ops'");
    assertBadInput(cli("run", "test-rpc", "--set", "ops=", "--out", tmp.resolve("x1").toString()), "empty value");
    assertFalse(Files.exists(tmp.resolve("x1")));
  }

  @Test
  void anUnknownParameterOrIllTypedValueNamesWhatIsAllowed() {
    assertBadInput(cli("run", "test-rpc", "--set", "nope=1", "--out", tmp.resolve("x2").toString()), "it has: ops, bytes");
    assertBadInput(cli("run", "test-rpc", "--set", "ops=many", "--out", tmp.resolve("x2").toString()), "ops");
    assertFalse(Files.exists(tmp.resolve("x2")));
  }

  @Test
  void anOutputFolderThatIsAFileIsRejected() throws Exception {
    Path f = tmp.resolve("afile");
    Files.writeString(f, "keep me");
    assertBadInput(cli("run", "test-rpc", "--out", f.toString()), "is a file");
    assertEquals("keep me", Files.readString(f));
  }

  @Test
  void aFolderOfOtherFilesIsNotOverwritten() throws Exception {
    Path d = tmp.resolve("someone-elses");
    Files.createDirectories(d);
    Files.writeString(d.resolve("results.csv"), "precious");
    assertBadInput(cli("run", "test-rpc", "--out", d.toString()), "holds no testbed results");
    assertEquals("precious", Files.readString(d.resolve("results.csv")));
  }

  @Test
  void aRunReplacesTheResultsOfAnOlderVersionButNotForeignMetadata() throws Exception {
    Path old = oldVersionFolder("old-version-run", "stale.png", "old chart");
    Result r = cli("run", "test-rpc", "--ipc", "test-echo", "--reps", "2", "--set", "ops=20", "-q", "--no-charts", "--out", old.toString());
    assertEquals(0, r.code(), r.err());
    assertFalse(Files.exists(old.resolve("stale.png")), "an earlier run's charts are removed");
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("metadata.json"), "{\"name\": \"someone else's\"}");
    assertBadInput(cli("run", "test-rpc", "--out", foreign.toString()), "not testbed metadata");
  }

  @Test
  void zeroRepetitionsAreRejected() {
    assertBadInput(cli("run", "test-rpc", "--reps", "0", "--out", tmp.resolve("x3").toString()), "--reps must be at least 1");
  }

  @Test
  void unknownNamesListTheAllowedValues() {
    assertBadInput(cli("run", "no-such-workload"), "syscall-msg, test-rpc");
    assertBadInput(cli("run", "test-rpc", "--ipc", "nope"), "test-echo, test-echo-slow");
    assertBadInput(cli("run", "test-rpc", "--engine", "warp"), "allowed: real, sim");
    assertBadInput(cli("run", "test-rpc", "--cost-model", "vax"), "allowed: zero, modern-x86");
    assertBadInput(cli("run", "test-rpc", "--policy", "fifo"), "allowed: proportional-share, fixed-priority-rr");
    assertBadInput(cli("run", "test-rpc", "--reps", "x"), "--reps");
    assertBadInput(cli("frobnicate"), "frobnicate");
  }

  @Test
  void moreCpusThanTheHostHasOnTheRealEngineIsRejected() {
    int host = Runtime.getRuntime().availableProcessors();
    assertBadInput(cli("run", "test-rpc", "--engine", "real", "--cpus", Integer.toString(host + 1)), "this host has " + host);
  }

  @Test
  void anUnknownChartTypeIsRejectedAndNothingIsRedrawn() throws Exception {
    long before = Files.getLastModifiedTime(good.resolve("report.md")).toMillis();
    assertBadInput(cli("chart", good.toString(), "--type", "pie"), "allowed: percentiles, latency-vs-param");
    assertEquals(before, Files.getLastModifiedTime(good.resolve("report.md")).toMillis());
  }

  @Test
  void chartRedrawsFromTheSavedData() throws Exception {
    Path copy = tmp.resolve("copy");
    Files.createDirectories(copy);
    for (String f : new String[] {"results.csv", "metadata.json", "latency-call-test-echo.hlog", "latency-call-test-echo-slow.hlog"}) {
      Files.copy(good.resolve(f), copy.resolve(f));
    }
    Result r = cli("chart", copy.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(copy.resolve("percentiles-call.png")));
    assertTrue(Files.isRegularFile(copy.resolve("cdf-call.svg")));
    assertTrue(Files.isRegularFile(copy.resolve("report.md")));
  }

  @Test
  void aResultsFolderOfAnotherSchemaVersionIsRejectedByChartAndCompare() throws Exception {
    Path old = oldVersionFolder("old", "results.csv", "a,b\n1,2\n");
    assertBadInput(cli("chart", old.toString()), "schema version 0");
    assertBadInput(cli("compare", good.toString(), old.toString()), "schema version 0");
    assertBadInput(cli("chart", tmp.resolve("missing").toString()), "not a results folder");
    assertEquals("a,b\n1,2\n", Files.readString(old.resolve("results.csv")));
  }

  @Test
  void compareOfARunWithItselfFindsNoSignificantChange() {
    Result r = cli("compare", good.toString(), good.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0 changed significantly"), r.out());
  }

  /** The good run again with one option changed, into its own folder. */
  static Path variant(String name, String... options) {
    Path dir = tmp.resolve(name);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "test-rpc",
        "--reps", "3", "--set", "ops=50", "--quiet", "--no-charts", "--out", dir.toString()));
    args.addAll(java.util.List.of(options));
    if (!args.contains("--ipc")) {
      args.addAll(java.util.List.of("--ipc", "test-echo,test-echo-slow"));
    }
    Result run = cli(args.toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    return dir;
  }

  @Test
  void compareTreatsAValueThatDiffersAsAWholeAsAChangedSetting() {
    Result r = cli("compare", good.toString(), variant("zero", "--cost-model", "zero").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Settings that changed: cost_model modern-x86 -> zero."), r.out());
    assertTrue(r.out().contains("8 measurement(s) compared;"), r.out());
    // Every row is a significant change, or n/a where a side has no variance (a p99 on a cost model
    // without noise): then Welch's test cannot be computed and Mann-Whitney alone does not decide.
    long rows = r.out().lines().filter(l -> l.startsWith("| test-echo")).count();
    long yes = r.out().lines().filter(l -> l.startsWith("| test-echo") && l.endsWith("| yes |")).count();
    long na = r.out().lines().filter(l -> l.startsWith("| test-echo") && l.endsWith("| n/a |")).count();
    assertEquals(8, rows, r.out());
    assertEquals(8, yes + na, r.out());
    assertTrue(yes >= 6, r.out());
  }

  @Test
  void compareRefusesFoldersThatShareNoMeasurement() {
    Path a = variant("only-echo", "--ipc", "test-echo");
    Path b = variant("only-slow", "--ipc", "test-echo-slow");
    assertBadInput(cli("compare", a.toString(), b.toString()), "share no latency or throughput measurement");
  }

  @Test
  void compareStatesWhatDiffersBetweenTwoRuns() {
    Result r = cli("compare", good.toString(), variant("other-seed", "--seed", "100").toString());
    assertTrue(r.out().contains("Run differences: seed 1 -> 100."), r.out());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("measurement(s) compared"), r.out());
  }

  @Test
  void reproduceRunsTheChosenExperimentsAndWritesTheIndex() throws Exception {
    Path root = tmp.resolve("results");
    Result r = cli("reproduce", "--quick", "--quiet", "--out", root.toString(), "--only", "fairness");
    assertEquals(0, r.code(), r.err());
    String index = Files.readString(root.resolve("README.md"));
    assertTrue(index.contains("## fairness"), index);
    assertTrue(Files.exists(root.resolve("fairness").resolve("summary.csv")));
    // A second partial run keeps the first one's section in the index.
    Result again = cli("reproduce", "--quick", "--quiet", "--out", root.toString(), "--only", "null-rpc-same-cpu");
    assertEquals(0, again.code(), again.err());
    String both = Files.readString(root.resolve("README.md"));
    assertTrue(both.contains("## fairness") && both.contains("## null-rpc-same-cpu"), both);
    assertTrue(both.indexOf("## null-rpc-same-cpu") < both.indexOf("## fairness"), "plan order");
    assertBadInput(cli("reproduce", "--only", "nope", "--out", root.toString()), "the plan has:");
  }
}
