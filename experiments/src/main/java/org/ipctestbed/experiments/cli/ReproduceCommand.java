package org.ipctestbed.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.reproduce.ReproducePlan;
import org.ipctestbed.experiments.results.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code testbed reproduce [--quick]}: regenerates every reference figure in results/. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = {"Regenerates every reference experiment into results/NAME/ and indexes the figures in results/README.md.",
        "Simulated experiments are deterministic: their results.csv and summary.csv come out byte for byte the same."})
final class ReproduceCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "fewer operations and repetitions (a few minutes on 2 cores): checks the pipeline")
  boolean quick;

  @Option(names = "--out", paramLabel = "DIR", description = "root folder (default: results/ of the testbed; results/quick/ with --quick, so quick runs never replace the reference results)")
  Path out;

  @Option(names = "--only", split = ",", paramLabel = "NAME", description = "run only these experiments")
  List<String> only = new ArrayList<>();

  @Option(names = {"-q", "--quiet"}, description = "no progress lines")
  boolean quiet;

  @Option(names = "--force", description = "write into the root even when its README.md or an experiment's folder was not written by the testbed (foreign files in an experiment's folder are kept)")
  boolean force;

  @Option(names = "--shard", paramLabel = "I/N", description = "run only the I-th (from 0) of N parts of each experiment into --out/NAME as shard folders, and no index; 'testbed merge --reproduce' merges them (see: testbed slurm reproduce)")
  String shard;

  @Override
  public Integer call() {
    org.ipctestbed.experiments.harness.Shard s = shard == null ? null : org.ipctestbed.experiments.harness.Shard.parse(shard);
    if (s != null && out == null) {
      throw new IllegalArgumentException("reproduce --shard needs --out ROOT (the shard's own folder), so that results/ is not replaced by a part");
    }
    Path root = out != null ? out : quick ? Environment.home().resolve("results").resolve("quick") : Environment.home().resolve("results");
    return ReproducePlan.run(ReproducePlan.reference(), ReproducePlan.STRATEGIES, quick, root, new LinkedHashSet<>(only),
        CliContext.out(), CliContext.err(), quiet, force, s);
  }
}
