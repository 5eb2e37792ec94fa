package org.ipctestbed.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.calibration.Calibration;
import org.ipctestbed.experiments.calibration.Validation;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Environment;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.CostModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code testbed validation}: calibrates (unless given a model), then compares the two engines. */
@Command(name = "validation", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Validates the simulated engine against the real engine on this host: calibrates a cost model (or uses "
        + "--cost-model FILE), runs null RPC on one and two CPUs, the payload sweep and many clients on 1 and 2 CPUs on both "
        + "engines, and writes the relative error of median, p99 and throughput, with a verdict and a cause per miss, as "
        + "README.md, validation.csv and validation.png.",
        "Run it on a quiet host: the real engine measures the machine as it is."})
final class ValidationCommand implements Callable<Integer> {
  @Option(names = "--cost-model", paramLabel = "FILE", description = "a model written by 'testbed calibrate' (default: calibrate now, into OUT/calibrated-cost-model.properties)")
  Path costModel;

  @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: results/validation)")
  Path out;

  @Option(names = "--ipc", split = ",", paramLabel = "NAME", description = "strategies (default: ${DEFAULT-VALUE})", defaultValue = "ppc,lwkt")
  List<String> ipc;

  @Option(names = "--reps", paramLabel = "R", description = "repetitions per engine (default: 5, 3 with --quick)")
  Integer reps;

  @Option(names = "--quick", description = "fewer operations and repetitions (about 1 minute on 2 cores)")
  boolean quick;

  @Option(names = {"-q", "--quiet"}, description = "no progress lines")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out : Environment.home().resolve("results").resolve("validation");
    int r = reps != null ? reps : quick ? 3 : 5;
    if (r < 1) {
      throw new IllegalArgumentException("--reps must be at least 1, got " + r);
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + dir + " is a file; choose a folder");
    }
    Files.createDirectories(dir);
    Path model = costModel;
    if (model == null) {
      model = dir.resolve("calibrated-cost-model.properties");
      CostModel m = new Calibration(quick ? 60 : 200, 200, CliContext.err()).fit(ipc, quick ? 0.25 : 1).run("calibrated");
      AtomicFiles.writeString(model, CostModelFile.format(m, "written by 'testbed validation' (calibration step)"));
    } else {
      CostModel.named(model.toString()); // a bad file fails now, with one line
    }
    List<Validation.Row> rows = new Validation(CliContext.err()).run(model, dir, ipc, r, quick, quiet);
    long med = rows.stream().filter(x -> Math.abs(x.errP50()) <= Validation.MEDIAN_TARGET).count();
    CliContext.out().printf(Locale.ROOT, "testbed: validation: %d comparisons, median within 15%%: %d, throughput within 20%%: %d; report: %s%n",
        rows.size(), med, rows.stream().filter(x -> Double.isNaN(x.errTput()) || Math.abs(x.errTput()) <= Validation.THROUGHPUT_TARGET).count(),
        dir.resolve("README.md"));
    for (Validation.Row x : rows) {
      CliContext.out().printf(Locale.ROOT, "  %-20s %-18s %-5s p50 real %7.0f sim %7.0f (%+6.1f%%)  p99 (%+6.1f%%)  ops/s (%+6.1f%%)%n",
          x.scenario(), x.point(), x.mechanism(), x.realP50(), x.simP50(), 100 * x.errP50(), 100 * x.errP99(), 100 * x.errTput());
    }
    return 0;
  }
}
