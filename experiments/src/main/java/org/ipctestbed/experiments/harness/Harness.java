package org.ipctestbed.experiments.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.results.OutputFolder;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.results.ResultsWriter;
import org.ipctestbed.experiments.workload.Param;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadParams;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.ipctestbed.ipc.ConfiguredProvider;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.EngineKind;
import org.ipctestbed.substrate.LedgerSnapshot;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.ipctestbed.substrate.sched.SchedulerPolicy;

/**
 * Runs an {@link ExperimentSpec}: workload × mechanism × engine × CPU count × parameter values, with
 * warm-up and independent repetitions, each on a fresh {@link Machine} seeded {@code seed + rep}
 * (DESIGN.md, "Experiments"; issue 6, "Runs").
 *
 * <p>Order of work: everything is validated first (names, parameter values, by installing the
 * workload on a throw-away simulated machine for every point and mechanism, and the output folder),
 * so that bad input fails before a file is touched. Then the grid runs point by point; after every
 * measured repetition the finished repetitions are written out (results, histograms, metadata marked
 * unfinished), so an interrupted or failed run leaves them readable. At the end the summary,
 * significance tests, charts and report are written and the metadata marked complete.
 *
 * <p>Repetition {@code r} of every mechanism at every point uses the same seed, so mechanisms are
 * compared on identical random streams (a paired design). Warm-up repetitions use seeds below the
 * base seed and are discarded.
 */
public final class Harness {
  /** Notified as the run progresses (see {@link Progress}). */
  public interface Listener {
    default void started(ExperimentSpec spec, int totalReps) {}

    default void repStarting(ExperimentSpec spec, Point point, String mechanism, int rep, boolean warmup, int done, int total) {}

    default void repFinished(ExperimentSpec spec, Point point, String mechanism, int rep, boolean warmup, int done, int total) {}

    /**
     * From a timer thread, every {@link #HEARTBEAT_NS} while one repetition runs: it has been running
     * for {@code runningNs} (a 64-CPU, 1000-client repetition can take minutes).
     */
    default void repRunning(ExperimentSpec spec, Point point, String mechanism, int rep, boolean warmup, int done, int total,
        long runningNs) {}

    default void finished(ExperimentSpec spec, String status) {}
  }

  /** How a run ended. */
  public record Outcome(String status, List<RepResult> results, String reason, List<ChartBook.Figure> figures) {
    public boolean complete() {
      return status.equals(ResultsWriter.COMPLETE);
    }
  }

  /**
   * Prefix of the counters that carry the simulated ledger's time per named cost (written as rows of
   * metric {@code mechanism_cost}, subject the cost's name, in ns): what the overheads were, the SimSo
   * habit (STYLE.md), and where contention ({@code CONTENTION_WAIT}, {@code CACHE_LINE_TRANSFER}) went.
   */
  public static final String COST_PREFIX = "cost-ns:";

  /**
   * Prefixes of the counters that carry each named contention point's cache-line transfers and
   * waiting time over the run ({@link org.ipctestbed.substrate.Machine#contentionPoints()}, simulated
   * engine), written as rows of metric {@code contention}, subject the point's name, stat {@code
   * transfers} or {@code wait_ns}; points that differ only by a CPU or replica number are summed
   * ({@code IPI queue of CPU N}).
   */
  public static final String CONTENTION_TRANSFERS_PREFIX = "contention-transfers:";

  /** See {@link #CONTENTION_TRANSFERS_PREFIX}. */
  public static final String CONTENTION_WAIT_PREFIX = "contention-wait-ns:";

  /** A contention point's name with its CPU or replica numbers replaced by N, and no commas. */
  static String contentionPoint(String name) {
    return name.replaceAll("[0-9]+", "N").replace(',', ';');
  }

  /** How often {@link Listener#repRunning} is called during a repetition. */
  public static final long HEARTBEAT_NS = 10_000_000_000L;

  /** {@link #HEARTBEAT_NS}, shortened by tests. */
  long heartbeatNs = HEARTBEAT_NS;

  /** The repetition in progress, for the heartbeat thread. */
  private record Running(Point point, String mechanism, int rep, boolean warmup, int done, int total, long startNs) {}

  private volatile Running running;

  private final AtomicReference<String> stopRequest = new AtomicReference<>();
  private final List<String> chartTypes;
  private boolean force;
  private boolean reference;
  private ShardRun shardRun;

