package org.ipctestbed.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.harness.Progress;
import org.ipctestbed.experiments.results.Environment;
import org.ipctestbed.experiments.results.ResultsWriter;
import org.ipctestbed.ipc.IpcProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code testbed run WORKLOAD ...}: one experiment into one results folder. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs WORKLOAD against the IPC strategies over engines, CPU counts and parameter values, "
        + "with repetitions, and writes results.csv, summary.csv, significance.csv, metadata.json, .hlog "
        + "histograms, charts and report.md into the output folder.",
        "Example: testbed run payload-sweep --ipc ppc,lwkt --set bytes=0,64,512,4096 --reps 5"})
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WORKLOAD", description = "workload name (see: testbed list)")
  String workload;

  @Option(names = "--ipc", split = ",", paramLabel = "NAME[:OPT=V,...]", description = "IPC strategies, comma-separated, each with its options: rendezvous:threads=2,donate=false; OPT=a/b sweeps an option (default: every strategy on the class path, default options)")
  List<String> ipc;

  @Option(names = "--engine", split = ",", paramLabel = "sim|real", description = "engine(s): sim, real (default: ${DEFAULT-VALUE})", defaultValue = "sim")
  List<String> engines;

  @Option(names = "--cpus", split = ",", paramLabel = "N", description = "virtual CPU count(s), e.g. 2 or 1,2,4 (default: ${DEFAULT-VALUE})", defaultValue = "2")
  List<Integer> cpus;

  @Option(names = "--reps", paramLabel = "R", description = "measured repetitions per point and strategy, each on a fresh machine (default: ${DEFAULT-VALUE})", defaultValue = "5")
  int reps;

  @Option(names = {"--warmup-reps", "--warmup"}, paramLabel = "W", description = "discarded repetitions first (default: 0 on sim, 1 on real)")
  Integer warmupReps;

  @Option(names = "--seed", paramLabel = "S", description = "base seed; repetition r uses S + r (default: ${DEFAULT-VALUE})", defaultValue = "1")
  long seed;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a workload parameter; a comma list sweeps it (bytes=0,64,512); @cpus stands for the CPU count")
  List<String> sets = new ArrayList<>();

  @Option(names = "--cost-model", paramLabel = "NAME|FILE", description = "cost model of the sim engine: a preset (testbed list --cost-models) or a file written by 'testbed calibrate', optionally +timer and/or +background noise (default: ${DEFAULT-VALUE})", defaultValue = "modern-x86")
  String costModel;

  @Option(names = "--deterministic", description = "sim engine: every cost at its mean and no noise, so every repetition gives the same figures (for tests and teaching); default: each cost is a seeded draw from its distribution")
  boolean deterministic;

  @Option(names = "--policy", paramLabel = "NAME", description = "scheduler policy: proportional-share, fixed-priority-rr, dragonfly, or native (each strategy on its own OS's policy; default: ${DEFAULT-VALUE})", defaultValue = "proportional-share")
  String policy;

  @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: a new folder results/runs/WORKLOAD-YYYYMMDD-HHMMSS, so committed reference results are never replaced)")
  Path out;

  @Option(names = "--force", description = "write into --out even when it holds another workload's results, committed reference results, or files the testbed did not write (those are kept)")
  boolean force;

  @Option(names = {"-q", "--quiet"}, description = "no progress lines")
  boolean quiet;

  @Option(names = "--shard", paramLabel = "I/N", description = "run only the I-th (from 0) of N disjoint parts of the sweep into --out, for 'testbed merge' (units: point x strategy x repetition, unit k in shard k mod N; each shard keeps the warm-ups of what it measures)")
  String shard;

  @Option(names = "--no-charts", description = "write the data and report only; draw the charts later with: testbed chart DIR")
  boolean noCharts;

  /** Parses {@code --set} values into parameter lists. */
  static Map<String, List<String>> parseSets(List<String> sets) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed --set '" + s + "': expected KEY=VALUE or KEY=V1,V2,...");
      }
      String k = s.substring(0, eq).trim();
      List<String> vs = new ArrayList<>();
      for (String v : s.substring(eq + 1).split(",", -1)) {
        if (v.isBlank()) {
          throw new IllegalArgumentException("malformed --set '" + s + "': empty value");
        }
        vs.add(v.trim());
      }
      if (m.containsKey(k)) {
        throw new IllegalArgumentException("--set " + k + " given twice; give a comma list to sweep it");
      }
      m.put(k, vs);
    }
    return m;
  }

  /** The experiment these options describe, written to {@code dir}, recording {@code commandLine}. */
  ExperimentSpec spec(Path dir, String commandLine) {
    List<String> mechanisms = ipc != null ? ipc : IpcProvider.all().stream().map(IpcProvider::name).toList();
    return new ExperimentSpec(workload, mechanisms, engines.stream().map(String::trim).toList(), cpus,
        reps, warmupReps == null ? -1 : warmupReps, seed, parseSets(sets), costModel, policy, dir, commandLine, deterministic);
  }

  @Override
  public Integer call() {
    Path dir = out != null ? out : defaultOut(workload.toLowerCase(java.util.Locale.ROOT), java.time.Instant.now());
    ExperimentSpec spec = spec(dir, CliContext.commandLine());
    if (warmupReps != null && warmupReps < 0) {
      throw new IllegalArgumentException("--warmup-reps must be 0 or more, got " + warmupReps);
    }
    Harness harness = new Harness(noCharts ? List.of() : ChartBook.TYPES).force(force);
    if (shard != null) {
      harness.shard(new Harness.ShardRun(org.ipctestbed.experiments.harness.Shard.parse(shard), sweepCommand(), true));
    }
    Harness.Outcome o = runWithSignals(harness, spec, quiet);
    return o.complete() ? 0 : Main.EXIT_FAILED;
  }

  /** The options that say where and how one process runs, not what the sweep is. */
  static final java.util.Set<String> PLACEMENT_OPTIONS = java.util.Set.of("--shard", "--out");

  /** Options that change how a run is shown or where it may write, not what it measures. */
  static final java.util.Set<String> PRESENTATION_FLAGS = java.util.Set.of("--force", "-q", "--quiet", "--no-charts");

  /**
   * This command without {@code --shard}, {@code --out} and {@link #PRESENTATION_FLAGS}: the whole
   * sweep, as the shards compare it and the merged folder records it (with the merge's {@code --out}).
   */
  static String sweepCommand() {
    return CliContext.commandLine(CliContext.argsWithout(PLACEMENT_OPTIONS, PRESENTATION_FLAGS));
  }

  /**
   * {@code results/runs/WORKLOAD-YYYYMMDD-HHMMSS} (UTC) of the checkout: a fresh folder per run, so
   * that a run without {@code --out} never replaces committed reference results or an earlier run.
   */
  static Path defaultOut(String workload, java.time.Instant at) {
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(at);
    Path runs = Environment.home().resolve("results").resolve("runs");
    Path dir = runs.resolve(workload + "-" + stamp);
    for (int i = 2; java.nio.file.Files.exists(dir); i++) {
      dir = runs.resolve(workload + "-" + stamp + "-" + i);
    }
    return dir;
  }

  /** Runs {@code spec}; on Ctrl-C the finished repetitions are kept and the metadata says so. */
  static Harness.Outcome runWithSignals(Harness harness, ExperimentSpec spec, boolean quiet) {
    java.io.PrintStream err = CliContext.err();
    Harness.Outcome o = harness.runWithShutdownHook(spec, new Progress(err, Progress.stdoutIsTerminal(), quiet),
        (status, reason, kept) -> exitAfterSignal(err, spec.workload(), spec.out(), status, reason, kept));
    if (!o.complete()) {
      err.println(closingLine(spec.workload(), spec.out(), o.status(), o.reason(), o.results().size()));
    }
    return o;
  }

  /** The line a run that did not complete ends with. */
  static String closingLine(String workload, Path out, String status, String reason, int kept) {
    return "testbed: " + workload + " " + status + ": " + reason + "; "
        + (kept > 0 ? kept + " finished repetition(s) kept in " + out
            : "no repetition finished, so an earlier run in " + out + " is left as it was");
  }

  /**
   * From the shutdown hook of a run ended by a signal: prints the closing line and ends the JVM at
   * once with exit code 1 (0 if the run had completed before the signal), not the signal's 130/143.
   */
  static void exitAfterSignal(java.io.PrintStream err, String workload, Path out, String status, String reason, int kept) {
    err.println();
    err.println(ResultsWriter.COMPLETE.equals(status) ? "testbed: " + workload + " complete; results in " + out
        : closingLine(workload, out, status, reason, kept));
    err.flush();
    Runtime.getRuntime().halt(ResultsWriter.COMPLETE.equals(status) ? 0 : Main.EXIT_FAILED);
  }
}
