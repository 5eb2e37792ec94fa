package org.ipctestbed.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.ipctestbed.ipc.IpcProvider;
import org.openjdk.jmh.util.Version;

/**
 * {@code ./testbed bench [--quick]}: runs the whole benchmark suite of issue 7 through JMH's Runner
 * API ({@link BenchSuite}), writes {@code results/bench/} ({@link ResultsWriter}) and prints every
 * mechanism as a ratio to its baseline, with the targets marked met or missed ({@link
 * Targets}), each beside the value of the committed reference run ({@code results/bench/bench.json}
 * under the home) so that a regression shows at once.
 *
 * <p>Options: {@code --quick} (1 fork, 2+3 iterations of 300 ms; a few minutes), {@code --out DIR}
 * (default {@code results/bench} under the testbed's home, the {@code testbed.home} property or the
 * working directory), {@code --only REGEX} (cases whose id matches), {@code --verbose} (JMH's own
 * output), {@code --jfr} (a Flight Recorder profile per case under {@code DIR/jfr/}), {@code --list}. Exit status 0 when every case ran, 1 when one failed, 2 on bad usage.
 */
public final class BenchMain {
  /** Issue 17: a reference run is taken with the load average below this before and after. */
  static final double QUIET_LOAD = 0.5;

  /**
   * Other processes may use this share of one core over a run before it is called busy: this VM's
   * own background (a kernel memory-monitoring thread, the VM agent) takes about 2%.
   */
  static final double FOREIGN_CPU_SHARE = 0.05;

  /** How long a full run waits for the load to decay, before its first benchmark and after its last. */
  static final long SETTLE_MAX_S = 180;