  /**
   * A sharded run ({@code --shard I/N}): the shard, and the command line of the whole sweep as the
   * merged folder will record it ({@code --shard} and {@code --out} left out; with {@code addsOut}
   * the merge appends its own {@code --out}).
   */
  public record ShardRun(Shard shard, String command, boolean addsOut) {}

  /** Runs only {@code run.shard()}'s units ({@link Shard}) and writes what {@code merge} needs; null: the whole sweep. */
  public Harness shard(ShardRun run) {
    this.shardRun = run;
    return this;
  }

  /**
   * Lets the run replace a folder it would refuse ({@link OutputFolder}): another workload's results,
   * committed reference results, a folder with foreign files (kept beside the new results).
   */
  public Harness force(boolean yes) {
    this.force = yes;
    return this;
  }

  /** For {@code reproduce}: the committed reference results of the same workload are what it regenerates. */
  public Harness reference(boolean yes) {
    this.reference = yes;
    return this;
  }

  /** A harness that draws every chart type at the end of a run. */
  public Harness() {
    this(ChartBook.TYPES);
  }

  /**
   * A harness that draws only {@code chartTypes} at the end of a run (empty: none; report.md is
   * still written, and {@code testbed chart DIR} draws them later from the saved data).
   */
  public Harness(List<String> chartTypes) {
    this.chartTypes = List.copyOf(chartTypes);
  }
  private volatile ResultsWriter activeWriter;
  private volatile ResultsWriter lastWriter;

  /** The reason recorded when a signal (SIGINT, SIGTERM) ends a run. */
  public static final String SIGNAL_REASON = "interrupted by a signal (Ctrl-C or kill)";

  /**
   * Asks the run to stop after the repetition in progress (from another thread: a signal handler, a
   * test); the finished repetitions are written and the metadata says why it stopped.
   */
  public void requestStop(String reason) {
    stopRequest.compareAndSet(null, reason);
  }

  /**
   * For a JVM shutdown hook: records that the run was interrupted, with the repetitions finished so
   * far, and prevents any later write from marking it otherwise. Safe to call at any time.
   */
  public void interruptNow(String reason) {
    requestStop(reason);
    ResultsWriter w = activeWriter;
    if (w != null) {
      w.close(ResultsWriter.INTERRUPTED, reason);
    }
  }

  /** A resolved, validated experiment: the workload, providers and grid points. */
  public record Plan(ExperimentSpec spec, Workload workload, List<IpcProvider> providers, List<Point> points) {
    /** Every repetition the run will make, warm-ups included ({@link #plan} keeps it within {@link #MAX_TOTAL_REPS}). */
    public int totalReps() {
      return Math.toIntExact(totalRepsOf(spec, providers.size(), points));
    }

    /** The measured repetitions of the whole sweep: the units {@link Shard} divides. */
    public long units() {
      return (long) points.size() * providers.size() * spec.reps();
    }

    /** The number of the unit (point {@code point}, strategy {@code provider}, measured repetition {@code rep}), in run order. */
    public long unit(int point, int provider, int rep) {
      return ((long) point * providers.size() + provider) * spec.reps() + rep;
    }

    /** Every repetition {@code shard} makes, its warm-ups included (all of them for null). */
    public int totalReps(Shard shard) {
      if (shard == null) {
        return totalReps();
      }
      long n = 0;
      for (int p = 0; p < points.size(); p++) {
        for (int m = 0; m < providers.size(); m++) {
          long owned = 0;
          for (int r = 0; r < spec.reps(); r++) {
            owned += shard.owns(unit(p, m, r)) ? 1 : 0;
          }
          n += owned + (owned > 0 ? spec.warmupsFor(points.get(p).engine()) : 0);
        }
      }
      return Math.toIntExact(n);
    }
  }

  /** The most measured (or warm-up) repetitions per point and strategy: {@code --reps}, {@code --warmup-reps}. */
  public static final int MAX_REPS = 1_000_000;

  /** The most repetitions of one run, all points, strategies and warm-ups together. */
  public static final long MAX_TOTAL_REPS = 10_000_000L;

  private static long totalRepsOf(ExperimentSpec spec, int providers, List<Point> points) {
    long n = 0;
    for (Point p : points) {
      n += (long) providers * ((long) spec.reps() + spec.warmupsFor(p.engine()));
    }
    return n;
  }

