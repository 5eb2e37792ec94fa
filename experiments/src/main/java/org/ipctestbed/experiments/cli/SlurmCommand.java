package org.ipctestbed.experiments.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.reproduce.PlannedExperiment;
import org.ipctestbed.experiments.reproduce.ReproducePlan;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Environment;
import org.ipctestbed.experiments.results.OutputFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code testbed slurm WORKLOAD [run options] --shards N ...} and {@code testbed slurm reproduce
 * [--quick] [--only ...] --shards N ...} (issue 18): writes a Slurm job array whose task {@code i}
 * runs shard {@code i/N} ({@code run --shard}) into {@code SHARDS/shard-i}, and a merge job that
 * runs {@code merge} once every task succeeded ({@code --dependency=afterok:ARRAY_JOB}); prints the
 * two {@code sbatch} commands, and submits them with {@code --submit}. The testbed does no
 * distribution of its own: Slurm places the tasks, the shards and the merge do the rest.
 *
 * <p>The tasks run a copy of the CLI jar taken now ({@code SHARDS/testbed-cli.jar}) with this JVM
 * and the checkout's git commit pinned ({@code -Dtestbed.git.commit}), so that editing or rebuilding
 * the checkout while the jobs wait in the queue changes neither the code they run nor the version
 * they record. SHARDS (and the JDK, and the checkout for {@code testbed.home}) must be on storage every
 * node sees.
 *
 * <p>{@code reproduce}: one array task per (experiment, shard), task {@code t} running shard {@code
 * t mod N} of experiment {@code t / N} (in plan order) into {@code SHARDS/shard-(t mod N)/NAME}, and
 * one merge job that merges every experiment and writes the index ({@code merge --reproduce}).
 */
@Command(name = "slurm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes a Slurm job array that runs a sweep in N shards (one per array task) and a merge job that depends on it, "
        + "prints the two sbatch commands, and submits them with --submit.",
        "Takes every option of 'testbed run' (WORKLOAD and its options; --out is the merged folder) or of 'testbed reproduce' "
            + "(slurm reproduce [--quick] [--only ...] [--out ROOT]).",
        "Example: testbed slurm many-clients --cpus 1,2,4,8,16,32,64 --set clients=@cpus --reps 20 --shards 16 --partition short --time 02:00:00 --out /shared/scaling"})