  private BenchMain() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BenchSuite.Config config = BenchSuite.Config.FULL;
    Path home = Paths.get(System.getProperty("testbed.home", "."));
    Path out = null;
    Pattern only = null;
    boolean verbose = false;
    boolean list = false;
    boolean jfr = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> config = BenchSuite.Config.QUICK;
        case "--verbose" -> verbose = true;
        case "--list" -> list = true;
        case "--jfr" -> jfr = true;
        case "--out" -> out = Paths.get(value(args, ++i, "--out"));
        case "--only" -> only = Pattern.compile(value(args, ++i, "--only"));
        case "-h", "--help" -> {
          System.out.println("usage: bench [--quick] [--out DIR] [--only REGEX] [--verbose] [--jfr] [--list]");
          return;
        }
        default -> usage("unknown option '" + args[i] + "'");
      }
    }
    if (out == null) {
      out = home.resolve("results").resolve("bench");
    }
    PrintStream log = System.out;

    List<IpcProvider> providers = IpcProvider.all();
    List<String> notes = new ArrayList<>();
    for (String name : BenchSuite.EXPECTED_PROVIDERS) {
      if (providers.stream().noneMatch(p -> p.name().equals(name))) {
        notes.add("mechanism '" + name + "' not found on the class path (IpcProvider.all()): its benchmarks are skipped");
      }
    }
    List<Measurement> skipped = new ArrayList<>();
    List<BenchCase> cases = BenchSuite.cases(providers, skipped);
    if (only != null) {
      Pattern p = only;
      cases.removeIf(c -> !p.matcher(c.id()).find());
      skipped.removeIf(m -> !p.matcher(m.benchCase().id()).find());
    }
    notes.forEach(n -> log.println("bench: " + n));
    for (Measurement s : skipped) {
      log.println("bench: " + s.benchCase().id() + " skipped: " + s.note());
    }
    if (list) {
      cases.forEach(c -> log.println(c.id() + "  " + c.benchmark() + " " + c.params()));
      return;
    }

    log.printf(Locale.ROOT, "bench: %d cases, %s mode (%d fork(s), %d x %d ms warm-up, %d x %d ms measurement), gc profiler%n",
        cases.size(), config.name(), config.forks(), config.warmupIterations(), config.warmupMs(),
        config.measurementIterations(), config.measurementMs());
    // A reference (full) run waits for the host's load to decay before and after it, so that the
    // load it records says whether the host is quiet; a quick run records the load as it finds it.
    long settleMax = config == BenchSuite.Config.FULL ? SETTLE_MAX_S : 0;
    double loadBefore = HostActivity.systemLoadAverage();
    if (settleMax > 0 && loadBefore > QUIET_LOAD) {
      // A reference run: let the load of what ran just before (the launcher's build) decay first.
      log.printf(Locale.ROOT, "bench: waiting up to %d s for the load average (%.2f) to fall below %.1f%n", settleMax,
          loadBefore, QUIET_LOAD);
      loadBefore = HostActivity.settledLoad(HostActivity::systemLoadAverage, QUIET_LOAD, settleMax).loadAverage();
    }
    int hostCpus = Runtime.getRuntime().availableProcessors();
    if (loadBefore > hostCpus / 2.0) {
      log.printf(Locale.ROOT, "bench: warning: the host is busy (load average %.2f on %d CPUs); cross-CPU and ping-pong"
          + " figures will measure the host's time slicing as much as the code%n", loadBefore, hostCpus);
    }
    HostActivity host = HostActivity.start();
    long t0 = System.nanoTime();
    List<Measurement> measurements = new ArrayList<>();
    int i = 0;
    for (BenchCase c : cases) {
      i++;
      Measurement m = BenchSuite.run(c, config, verbose, jfr ? out.resolve("jfr") : null, log::println);
      measurements.add(m);
      if (m.isOk()) {
        log.printf(Locale.ROOT, "[%2d/%d] %-28s %12.2f %-6s %10s B/op (hot path %s)%n", i, cases.size(), c.id(), m.score(),
            m.unit(), bytes(m.allocBytesPerOp()), bytes(m.carrierBytesPerOp()));
      } else {
        log.printf(Locale.ROOT, "[%2d/%d] %-28s %s: %s%n", i, cases.size(), c.id(), m.outcome(), m.note());
      }
    }
    measurements.addAll(skipped);
    long wallS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    double foreignCpuS = host.foreignCpuSeconds();
    double loadAtEnd = HostActivity.systemLoadAverage();
    log.printf(Locale.ROOT, "bench: other processes used %.1f CPU s during the %d s run%s%n", foreignCpuS, wallS,
        settleMax > 0 ? String.format(Locale.ROOT, "; waiting up to %d s for the run's own load (%.2f) to decay below %.1f",
            settleMax, loadAtEnd, QUIET_LOAD) : "");
    HostActivity.Settled settled = HostActivity.settledLoad(HostActivity::systemLoadAverage, QUIET_LOAD, settleMax);

    Targets.Evaluation eval = Targets.evaluate(measurements);
    // The committed reference run (read before this run may replace it), whatever --out says.
    Map<String, Double> previous = previousRun(home.resolve("results").resolve("bench").resolve(ResultsWriter.JSON), log);
    Map<String, Object> meta = metadata(home, config, providers, notes, wallS);
    @SuppressWarnings("unchecked")
    Map<String, Object> machine = (Map<String, Object>) meta.get("machine");
    machine.put("loadAverageBefore", loadBefore);
    machine.put("loadAverageAtEnd", loadAtEnd);
    machine.put("loadAverageAfter", settled.loadAverage());
    machine.put("loadAverageAfterWaitedSeconds", settled.waitedSeconds());
    machine.put("otherProcessesCpuSeconds", foreignCpuS);
    if (loadBefore > QUIET_LOAD || settled.loadAverage() > QUIET_LOAD || foreignCpuS > FOREIGN_CPU_SHARE * wallS) {
      log.printf(Locale.ROOT, "bench: warning: not a quiet host (load before %.2f, after %.2f; other processes %.1f CPU s"
          + " in %d s): compare its ratios with care%n", loadBefore, settled.loadAverage(), foreignCpuS, wallS);
    }
    ResultsWriter.write(out, meta, measurements, eval);
    printReport(log, measurements, eval, previous);
    log.println("bench: wrote " + out.resolve(ResultsWriter.CSV) + ", " + ResultsWriter.JSON + ", " + ResultsWriter.CHART
        + ".png/.svg in " + wallS + " s");
    if (measurements.stream().anyMatch(m -> m.outcome().equals(Measurement.FAILED))) {
      System.exit(1);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      usage(option + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("bench: " + problem + "\nusage: bench [--quick] [--out DIR] [--only REGEX] [--verbose] [--jfr] [--list]");
    System.exit(2);
  }

  /**
   * The checks of the committed reference run ({@code results/bench/bench.json}), or an empty map when there is none or it cannot be read (said on {@code log}).
   */
  static Map<String, Double> previousRun(Path benchJson, PrintStream log) {
    if (!Files.isRegularFile(benchJson)) {
      return Map.of();
    }
    try {
      return Targets.previous(org.ipctestbed.experiments.results.Json.read(benchJson));
    } catch (RuntimeException e) {
      log.println("bench: the previous run's " + benchJson + " is unreadable, no comparison: "
          + org.ipctestbed.experiments.results.Json.firstLine(e));
      return Map.of();
    }
  }

  /** The baselines, the ratio table, the simulator's speed and the targets. */
  static void printReport(PrintStream log, List<Measurement> measurements, Targets.Evaluation eval) {
    printReport(log, measurements, eval, Map.of());
  }

  /**
   * The baselines, the ratio table, the simulator's speed and the targets, each target with the
   * value the previous run measured ({@code previous}, keyed by {@link Targets#previousKey}), so
   * that a regression shows at once.
   */
  static void printReport(PrintStream log, List<Measurement> measurements, Targets.Evaluation eval,
      Map<String, Double> previous) {
    log.println();
    log.printf(Locale.ROOT, "%-28s %12s %12s%n", "baseline", "ns/op", "+- (99.9%)");
    for (Measurement m : measurements) {
      if (m.benchCase().group().equals("baseline") && m.isOk()) {
        log.printf(Locale.ROOT, "%-28s %12.2f %12.2f%n", m.benchCase().id(), m.nsPerOp(), m.error());
      }
    }
    log.println();
    log.printf(Locale.ROOT, "%-28s %12s  %-20s %12s %10s %9s %9s%n", "benchmark", "ns/op", "baseline", "baseline ns",
        "ratio", "hot B/op", "jvm B/op");
    for (Targets.Ratio r : eval.ratios()) {
      log.printf(Locale.ROOT, "%-28s %12.2f  %-20s %12.2f %9.3fx %9.3f %9.3f%s%n", r.caseId(), r.nsPerOp(), r.baselineId(),
          r.baselineNsPerOp(), r.ratio(), r.carrierBytesPerOp(), r.allocBytesPerOp(),
          r.baselineReliable() ? "" : "  (baseline unreliable)");
    }
    if (!eval.simSpeeds().isEmpty()) {
      log.println();
      log.printf(Locale.ROOT, "%-18s %-13s %6s %12s %16s%n", "simulator", "costs", "cpus", "wall ms", "round trips/s");
      for (Targets.SimSpeed s : eval.simSpeeds()) {
        log.printf(Locale.ROOT, "%-18s %-13s %6d %12.2f %16.0f%n", s.mechanism(), s.variable() ? "var (paired)" : "deterministic",
            s.cpus(), s.wallMs(), s.roundTripsPerSecond());
      }
    }
    if (eval.simSpeeds().stream().anyMatch(Targets.SimSpeed::variable)) {
      log.println("(var (paired): the variable machine's share of an invocation that also ran its deterministic twin, two"
          + " machines' garbage and one JIT state between them; only their ratio, below, is the comparison)");
    }
    log.println();
    log.printf(Locale.ROOT, "%-58s %-22s %12s %10s  %-14s %12s%n", "target", "case", "measured", "limit", "verdict",
        "previous run");
    for (Targets.Check k : eval.checks()) {
      Double before = previous.get(Targets.previousKey(k));
      log.printf(Locale.ROOT, "%-58s %-22s %12s %10s  %-14s %12s%n", k.target(), k.caseId(), fmt(k.measured(), k.unit()),
          (k.atMost() ? "<= " : ">= ") + fmt(k.limit(), k.unit()), k.verdict(),
          before == null ? "-" : fmt(before, k.unit()));
    }
  }

  private static String bytes(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String fmt(double v, String unit) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (unit.equals("RT/s")) {
      return String.format(Locale.ROOT, "%.3gM/s", v / 1e6);
    }
    return String.format(Locale.ROOT, "%.3f%s", v, unit.equals("x") ? "x" : unit.equals("b") ? "" : " " + unit);
  }

  /** Machine, JDK, commit and configuration, for {@code bench.json}. */
  static Map<String, Object> metadata(Path home, BenchSuite.Config config, List<IpcProvider> providers, List<String> notes, long wallS) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("benchmark", "ipc-testbed bench (issue 7)");
    m.put("created", Instant.now().toString());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpuModel", cpuModel());
    machine.put("logicalCpus", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    m.put("machine", machine);
    Map<String, Object> jdk = new LinkedHashMap<>();
    jdk.put("version", System.getProperty("java.version"));
    jdk.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    jdk.put("vendor", System.getProperty("java.vendor"));
    jdk.put("jmh", Version.getPlainVersion());
    m.put("jdk", jdk);
    m.put("commit", git(home, "rev-parse", "HEAD"));
    String status = git(home, "status", "--porcelain", "--untracked-files=no");
    m.put("dirty", status == null ? null : !status.isEmpty());
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mode", config.name());
    c.put("forks", config.forks());
    c.put("warmupIterations", config.warmupIterations());
    c.put("warmupMs", config.warmupMs());
    c.put("measurementIterations", config.measurementIterations());
    c.put("measurementMs", config.measurementMs());
    c.put("jmhMode", "AverageTime");
    c.put("profiler", "gc");
    c.put("forkJvmArgs", BenchSuite.FORK_JVM_ARGS);
    c.put("batchOperations", SubstrateBench.BATCH);
    c.put("simRoundTripsPerCpu", SimSpeedBench.ROUND_TRIPS_PER_CPU);
    c.put("simCostModel", "modern-x86");
    Map<String, Object> found = new LinkedHashMap<>();
    for (IpcProvider p : providers) {
      java.security.CodeSource src = p.getClass().getProtectionDomain().getCodeSource();
      found.put(p.name(), src == null ? "?" : src.getLocation().toString());
    }
    c.put("providers", found); // name -> where its code came from (a jar, or the shaded benchmarks.jar)
    c.put("notes", notes);
    c.put("wallSeconds", wallS);
    m.put("config", c);
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through.
    }
    return System.getProperty("os.arch");
  }

  /** Output of {@code git args} in {@code dir}, trimmed, or {@code null} when git is unavailable. */
  private static String git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? text : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
