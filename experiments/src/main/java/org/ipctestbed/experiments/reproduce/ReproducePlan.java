package org.ipctestbed.experiments.reproduce;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.harness.Progress;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.OutputFolder;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.ipctestbed.ipc.IpcProvider;

/**
 * The reference experiments behind every figure in {@code results/} (issue 6, "Reference results"):
 * each workload of the catalogue against {@code ppc}, {@code lwkt} and the {@code direct-call} lower
 * bound on the simulated engine (deterministic: the same plan regenerates results.csv and summary.csv
 * byte for byte), plus one real-engine run, whose numbers describe the machine it ran on.
 *
 * <p>Experiments or strategies that are not on the class path are skipped with a message (so the plan
 * runs on a partial build); an experiment whose parameters a workload rejects is reported as failed
 * and the others still run. {@code --quick} runs the same grid with fewer operations and repetitions
 * (budget: 5 minutes on 2 cores) into the same folders.
 */
public final class ReproducePlan {
  private ReproducePlan() {}

  /** The strategies every reference experiment compares, the lower bound last. */
  public static final List<String> STRATEGIES = List.of("ppc", "lwkt", "direct-call");

  private static Map<String, List<String>> sets(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1].split(",")));
    }
    return m;
  }

  /** A simulated experiment on 2 CPUs with the modern-x86 cost model: 10 repetitions, 3 with --quick. */
  private static PlannedExperiment sim(String name, String workload, String claim, Map<String, List<String>> full,
      Map<String, List<String>> quick) {
    return new PlannedExperiment(name, workload, claim, "sim", List.of(2), "modern-x86", 10, full, 3, quick);
  }

  /** The reference plan. */
  public static List<PlannedExperiment> reference() {
    List<PlannedExperiment> p = new ArrayList<>();
    p.add(sim("null-rpc-same-cpu", "null-rpc",
        "Round-trip latency of an empty call with client and server on one CPU: the cost of the protection-domain crossing alone.",
        sets("ops", "20000", "warmup", "1000", "placement", "same-cpu"), sets("ops", "2000", "warmup", "200", "placement", "same-cpu")));
    p.add(sim("null-rpc-cross-cpu", "null-rpc",
        "Round-trip latency of an empty call with the server on another CPU: what the IPI path adds.",
        sets("ops", "20000", "warmup", "1000", "placement", "cross-cpu"), sets("ops", "2000", "warmup", "200", "placement", "cross-cpu")));
    p.add(sim("payload-sweep", "payload-sweep",
        "Call latency against the payload size (0 B to 4 KiB): where copying starts to dominate.",
        sets("ops", "10000", "warmup", "500", "bytes", "0,64,256,1024,4096", "placement", "same-cpu"),
        sets("ops", "1000", "warmup", "100", "bytes", "0,256,4096", "placement", "same-cpu")));
    p.add(new PlannedExperiment("many-clients", "many-clients",
        "Throughput of one server against the CPU count, one client per CPU, with ideal linear scaling for reference.",
        "sim", List.of(1, 2, 4, 8), "modern-x86", 5, sets("clients", "@cpus", "ops", "5000", "warmup", "500"),
        3, sets("clients", "@cpus", "ops", "500", "warmup", "50")));
    p.add(new PlannedExperiment("scaling", "many-clients",
        "Throughput from 1 to 64 simulated CPUs, one client per CPU, for a single-port server (server-cpus=1) and a server "
            + "replicated per CPU (server-cpus=CPUs), each updating one shared server object or one replica per CPU. "
            + "Contention points: the shared object's cache line (every call moves it; its transfers serialise), the single "
            + "port's IPI queue and PPC's one-slot remote mailbox; replicas touch no line another CPU wrote, so they scale.",
        "sim", List.of(1, 2, 4, 8, 16, 32, 64), "modern-x86", 3,
        sets("clients", "@cpus", "server-cpus", "1,@cpus", "server-state", "shared,per-cpu", "ops", "500", "warmup", "50"),
        2, sets("clients", "@cpus", "server-cpus", "1,@cpus", "server-state", "shared,per-cpu", "ops", "100", "warmup", "10")));
    p.add(new PlannedExperiment("load-latency", "open-loop",
        "Latency percentiles against the offered load (Poisson arrivals, latency from the intended start, so no coordinated "
            + "omission), same CPU and across CPUs, up to and past each mechanism's saturation: the knee is its capacity.",
        "sim", List.of(2), "modern-x86", 3,
        sets("rate", "100000,250000,500000,750000,1000000,1500000,2000000,3000000", "placement", "same-cpu,cross-cpu",
            "ops", "5000", "warmup", "500"),
        2, sets("rate", "100000,500000,1000000,2000000", "placement", "same-cpu,cross-cpu", "ops", "1000", "warmup", "100")));
    p.add(sim("file-server-read", "file-server-read",
        "read() as a call to a user-level file-server process through the IPC interface, against a direct call into the file system.",
        sets("ops", "10000", "warmup", "500"), sets("ops", "1000", "warmup", "100")));
    p.add(new PlannedExperiment("syscall-msg", "syscall-msg",
        "getuid and read as DragonFly system-call messages (sendsys) against the trap, beside K42's PPC to the kernel process, on a current x86.",
        "sim", List.of(1), "modern-x86", 5, sets("ops", "5000", "warmup", "500", "device-ops", "500"),
        3, sets("ops", "500", "warmup", "50", "device-ops", "50")));
    p.add(new PlannedExperiment("syscall-msg-via-c3", "syscall-msg",
        "The same on the machine of DragonFly's published figures, a 600 MHz VIA C3 (getuid: 1,300 ns by trap, 1,700 ns by message): measured vs published.",
        "sim", List.of(1), "via-c3-600", 5, sets("ops", "5000", "warmup", "500", "device-ops", "500"),
        3, sets("ops", "500", "warmup", "50", "device-ops", "50")));
    p.add(new PlannedExperiment("syscall-msg-dual-p3", "syscall-msg",
        "The same on a dual 1.2 GHz Pentium III (getuid: 909 ns by trap, 1,077 ns by message): measured vs published.",
        "sim", List.of(2), "dual-p3-1200", 5, sets("ops", "5000", "warmup", "500", "device-ops", "500"),
        3, sets("ops", "500", "warmup", "50", "device-ops", "50")));
    p.add(sim("async-burst", "async-burst",
        "Bursts of K one-way sends (K = 8 and 32): how many are deposited, how many wake the receiver, and how many are "
            + "refused with EBUSY.",
        sets("bursts", "200", "burst", "8,32"), sets("bursts", "30", "burst", "8,32")));
    p.add(sim("nested-calls", "nested-calls",
        "Latency of a call that passes through a chain of servers, against the chain depth.",
        sets("depth", "1,2,4,8", "ops", "5000", "warmup", "500"), sets("depth", "1,4", "ops", "500", "warmup", "50")));
    p.add(sim("fairness", "fairness",
        "CPU time of one heavy and several light clients sharing one server: whose account pays for the service. "
            + "Each light client runs about three quanta, so the scheduler's share shows, not just who was picked first.",
        sets("ops", "20000"), sets("ops", "500")));
    p.add(new PlannedExperiment("fairness-native", "fairness",
        "The fairness experiment with each strategy on its own OS's scheduler (--policy native): PPC on K42's proportional share, "
            + "LWKT on DragonFly's LWKT scheduler with usched_bsd4's decaying-usage priority on top.",
        "sim", List.of(2), "modern-x86", 10, sets("ops", "20000"), 3, sets("ops", "500"), "native"));
    p.add(sim("preemption-during-service", "preemption-during-service",
        "Calls whose service outlasts the scheduling quantum: latency and who is charged when the scheduler interrupts a borrowed CPU.",
        sets("ops", "2000", "warmup", "100"), sets("ops", "200", "warmup", "20")));
    p.add(sim("preemption-soft-hard", "preemption-soft-hard",
        "K42's claim that soft preemption is cheaper than hard: a server whose stretches without a safe point are shorter than the warning deadline yields in time (a user-level save; it keeps accepting calls), a longer one is stopped by the kernel (a kernel save; calls to it are refused and retried). Latency of a call arriving at the preempted server and the preemption counts, against the stretch and the warning deadline.",
        sets("ops", "200", "warmup", "10", "section-ns", "20000,200000,1000000", "warning-ns", "50000,500000"),
        sets("ops", "40", "warmup", "4", "section-ns", "20000,200000", "warning-ns", "50000")));
    p.add(sim("caller-runnable", "caller-runnable",
        "K42's claim that the caller stays runnable: while one thread waits in a synchronous call to a server that blocks, "
            + "how much its sibling thread gets done, against the same calls when the whole process waits for the reply "
            + "(process-waits=yes, the baseline the workload models).",
        sets("ops", "200", "warmup", "10", "block-ns", "200000", "unit-ns", "1000", "process-waits", "no,yes"),
        sets("ops", "40", "warmup", "4", "block-ns", "200000", "unit-ns", "1000", "process-waits", "no,yes")));
    p.add(new PlannedExperiment("null-rpc-real", "null-rpc",
        "The same-CPU null call measured on the real engine: the Java implementations on this host (not deterministic; see its metadata.json for the machine).",
        "real", List.of(2), "modern-x86", 5, sets("ops", "20000", "warmup", "2000", "placement", "same-cpu"),
        3, sets("ops", "2000", "warmup", "500", "placement", "same-cpu")));
    return p;
  }

  /** The spec of experiment {@code e} with {@code strategies}, into {@code root}/NAME. */
  public static ExperimentSpec spec(PlannedExperiment e, List<String> strategies, boolean quick, Path root) {
    return new ExperimentSpec(e.workload(), strategies, List.of(e.engine()), e.cpus(),
        quick ? e.quickReps() : e.reps(), -1, 1, quick ? e.quickSets() : e.sets(), e.costModel(), e.policy(),
        root.resolve(e.name()), "testbed reproduce" + (quick ? " --quick" : "") + " (experiment " + e.name() + ")", false);
  }

  /** What happened to one planned experiment. */
  public record Ran(PlannedExperiment experiment, String status, String detail, List<String> strategies, List<ChartBook.Figure> figures) {}

  /**
   * Runs {@code plan} into {@code root}/NAME and writes {@code root}/README.md.
   *
   * @param only names to run (empty: all)
   * @return 0 when every experiment that could run completed, 1 otherwise
   */
  public static int run(List<PlannedExperiment> plan, List<String> strategies, boolean quick, Path root, Set<String> only,
      PrintStream out, PrintStream err, boolean quiet) {
    return run(plan, strategies, quick, root, only, out, err, quiet, false);
  }

  /**
   * {@link #run(List, List, boolean, Path, Set, PrintStream, PrintStream, boolean)}; with {@code
   * force}, a README.md or experiment folder the testbed did not write is replaced too.
   *
   * @throws IllegalArgumentException before anything is written, when a name is unknown or the root
   *     or an experiment's folder may not be written (a foreign README.md, another workload's
   *     results, foreign files)
   */
  public static int run(List<PlannedExperiment> plan, List<String> strategies, boolean quick, Path root, Set<String> only,
      PrintStream out, PrintStream err, boolean quiet, boolean force) {
    return run(plan, strategies, quick, root, only, out, err, quiet, force, null);
  }

  /**
   * {@link #run(List, List, boolean, Path, Set, PrintStream, PrintStream, boolean, boolean)}; with a
   * {@code shard} ({@code reproduce --shard I/N}, issue 18), each experiment runs only that shard's
   * units into {@code root}/NAME as a shard folder for {@code merge --reproduce}, and no index is
   * written (the merge writes it).
   */
  public static int run(List<PlannedExperiment> plan, List<String> strategies, boolean quick, Path root, Set<String> only,
      PrintStream out, PrintStream err, boolean quiet, boolean force, org.ipctestbed.experiments.harness.Shard shard) {
    Set<String> known = new TreeSet<>();
    plan.forEach(e -> known.add(e.name()));
    for (String o : only) {
      if (!known.contains(o)) {
        throw new IllegalArgumentException("no reference experiment '" + o + "'; the plan has: " + String.join(", ", known));
      }
    }
    if (java.nio.file.Files.exists(root) && !java.nio.file.Files.isDirectory(root)) {
      throw new IllegalArgumentException("results root " + root + " is a file; choose a folder with --out");
    }
    Path index = root.resolve("README.md");
    if (!force && java.nio.file.Files.exists(index) && !isIndex(index)) {
      throw new IllegalArgumentException("results root " + root + " has a README.md that reproduce did not write; choose another --out, or --force to replace it");
    }
    for (PlannedExperiment e : plan) {
      if (only.isEmpty() || only.contains(e.name())) {
        OutputFolder.check(root.resolve(e.name()), e.workload(), force, true);
      }
    }
    try {
      java.nio.file.Files.createDirectories(root);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot create results root " + root + ": " + e.getMessage(), e);
    }
    Set<String> workloads = new TreeSet<>();
    WorkloadRegistry.all().stream().map(Workload::name).forEach(workloads::add);
    Set<String> providers = new TreeSet<>();
    IpcProvider.all().stream().map(IpcProvider::name).forEach(providers::add);
    List<Ran> ran = new ArrayList<>();
    boolean ok = true;
    long t0 = System.nanoTime();
    for (PlannedExperiment e : plan) {
      if (!only.isEmpty() && !only.contains(e.name())) {
        continue;
      }
      if (!workloads.contains(e.workload())) {
        String msg = "workload '" + e.workload() + "' is not on the class path";
        err.println("testbed: reproduce: skipping " + e.name() + ": " + msg);
        ran.add(new Ran(e, "skipped", msg, List.of(), List.of()));
        continue;
      }
      List<String> present = strategies.stream().filter(providers::contains).toList();
      List<String> missing = strategies.stream().filter(s -> !providers.contains(s)).toList();
      if (!missing.isEmpty()) {
        err.println("testbed: reproduce: " + e.name() + ": strategies not on the class path, skipped: " + String.join(", ", missing));
      }
      if (present.isEmpty()) {
        ran.add(new Ran(e, "skipped", "none of the strategies " + strategies + " is on the class path", List.of(), List.of()));
        continue;
      }
      ExperimentSpec spec = spec(e, present, quick, root);
      try {
        Harness h = new Harness().reference(true).force(force);
        if (shard != null) {
          h.shard(new Harness.ShardRun(shard, spec.commandLine(), false));
        }
        Harness.Outcome o = h.runWithShutdownHook(spec,
            new Progress(err, Progress.stdoutIsTerminal(), quiet), (status, reason, kept) -> {
              err.println();
              err.println("testbed: reproduce: " + e.name() + " " + status + ": " + reason + "; " + kept
                  + " finished repetition(s) kept in " + spec.out() + "; " + root.resolve("README.md") + " not updated");
              err.flush();
              Runtime.getRuntime().halt(1);
            });
        ran.add(new Ran(e, o.status(), o.reason(), present, o.figures()));
        ok &= o.complete();
      } catch (IllegalArgumentException ex) {
        err.println("testbed: reproduce: " + e.name() + " failed: " + ex.getMessage());
        ran.add(new Ran(e, "failed", ex.getMessage(), present, List.of()));
        ok = false;
      }
    }
    if (shard == null) {
      writeIndex(root, plan, ran, quick, strategies);
      ok &= writeClaims(root, out, err);
    }
    out.printf(java.util.Locale.ROOT, "testbed: reproduce%s: %d experiment(s) in %.0f s; index: %s%n", quick ? " --quick" : "",
        ran.size(), (System.nanoTime() - t0) / 1e9, root.resolve("README.md"));
    return ok ? 0 : 1;
  }

  /**
   * Writes the index: one section per experiment of the plan, in plan order. An experiment run now
   * gets a fresh section; one not run this time (a {@code --only} run) keeps the section the
   * existing index has for it, so that a partial run never drops the other figures.
   */
  /**
   * The "Measured vs published" table of an experiment's report (a preset that models a machine whose
   * figures were published, such as DragonFly's getuid timings), as a subsection of the index, so the
   * comparison is on the first page a reader opens; empty when the report has none.
   */
  static String measuredVsPublished(Path report) {
    String text;
    try {
      text = java.nio.file.Files.readString(report);
    } catch (java.io.IOException e) {
      return "";
    }
    int start = text.indexOf("## Measured vs published\n");
    if (start < 0) {
      return "";
    }
    int end = text.indexOf("\n## ", start + 1);
    return "#" + (end < 0 ? text.substring(start) : text.substring(start, end + 1)).stripTrailing() + "\n\n";
  }

  /**
   * Recomputes {@code root}/claims/ from the experiment folders there (issue 15) and prints each
   * claim's verdict; after the index, so a reader finds the verdicts beside the figures they rest on.
   *
   * @return false when the claims report could not be written (the reason is printed)
   */
  public static boolean writeClaims(Path root, PrintStream out, PrintStream err) {
    try {
      for (org.ipctestbed.experiments.claims.ClaimResult c : org.ipctestbed.experiments.claims.ClaimsReport.write(root)) {
        out.println("testbed: reproduce: claim " + c.number() + " (" + c.title() + "): " + c.verdict().label());
      }
      return true;
    } catch (IllegalArgumentException ex) {
      err.println("testbed: reproduce: claims not written: " + ex.getMessage());
      return false;
    }
  }

  public static void writeIndex(Path root, List<PlannedExperiment> plan, List<Ran> ran, boolean quick, List<String> strategies) {
    java.util.Map<String, String> kept = existingSections(root.resolve("README.md"));
    java.util.Map<String, Ran> byName = new java.util.HashMap<>();
    for (Ran r : ran) {
      byName.put(r.experiment().name(), r);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(INDEX_HEAD).append(quick ? " --quick" : "").append("`. Each folder holds one experiment: ")
        .append("`results.csv` (tidy, one row per measurement and repetition), `summary.csv` (means with 95% intervals), ")
        .append("`significance.csv` (Welch and Mann-Whitney tests between strategies), `metadata.json` (command line, ")
        .append("configuration, cost model, machine, commit), HdrHistogram `.hlog` files and `percentiles.csv` (the same ")
        .append("latency distributions as CSV), the charts as PNG (SVG too when drawn locally), and a `report.md`. ")
        .append("The committed copy leaves out the SVGs and the largest `percentiles.csv` files; `./testbed chart DIR` regenerates both. ")
        .append("The notebooks in `notebooks/` read these files and redraw and extend the charts (`./testbed notebooks`).\n\n")
        .append("Strategies: ").append(String.join(", ", strategies))
        .append(" (`direct-call` is the lower bound: a plain procedure call with no protection and no scheduling). ")
        .append("Experiments on the `sim` engine draw every mechanism cost from its seeded distribution (see `testbed list --cost-models`), ")
        .append("so repetitions differ and intervals have width, yet the same seeds regenerate their `results.csv` and `summary.csv` byte for byte. ")
        .append("Real-engine results describe the machine in their `metadata.json`.\n\n")
        .append("**Start with [claims/README.md](claims/README.md)**: the verdicts (supported, not supported, inconclusive) ")
        .append("on the seven claims of the two designs, computed from these folders with their tests and intervals.\n\n");
    if (quick) {
      sb.append("> These are **quick** results (fewer operations and repetitions): fine for checking the pipeline, ")
          .append("not for conclusions. Run `./testbed reproduce` for the reference figures.\n\n");
    }
    for (PlannedExperiment planned : plan) {
      Ran r = byName.get(planned.name());
      if (r == null) {
        String old = kept.get(planned.name());
        if (old != null) {
          sb.append(old);
        }
        continue;
      }
      PlannedExperiment e = r.experiment();
      sb.append("## ").append(e.name()).append("\n\n").append(e.claim()).append("\n\n");
      sb.append("Workload `").append(e.workload()).append("`, ").append(e.engine()).append(" engine")
          .append(e.engine().equals("sim") ? ", cost model `" + e.costModel() + "`" : "").append(", CPUs ").append(e.cpus())
          .append(". ");
      switch (r.status()) {
        case "skipped" -> sb.append("**Skipped**: ").append(r.detail()).append(".\n\n");
        case "failed", "interrupted" -> sb.append("**").append(r.status()).append("**: ").append(r.detail()).append(".\n\n");
        default -> {
          sb.append("Strategies: ").append(String.join(", ", r.strategies())).append(". [Report](").append(e.name())
              .append("/report.md).\n\n");
          sb.append(measuredVsPublished(root.resolve(e.name()).resolve("report.md")));
        }
      }
      for (ChartBook.Figure f : r.figures()) {
        sb.append("![").append(f.name()).append("](").append(e.name()).append('/').append(f.name()).append(".png)\n\n")
            .append("*").append(f.caption().replace("*", "")).append("* Data: `").append(e.name())
            .append("/results.csv`").append(f.type().equals("cdf") ? " and the `.hlog` files" : "").append(".\n\n");
      }
    }
    AtomicFiles.writeString(root.resolve("README.md"), sb.toString());
  }

  private static final String INDEX_HEAD = "# Reference results\n\nWritten by `./testbed reproduce";

  /** Whether {@code index} is a README.md that {@link #writeIndex} wrote. */
  static boolean isIndex(Path index) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(index)) {
      byte[] head = in.readNBytes(INDEX_HEAD.length());
      return new String(head, java.nio.charset.StandardCharsets.UTF_8).equals(INDEX_HEAD);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The "## name" sections of an existing index, by name (empty if there is none). */
  private static java.util.Map<String, String> existingSections(Path index) {
    java.util.Map<String, String> sections = new java.util.HashMap<>();
    if (!java.nio.file.Files.isRegularFile(index)) {
      return sections;
    }
    String text;
    try {
      text = java.nio.file.Files.readString(index);
    } catch (java.io.IOException e) {
      return sections;
    }
    String name = null;
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("## ")) {
        if (name != null) {
          sections.put(name, cur.toString());
        }
        name = line.substring(3).trim();
        cur.setLength(0);
      }
      if (name != null) {
        cur.append(line).append('\n');
      }
    }
    if (name != null) {
      sections.put(name, cur.toString().replaceAll("\n+$", "\n\n"));
    }
    return sections;
  }
}
