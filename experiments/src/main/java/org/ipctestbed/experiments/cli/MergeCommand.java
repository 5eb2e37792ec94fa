package org.ipctestbed.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.reproduce.PlannedExperiment;
import org.ipctestbed.experiments.reproduce.ReproducePlan;
import org.ipctestbed.experiments.results.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code testbed merge OUT SHARD_DIR...}: one results folder from the shards of a sweep ({@link ShardMerge}). */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Merges the shard folders written by 'testbed run ... --shard I/N' (or by the jobs of 'testbed slurm') into one "
        + "results folder with its summary, significance tests, report and charts: on the sim engine the folder the unsharded "
        + "command writes, byte for byte (metadata.json's startedAt/endedAt are the shards' span, and mergedFrom is added).",
        "Refused (exit 2, nothing written): shards of different commands, code versions or cost models, a shard missing, given "
            + "twice or unfinished, and real-engine shards from different hosts unless --allow-mixed-hosts.",
        "Example: testbed merge /shared/payload /shared/payload.shards/shard-0 /shared/payload.shards/shard-1"})
final class MergeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT", description = "the merged results folder")
  Path out;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "SHARD_DIR", description = "every shard folder of the sweep, in any order")
  List<Path> shards;

  @Option(names = "--allow-mixed-hosts", description = "merge real-engine shards measured on different hosts (their figures are not comparable)")
  boolean allowMixedHosts;

  @Option(names = "--force", description = "write into OUT even when it holds another workload's results, committed reference results, or files the testbed did not write (those are kept)")
  boolean force;

  @Option(names = "--no-charts", description = "write the data and report only; draw the charts later with: testbed chart OUT")
  boolean noCharts;

  @Option(names = "--reproduce", description = "each SHARD_DIR is the --out root of 'testbed reproduce --shard I/N' (one folder per experiment): merge every experiment into OUT/NAME and write OUT/README.md, the index")
  boolean reproduce;

  @Option(names = "--quick", description = "with --reproduce: the shards ran reproduce --quick (the index says so)")
  boolean quick;

  @Override
  public Integer call() {
    if (reproduce) {
      return mergeReproduce();
    }
    ShardMerge.Result r = ShardMerge.merge(out, CliContext.quote(out.toString()), shards, noCharts ? List.of() : ChartBook.TYPES, force,
        false, allowMixedHosts);
    CliContext.err().println("testbed: merged " + r.shards() + " shard(s), " + r.units() + " repetition(s) of " + r.workload() + " into " + out);
    return 0;
  }

  /** Every experiment of the reference plan that the shard roots hold, checked first, then written; then the index. */
  private int mergeReproduce() {
    List<PlannedExperiment> plan = ReproducePlan.reference();
    List<PlannedExperiment> present = new java.util.ArrayList<>();
    for (PlannedExperiment e : plan) {
      long have = shards.stream().filter(d -> java.nio.file.Files.isDirectory(d.resolve(e.name()))).count();
      if (have == shards.size()) {
        present.add(e);
      } else if (have > 0) {
        throw new IllegalArgumentException("experiment " + e.name() + " is in " + have + " of the " + shards.size()
            + " shard roots; every shard root must hold it (re-run the missing shard)");
      }
    }
    if (present.isEmpty()) {
      throw new IllegalArgumentException("no reference experiment in the shard roots " + shards + " (written by reproduce --shard I/N --out ROOT)");
    }
    List<ShardMerge.Prepared> prepared = new java.util.ArrayList<>();
    for (PlannedExperiment e : present) {
      Path o = out.resolve(e.name());
      prepared.add(ShardMerge.prepare(o, CliContext.quote(o.toString()), shards.stream().map(d -> d.resolve(e.name())).toList(),
          noCharts ? List.of() : ChartBook.TYPES, force, true, allowMixedHosts));
    }
    List<ReproducePlan.Ran> ran = new java.util.ArrayList<>();
    for (int i = 0; i < present.size(); i++) {
      ShardMerge.Result r = prepared.get(i).write();
      ran.add(new ReproducePlan.Ran(present.get(i), "complete", "", prepared.get(i).plan().spec().mechanisms(), r.figures()));
      CliContext.err().println("testbed: merged " + r.shards() + " shard(s), " + r.units() + " repetition(s) of " + present.get(i).name()
          + " into " + r.out());
    }
    ReproducePlan.writeIndex(out, plan, ran, quick, ReproducePlan.STRATEGIES);
    return 0;
  }
}
