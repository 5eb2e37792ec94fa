package org.ipctestbed.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.calibration.Calibration;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.CostModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code testbed calibrate}: measures the real engine's primitive costs here and writes a cost-model file. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures on this host the primitive costs the real engine pays (continuation switch, dispatch, cross-CPU wake, "
        + "queue operation, atomic, copy per byte, cache-line transfer, charge bookkeeping) and writes them as a cost model: "
        + "each cost an empirical distribution with its provenance (host, JDK, date, load, method, spread). Then measures "
        + "each mechanism's real round trips (null and 4 KiB on one CPU, null across two) and fits the named costs the "
        + "mechanisms charge to them; the fit and its residuals are in the file's provenance (fit.*).",
        "Use it with: testbed run ... --cost-model FILE, or testbed validation --cost-model FILE."})
final class CalibrateCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "FILE", description = "where to write the model (default: ${DEFAULT-VALUE})", defaultValue = "calibrated-cost-model.properties")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", description = "the model's name (default: ${DEFAULT-VALUE})", defaultValue = "calibrated")
  String name;

  @Option(names = "--samples", paramLabel = "N", description = "samples per cost, 5..100000 (default: ${DEFAULT-VALUE})", defaultValue = "200")
  int samples;

  @Option(names = "--batch", paramLabel = "N", description = "operations per sample, 1..1000000 (default: ${DEFAULT-VALUE})", defaultValue = "200")
  int batch;

  @Option(names = "--fit", split = ",", paramLabel = "NAME", defaultValue = "ppc,lwkt",
      description = "strategies whose real round trips the costs are fitted to, or 'none' (default: ${DEFAULT-VALUE})")
  List<String> fit;

  @Option(names = "--quick", description = "a quarter of the probe calls for the fit (noisier)")
  boolean quick;

  @Override
  public Integer call() {
    if (samples < 5 || samples > 100_000) {
      throw new IllegalArgumentException("--samples must be in 5..100000, got " + samples);
    }
    if (batch < 1 || batch > 1_000_000) {
      throw new IllegalArgumentException("--batch must be in 1..1000000, got " + batch);
    }
    List<String> mechanisms = fit.size() == 1 && fit.get(0).trim().equals("none") ? List.of() : fit;
    for (String x : mechanisms) {
      org.ipctestbed.ipc.ConfiguredProvider.parse(x); // an unknown name fails now, with one line
    }
    CostModel m = new Calibration(samples, batch, CliContext.err()).fit(mechanisms, quick ? 0.25 : 1).run(name);
    AtomicFiles.writeString(out, CostModelFile.format(m, "IPC Testbed cost model written by 'testbed calibrate': the real engine's costs on "
        + m.provenance().get("host") + "\nEvery figure is an empirical distribution (batch means); its source line says how it was measured."));
    CliContext.out().println("testbed: calibrate: wrote " + out.toAbsolutePath() + "; use it with --cost-model " + out);
    return 0;
  }
}