final class SlurmCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WORKLOAD|reproduce", description = "a workload (see: testbed list), or reproduce")
  String workload;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "RUN_OPTION", description = "options of 'testbed run' (or of 'testbed reproduce')")
  List<String> rest = new ArrayList<>();

  @CommandLine.Unmatched
  List<String> unmatched = new ArrayList<>();

  @Option(names = "--shards", required = true, paramLabel = "N", description = "how many array tasks (shards) per sweep")
  int shards;

  @Option(names = "--partition", paramLabel = "P", description = "sbatch --partition")
  String partition;

  @Option(names = "--time", paramLabel = "T", description = "sbatch --time of each task and of the merge, e.g. 01:00:00")
  String time;

  @Option(names = "--cpus-per-task", paramLabel = "C", description = "sbatch --cpus-per-task (default: 1 on the sim engine, which runs on one thread; the largest --cpus on the real engine)")
  Integer cpusPerTask;

  @Option(names = "--mem", paramLabel = "M", description = "sbatch --mem of each task, e.g. 4G")
  String mem;

  @Option(names = "--dir", paramLabel = "SHARDS", description = "folder of the scripts, the jar copy, the logs and the shard folders, on shared storage (default: OUT.shards beside the merged folder)")
  Path dir;

  @Option(names = "--allow-mixed-hosts", description = "let the merge accept real-engine shards from different nodes")
  boolean allowMixedHosts;

  @Option(names = "--submit", description = "submit both jobs with sbatch (the merge with --dependency=afterok on the array)")
  boolean submit;

  /** The options of this command, removed from what the array tasks run. */
  private static final Set<String> OWN_WITH_VALUE = Set.of("--shards", "--partition", "--time", "--cpus-per-task", "--mem", "--dir");

  private static final Set<String> OWN_FLAGS = Set.of("--submit", "--allow-mixed-hosts");

  /** The scripts and commands written for one sweep. */
  record Job(Path dir, Path array, Path merge, Path out, int tasks) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (shards < 1 || shards > org.ipctestbed.experiments.harness.Shard.MAX_COUNT) {
      throw new IllegalArgumentException("--shards must be 1.." + org.ipctestbed.experiments.harness.Shard.MAX_COUNT + ", got " + shards);
    }
    List<String> args = new ArrayList<>(CliContext.argsWithout(OWN_WITH_VALUE, OWN_FLAGS));
    args.remove(0); // "slurm"
    if (args.contains("--shard") || args.stream().anyMatch(a -> a.startsWith("--shard="))) {
      throw new IllegalArgumentException("--shard is given to each array task by the script; give --shards N");
    }
    Job job = workload.equals("reproduce") ? reproduce(args) : run(args);
    String submitArray = "sbatch --parsable " + CliContext.quote(job.array().toString());
    String submitMerge = "sbatch --parsable --dependency=afterok:$ARRAY_JOB " + CliContext.quote(job.merge().toString());
    var out = CliContext.out();
    out.println("# " + job.tasks() + " array task(s) in " + job.array() + ", the merge in " + job.merge());
    out.println("# shards: " + job.dir() + "/shard-*; logs: " + job.dir().resolve("logs") + "; merged results: " + job.out());
    out.println("ARRAY_JOB=$(" + submitArray + ")");
    out.println(submitMerge);
    if (!submit) {
      return 0;
    }
    String arrayId = sbatch(List.of("--parsable", job.array().toString()));
    String mergeId = sbatch(List.of("--parsable", "--dependency=afterok:" + arrayId, job.merge().toString()));
    out.println("submitted: array job " + arrayId + " (" + job.tasks() + " task(s)), merge job " + mergeId);
    return 0;
  }

  /** {@code sbatch ARGS}; the job id it prints (before a {@code ;cluster} suffix). */
  private static String sbatch(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("sbatch");
    cmd.addAll(args);
    java.lang.Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run sbatch (" + e.getMessage() + "); on a cluster's login node, run the printed commands");
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int rc = p.waitFor();
    String id = text.lines().reduce((a, b) -> b).orElse("").split(";")[0].trim();
    if (rc != 0 || !id.matches("[0-9]+")) {
      throw new IllegalStateException("sbatch " + String.join(" ", args) + " failed (exit " + rc + "): " + text.replace('\n', ' '));
    }
    return id;
  }

  /** {@code slurm WORKLOAD ...}: validates the run as {@code run} would, then writes the scripts. */
  private Job run(List<String> args) throws IOException {
    RunCommand rc = new RunCommand();
    new CommandLine(rc).parseArgs(args.toArray(String[]::new));
    Path out = (rc.out != null ? rc.out : RunCommand.defaultOut(rc.workload.toLowerCase(java.util.Locale.ROOT), java.time.Instant.now()))
        .toAbsolutePath().normalize();
    ExperimentSpec spec = rc.spec(out, "");
    Harness.Plan plan = Harness.plan(spec); // bad input: exit 2 now, not in every array task
    OutputFolder.check(out, plan.workload().name(), rc.force, false);
    boolean real = spec.engines().contains("real");
    Path sh = shardsDir(out);
    List<String> taskArgs = new ArrayList<>(withoutOut(args));
    if (!taskArgs.contains("--no-charts")) {
      taskArgs.add("--no-charts"); // a shard's charts would show a part; the merge draws the whole sweep's
    }
    int cpus = cpusPerTask != null ? cpusPerTask : real ? spec.cpus().stream().mapToInt(Integer::intValue).max().orElse(1) : 1;
    StringBuilder body = new StringBuilder();
    body.append("i=\"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: SLURM_ARRAY_TASK_ID is not set}\"\n");
    body.append("exec ").append(java(sh)).append(" run ").append(words(taskArgs)).append(" --shard \"$i/").append(shards)
        .append("\" --out \"").append(sh).append("/shard-$i\"\n");
    List<String> merge = new ArrayList<>(List.of("merge"));
    if (rc.force) {
      merge.add("--force");
    }
    if (allowMixedHosts) {
      merge.add("--allow-mixed-hosts");
    }
    if (rc.noCharts) {
      merge.add("--no-charts");
    }
    merge.add(out.toString());
    for (int i = 0; i < shards; i++) {
      merge.add(sh.resolve("shard-" + i).toString());
    }
    return write(sh, out, "testbed-" + plan.workload().name(), shards, cpus, real, body.toString(), "exec " + java(sh) + " " + words(merge) + "\n");
  }

  /** {@code slurm reproduce ...}: one array task per experiment and shard. */
  private Job reproduce(List<String> args) throws IOException {
    ReproduceCommand rc = new ReproduceCommand();
    new CommandLine(rc).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    Path root = (rc.out != null ? rc.out : rc.quick ? Environment.home().resolve("results").resolve("quick") : Environment.home().resolve("results"))
        .toAbsolutePath().normalize();
    List<String> names = new ArrayList<>();
    Set<String> only = new LinkedHashSet<>(rc.only);
    Set<String> known = new LinkedHashSet<>();
    for (PlannedExperiment e : ReproducePlan.reference()) {
      known.add(e.name());
      if (only.isEmpty() || only.contains(e.name())) {
        names.add(e.name());
        OutputFolder.check(root.resolve(e.name()), e.workload(), rc.force, true);
      }
    }
    for (String o : only) {
      if (!known.contains(o)) {
        throw new IllegalArgumentException("no reference experiment '" + o + "'; the plan has: " + String.join(", ", known));
      }
    }
    boolean real = ReproducePlan.reference().stream().anyMatch(e -> names.contains(e.name()) && e.engine().equals("real"));
    Path sh = shardsDir(root);
    List<String> taskArgs = new ArrayList<>();
    if (rc.quick) {
      taskArgs.add("--quick");
    }
    if (rc.quiet) {
      taskArgs.add("-q");
    }
    int cpus = cpusPerTask != null ? cpusPerTask : real ? 2 : 1;
    StringBuilder body = new StringBuilder();
    body.append("t=\"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: SLURM_ARRAY_TASK_ID is not set}\"\n");
    body.append("names=(").append(words(names)).append(")\n");
    body.append("name=\"${names[$((t / ").append(shards).append("))]}\"\n");
    body.append("i=$((t % ").append(shards).append("))\n");
    body.append("exec ").append(java(sh)).append(" reproduce ").append(words(taskArgs)).append(taskArgs.isEmpty() ? "" : " ")
        .append("--only \"$name\" --shard \"$i/").append(shards).append("\" --out \"").append(sh).append("/shard-$i\"\n");
    List<String> merge = new ArrayList<>(List.of("merge", "--reproduce"));
    if (rc.quick) {
      merge.add("--quick");
    }
    if (rc.force) {
      merge.add("--force");
    }
    if (allowMixedHosts) {
      merge.add("--allow-mixed-hosts");
    }
    merge.add(root.toString());
    for (int i = 0; i < shards; i++) {
      merge.add(sh.resolve("shard-" + i).toString());
    }
    return write(sh, root, "testbed-reproduce", names.size() * shards, cpus, real, body.toString(),
        "exec " + java(sh) + " " + words(merge) + "\n");
  }

  private Path shardsDir(Path out) {
    return (dir != null ? dir : out.resolveSibling(out.getFileName() + ".shards")).toAbsolutePath().normalize();
  }

  /** {@code args} without {@code --out V} / {@code --out=V}. */
  static List<String> withoutOut(List<String> args) {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--out")) {
        i++;
      } else if (!args.get(i).startsWith("--out=")) {
        r.add(args.get(i));
      }
    }
    return r;
  }

  private static String words(List<String> ws) {
    return String.join(" ", ws.stream().map(CliContext::quote).toList());
  }

  /**
   * This JVM with the launcher's flags, the copied CLI (or this class path when not run from a jar),
   * the checkout as {@code testbed.home} and its git commit pinned.
   */
  private static String java(Path sh) {
    List<String> w = new ArrayList<>();
    w.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    w.add("--add-exports");
    w.add("java.base/jdk.internal.vm=ALL-UNNAMED");
    w.add("-Xss4m");
    if (Runtime.version().feature() >= 24) {
      w.add("--sun-misc-unsafe-memory-access=allow");
    }
    for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xmx") || a.startsWith("-Xms")) {
        w.add(a);
      }
    }
    w.add("-Djava.awt.headless=true");
    w.add("-Dtestbed.home=" + Environment.home().toAbsolutePath().normalize());
    Map<String, Object> git = Environment.git();
    w.add("-Dtestbed.git.commit=" + git.get("commit"));
    if (git.get("dirty") != null) {
      w.add("-Dtestbed.git.dirty=" + git.get("dirty"));
    }
    w.add("-cp");
    w.add(sh.resolve(JAR).toString());
    w.add("org.ipctestbed.experiments.cli.Main");
    return words(w);
  }

  /** The copy of the CLI the tasks run. */
  static final String JAR = "testbed-cli.jar";

  private Job write(Path sh, Path out, String name, int tasks, int cpus, boolean real, String arrayBody, String mergeBody) throws IOException {
    if (tasks > 1_000_000) {
      throw new IllegalArgumentException("the job array would have " + tasks + " tasks; give fewer --shards");
    }
    Files.createDirectories(sh.resolve("logs"));
    copyCli(sh.resolve(JAR));
    String generated = "# Written by: " + CliContext.commandLine().replace('\n', ' ') + "\n";
    StringBuilder a = new StringBuilder("#!/bin/bash\n");
    a.append("#SBATCH --job-name=").append(name).append('\n');
    a.append("#SBATCH --array=0-").append(tasks - 1).append('\n');
    a.append("#SBATCH --output=").append(sh.resolve("logs")).append("/task-%a.log\n");
    a.append("#SBATCH --cpus-per-task=").append(cpus).append('\n');
    resources(a, true);
    if (real) {
      a.append("#SBATCH --exclusive\n"); // real-engine figures need the node to themselves
    }
    a.append(generated).append("set -euo pipefail\n").append(arrayBody);
    StringBuilder m = new StringBuilder("#!/bin/bash\n");
    m.append("#SBATCH --job-name=").append(name).append("-merge\n");
    m.append("#SBATCH --output=").append(sh.resolve("logs")).append("/merge.log\n");
    m.append("#SBATCH --cpus-per-task=1\n");
    resources(m, false);
    m.append(generated).append("set -euo pipefail\n").append(mergeBody);
    Path array = sh.resolve("array.sbatch");
    Path merge = sh.resolve("merge.sbatch");
    AtomicFiles.writeString(array, a.toString());
    AtomicFiles.writeString(merge, m.toString());
    array.toFile().setExecutable(true);
    merge.toFile().setExecutable(true);
    return new Job(sh, array, merge, out, tasks);
  }

  private void resources(StringBuilder s, boolean task) {
    if (partition != null) {
      s.append("#SBATCH --partition=").append(partition).append('\n');
    }
    if (time != null) {
      s.append("#SBATCH --time=").append(time).append('\n');
    }
    if (mem != null) {
      s.append("#SBATCH --mem=").append(mem).append('\n');
    }
  }

  /** Copies the CLI jar this JVM runs (or, from a class folder in tests, packs nothing and points at the class path). */
  private static void copyCli(Path target) throws IOException {
    Path src;
    try {
      src = Path.of(SlurmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new IOException("cannot find the CLI's jar: " + e.getMessage(), e);
    }
    if (Files.isRegularFile(src)) {
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.copy(src, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } else {
      // a class folder (tests): a jar whose manifest puts this JVM's class path on the class path
      java.util.jar.Manifest mf = new java.util.jar.Manifest();
      mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
      StringBuilder cp = new StringBuilder();
      for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        cp.append(Path.of(e).toAbsolutePath().toUri()).append(' ');
      }
      mf.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, cp.toString().trim());
      try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(target), mf)) {
        // the manifest is the whole jar
      }
    }
  }
}