  /**
   * Resolves and validates {@code spec} without writing anything.
   *
   * @throws IllegalArgumentException with a one-line message naming the allowed values
   */
  public static Plan plan(ExperimentSpec spec) {
    return plan(spec, true);
  }

  /**
   * {@link #plan(ExperimentSpec)}; without {@code onThisHost} the real engine's CPU counts are not
   * checked against this host's cores: {@code merge} plans a sweep whose shards ran elsewhere (a
   * Slurm merge job may see one core of a node whose tasks had all of them).
   */
  public static Plan plan(ExperimentSpec spec, boolean onThisHost) {
    if (spec.reps() < 1) {
      throw new IllegalArgumentException("--reps must be at least 1, got " + spec.reps());
    }
    if (spec.reps() > MAX_REPS) {
      throw new IllegalArgumentException("--reps must be 1.." + MAX_REPS + ", got " + spec.reps());
    }
    if (spec.warmupReps() < -1) {
      throw new IllegalArgumentException("--warmup-reps must be 0 or more, got " + spec.warmupReps());
    }
    if (spec.warmupReps() > MAX_REPS) {
      throw new IllegalArgumentException("--warmup-reps must be 0.." + MAX_REPS + ", got " + spec.warmupReps());
    }
    refuseDuplicates("--engine", spec.engines());
    refuseDuplicates("--cpus", spec.cpus());
    spec.sets().forEach((k, v) -> refuseDuplicates("--set " + k + "=", v.stream().map(String::trim).toList()));
    Workload workload = WorkloadRegistry.named(spec.workload());
    if (spec.mechanisms().isEmpty()) {
      throw new IllegalArgumentException("no IPC strategy to run; available: "
          + String.join(", ", IpcProvider.all().stream().map(IpcProvider::name).toList()));
    }
    List<IpcProvider> providers = new ArrayList<>();
    // NAME or NAME:key=value,...; a value list a/b sweeps an option (ConfiguredProvider.expand).
    for (String m : ConfiguredProvider.expand(spec.mechanisms())) {
      IpcProvider p = ConfiguredProvider.parse(m);
      if (providers.stream().anyMatch(x -> x.name().equals(p.name()))) {
        throw new IllegalArgumentException("IPC strategy '" + p.name() + "' is listed twice in --ipc");
      }
      providers.add(p);
    }
    for (String e : spec.engines()) {
      EngineKind.named(e);
    }
    org.ipctestbed.substrate.CostModel.named(spec.costModel());
    if (spec.policy().trim().equals(NATIVE_POLICY)) {
      for (IpcProvider p : providers) {
        SchedulerPolicy.named(p.nativePolicy());
      }
    } else {
      try {
        SchedulerPolicy.named(spec.policy());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + ", or native (each strategy on its own OS's policy)", e);
      }
    }
    int host = Runtime.getRuntime().availableProcessors();
    for (int c : spec.cpus()) {
      if (c < 1 || c > MachineConfig.MAX_CPUS) {
        throw new IllegalArgumentException("--cpus must be 1.." + MachineConfig.MAX_CPUS + ", got " + c);
      }
      if (onThisHost && spec.engines().contains("real") && c > host) {
        throw new IllegalArgumentException(
            "--cpus " + c + " with the real engine: this host has " + host + " cores (one carrier thread per virtual CPU); use 1.." + host + " or --engine sim");
      }
    }
    if (spec.cpus().isEmpty() || spec.engines().isEmpty()) {
      throw new IllegalArgumentException("--cpus and --engine need at least one value");
    }
    List<String> paramNames = workload.params().stream().map(Param::name).toList();
    for (String k : spec.sets().keySet()) {
      if (!paramNames.contains(k)) {
        throw new IllegalArgumentException("workload '" + workload.name() + "' has no parameter '" + k + "'; it has: "
            + String.join(", ", paramNames));
      }
      if (spec.sets().get(k).isEmpty()) {
        throw new IllegalArgumentException("--set " + k + "= needs a value");
      }
    }
    List<Point> points = expand(spec, workload);
    long total = totalRepsOf(spec, providers.size(), points);
    if (total > MAX_TOTAL_REPS) {
      throw new IllegalArgumentException("the run would make " + total + " repetitions (" + points.size() + " point(s) x "
          + providers.size() + " strateg(ies) x (reps + warm-ups)); at most " + MAX_TOTAL_REPS + " per run");
    }
    preflight(spec, workload, providers, points);
    return new Plan(spec, workload, List.copyOf(providers), List.copyOf(points));
  }

  /** A sweep that lists a value twice would run the same point twice with the same seeds. */
  private static void refuseDuplicates(String option, List<?> values) {
    java.util.Set<Object> seen = new java.util.HashSet<>();
    for (Object v : values) {
      if (!seen.add(v)) {
        throw new IllegalArgumentException(option + " lists '" + v + "' twice; give each value once");
      }
    }
  }

  static List<Point> expand(ExperimentSpec spec, Workload workload) {
    List<String> varying = new ArrayList<>();
    if (spec.engines().size() > 1) {
      varying.add("engine");
    }
    if (spec.cpus().size() > 1) {
      varying.add("cpus");
    }
    spec.sets().forEach((k, v) -> {
      if (v.size() > 1) {
        varying.add(k);
      }
    });
    List<Map<String, String>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> e : spec.sets().entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> c : combos) {
        for (String v : e.getValue()) {
          Map<String, String> n = new LinkedHashMap<>(c);
          n.put(e.getKey(), v);
          next.add(n);
        }
      }
      combos = next;
    }
    List<Point> points = new ArrayList<>();
    for (String engine : spec.engines()) {
      for (int cpus : spec.cpus()) {
        for (Map<String, String> c : combos) {
          Map<String, String> given = new LinkedHashMap<>();
          c.forEach((k, v) -> given.put(k, v.equals("@cpus") ? Integer.toString(cpus) : v));
          WorkloadParams wp = WorkloadParams.of(workload, given);
          Point p = new Point(engine.toLowerCase(java.util.Locale.ROOT), cpus, wp.asMap(), varying);
          // "server-cpus=1,@cpus" at 1 CPU gives the same point twice: run it once (twice would
          // double its repetitions and overwrite its .hlog file with the second half of them)
          if (!points.contains(p)) {
            points.add(p);
          }
        }
      }
    }
    return points;
  }

  /** Installs every point × mechanism on a throw-away simulated machine: parameter errors surface now. */
  private static void preflight(ExperimentSpec spec, Workload workload, List<IpcProvider> providers, List<Point> points) {
    for (Point p : points) {
      for (IpcProvider provider : providers) {
        MachineConfig cfg = config(spec, workload, provider, p, spec.seed()).toBuilder().engine(EngineKind.SIM).build();
        Machine m = Machine.create(cfg);
        IpcSystem ipc = provider.install(m);
        try {
          workload.install(m, ipc, WorkloadParams.of(workload, p.params()), new RunMeasurements());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              e.getMessage() + (p.label().isEmpty() ? "" : " (at " + p.label() + ")") + " [" + provider.name() + "]", e);
        }
      }
    }
  }

  /** {@code --policy native}: each strategy runs on its own OS's scheduler ({@link IpcProvider#nativePolicy()}). */
  public static final String NATIVE_POLICY = "native";

  /** The scheduler policy {@code provider} runs on in {@code spec}. */
  public static String policyFor(ExperimentSpec spec, IpcProvider provider) {
    return spec.policy().trim().equals(NATIVE_POLICY) ? provider.nativePolicy() : spec.policy();
  }

  static MachineConfig config(ExperimentSpec spec, Workload workload, IpcProvider provider, Point p, long seed) {
    MachineConfig.Builder b = MachineConfig.builder()
        .cpus(p.cpus())
        .engine(p.engine())
        .costModel(spec.costModel())
        .deterministic(spec.deterministic())
        .policy(policyFor(spec, provider))
        .seed(seed);
    return workload.machine(b, WorkloadParams.of(workload, p.params())).build();
  }

  /**
   * Validates, then runs {@code spec} and writes its results folder.
   *
   * @throws IllegalArgumentException for bad input (nothing written)
   */
  public Outcome run(ExperimentSpec spec, Listener listener) {
    Plan plan = plan(spec);
    OutputFolder folder = OutputFolder.claim(spec.out(), plan.workload().name(), force, reference);
    ResultsWriter writer = new ResultsWriter(plan, chartTypes, folder);
    Shard shard = shardRun == null ? null : shardRun.shard();
    if (shardRun != null) {
      writer.shard(org.ipctestbed.experiments.results.ShardData.block(plan, shardRun));
    }
    activeWriter = writer;
    lastWriter = writer;
    int total = plan.totalReps(shard);
    listener.started(spec, total);
    Thread heartbeat = Thread.ofPlatform().daemon().name("testbed-heartbeat").start(() -> {
      try {
        while (true) {
          Thread.sleep(java.time.Duration.ofNanos(heartbeatNs));
          Running r = running;
          if (r != null) {
            listener.repRunning(spec, r.point(), r.mechanism(), r.rep(), r.warmup(), r.done(), r.total(), System.nanoTime() - r.startNs());
          }
        }
      } catch (InterruptedException stop) {
        // the run is over
      }
    });
    try {
      return runPlan(plan, spec, listener, writer, total);
    } finally {
      running = null;
      heartbeat.interrupt();
    }
  }

  private Outcome runPlan(Plan plan, ExperimentSpec spec, Listener listener, ResultsWriter writer, int total) {
    List<RepResult> results = new ArrayList<>();
    String status = ResultsWriter.COMPLETE;
    String reason = "";
    String report = "";
    int done = 0;
    Shard shard = shardRun == null ? null : shardRun.shard();
    outer:
    for (int pi = 0; pi < plan.points().size(); pi++) {
      Point point = plan.points().get(pi);
      for (int mi = 0; mi < plan.providers().size(); mi++) {
        IpcProvider provider = plan.providers().get(mi);
        boolean served = shard == null;
        for (int r = 0; r < spec.reps() && !served; r++) {
          served = shard.owns(plan.unit(pi, mi, r));
        }
        // a shard runs the warm-ups of the (point, strategy) pairs it measures, and only those
        int warmups = served ? spec.warmupsFor(point.engine()) : 0;
        for (int i = -warmups; i < spec.reps(); i++) {
          if (i >= 0 && shard != null && !shard.owns(plan.unit(pi, mi, i))) {
            continue;
          }
          String stop = stopRequest.get();
          if (stop != null) {
            status = ResultsWriter.INTERRUPTED;
            reason = stop;
            break outer;
          }
          boolean warmup = i < 0;
          long seed = spec.seed() + i; // warm-ups (i < 0) run below the base seed
          listener.repStarting(spec, point, provider.name(), warmup ? i + warmups : i, warmup, done, total);
          running = new Running(point, provider.name(), warmup ? i + warmups : i, warmup, done, total, System.nanoTime());
          RepResult r;
          try {
            r = runOnce(spec, plan.workload(), provider, point, warmup ? -1 : i, seed);
          } catch (Throwable e) { // StackOverflowError, AssertionError, ...: a failed repetition, not a crash
            status = ResultsWriter.FAILED;
            String where = provider.name() + (point.label().isEmpty() ? "" : " at " + point.label())
                + (warmup ? " warm-up " + (i + warmups + 1) : " rep " + (i + 1)) + ": ";
            reason = where + oneLine(e);
            report = where + fullReport(e);
            break outer;
          }
          running = null;
          done++;
          if (!warmup) {
            results.add(r);
            try {
              writer.checkpoint(results);
            } catch (RuntimeException e) { // a full disk, a folder removed under us
              status = ResultsWriter.FAILED;
              reason = "could not write the results: " + oneLine(e);
              break outer;
            }
          }
          listener.repFinished(spec, point, provider.name(), warmup ? i + warmups : i, warmup, done, total);
        }
      }
    }
    writer.finish(results, status, reason, report);
    activeWriter = null;
    String finalStatus = writer.status();
    listener.finished(spec, finalStatus + (reason.isEmpty() ? "" : " (" + reason + ")"));
    return new Outcome(finalStatus, List.copyOf(results), writer.reason(), writer.figures());
  }

  /**
   * {@link #run} with a JVM shutdown hook: on Ctrl-C or {@code kill}, the repetitions finished so far
   * are kept and metadata.json says the run was interrupted and why.
   */
  public Outcome runWithShutdownHook(ExperimentSpec spec, Listener listener) {
    return runWithShutdownHook(spec, listener, (status, reason, kept) -> {});
  }

  /** What a shutdown hook does once it has recorded the interruption (the JVM exits right after). */
  @FunctionalInterface
  public interface AfterSignal {
    /**
     * {@code status} of the run as recorded ({@code complete} if it had finished first), its reason,
     * and how many measured repetitions were kept.
     */
    void recorded(String status, String reason, int kept);
  }

  /**
   * {@link #runWithShutdownHook(ExperimentSpec, Listener)}, calling {@code after} from the hook once the
   * interruption is recorded: the CLI prints its closing line there and ends the JVM with exit code 1
   * (a signal would otherwise end it with 130 or 143).
   */
  public Outcome runWithShutdownHook(ExperimentSpec spec, Listener listener, AfterSignal after) {
    Thread hook = new Thread(() -> {
      interruptNow(SIGNAL_REASON);
      ResultsWriter w = lastWriter;
      after.recorded(w == null ? ResultsWriter.INTERRUPTED : w.status(), w == null ? SIGNAL_REASON : w.reason(),
          w == null ? 0 : w.repetitions());
    }, "testbed-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run(spec, listener);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the hook runs
      }
    }
  }

  /** The first line of {@code e}'s message (the whole report goes to metadata.json). */
  static String oneLine(Throwable e) {
    String m = fullReport(e);
    int nl = m.indexOf('\n');
    if (nl < 0) {
      return m;
    }
    String first = m.substring(0, nl).strip();
    if (first.endsWith(":")) {
      first = first.substring(0, first.length() - 1);
    }
    return first + " (the full report is in " + ResultsDir.METADATA + ", failureReport)";
  }

  /** {@code e}'s whole message, or its type when it has none (a StackOverflowError has none). */
  static String fullReport(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getName() : m;
  }

  /** One repetition on a fresh machine. */
  static RepResult runOnce(ExperimentSpec spec, Workload workload, IpcProvider provider, Point point, int rep, long seed) {
    Machine m = Machine.create(config(spec, workload, provider, point, seed));
    IpcSystem ipc = provider.install(m);
    RunMeasurements meas = new RunMeasurements(m);
    workload.install(m, ipc, WorkloadParams.of(workload, point.params()), meas);
    long elapsed = m.run();
    // CPU time and throughput cover the measured window only: from the end of the warm-up (the
    // ledger snapshot the workload's warm-up barrier took) to the end of the run.
    LedgerSnapshot start = meas.windowStart();
    Map<String, long[]> byName = new LinkedHashMap<>();
    for (Process p : m.processes()) {
      long[] a = byName.computeIfAbsent(p.name(), k -> new long[2]);
      a[0] += m.ledger().processNs(p, Category.USER) - start.processNs(p, Category.USER);
      a[1] += m.ledger().processNs(p, Category.MECHANISM) - start.processNs(p, Category.MECHANISM);
    }
    List<RepResult.CpuTime> cpu = new ArrayList<>();
    byName.forEach((name, a) -> {
      cpu.add(new RepResult.CpuTime(name, "user", a[0]));
      cpu.add(new RepResult.CpuTime(name, "mechanism", a[1]));
    });
    cpu.add(new RepResult.CpuTime("idle", "idle", m.ledger().idleNs() - start.idleNs()));
    Map<String, Long> counters = new LinkedHashMap<>(meas.counters());
    if (m.isSimulated()) {
      for (org.ipctestbed.substrate.Cost c : org.ipctestbed.substrate.Cost.values()) {
        if (m.ledger().costCount(c) > 0) {
          counters.put(COST_PREFIX + c.name(), m.ledger().costNs(c));
        }
      }
      for (org.ipctestbed.substrate.SharedLine l : m.contentionPoints()) {
        String where = contentionPoint(l.name());
        counters.merge(CONTENTION_TRANSFERS_PREFIX + where, l.transfers(), Long::sum);
        counters.merge(CONTENTION_WAIT_PREFIX + where, l.waitNs(), Long::sum);
      }
    }
    // The strategy's own counters and notes join the workload's (issue 14).
    ipc.counters().forEach((k, v) -> counters.put("strategy." + RunMeasurements.checkedName(k), v));
    Map<String, String> notes = new java.util.TreeMap<>(meas.notes());
    ipc.notes().forEach((k, v) -> notes.put("strategy: " + k, v));
    return new RepResult(point, provider.name(), rep, seed, elapsed, elapsed - start.atNs(), counters, meas.histograms(), cpu,
        m.ledger().identityError(), m.traceDigest(), meas.clampedSamples(), java.util.Collections.unmodifiableMap(notes));
  }
}
