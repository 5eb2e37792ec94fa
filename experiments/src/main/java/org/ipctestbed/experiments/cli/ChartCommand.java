package org.ipctestbed.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.charts.PercentileSpectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code testbed chart DIR}: redraws the charts and report of a results folder, and rewrites its percentiles.csv, from its saved data. */
@Command(name = "chart", mixinStandardHelpOptions = true,
    description = "Redraws the charts (PNG 300 dpi + SVG), report.md and percentiles.csv (the .hlog latency distributions as CSV) of a results folder from its results.csv and .hlog files.")
final class ChartCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "a results folder written by run or reproduce")
  Path dir;

  @Option(names = "--type", split = ",", paramLabel = "TYPE",
      description = "chart types to draw: percentiles, latency-vs-param, throughput-vs-cpus, cpu-time, async, cdf (default: all)")
  List<String> types;

  @Override
  public Integer call() {
    java.util.function.Consumer<String> warn = w -> CliContext.err().println("testbed: warning: " + w);
    int rows = PercentileSpectrum.write(dir, warn);
    List<ChartBook.Figure> figs = ChartBook.draw(dir, types == null ? ChartBook.TYPES : types, null, warn);
    for (ChartBook.Figure f : figs) {
      CliContext.out().println(dir.resolve(f.name() + ".png") + "  " + f.caption());
    }
    CliContext.out().println(figs.size() + " chart(s), " + dir.resolve("report.md") + " and " + dir.resolve(PercentileSpectrum.FILE)
        + " (" + rows + " rows) written");
    return 0;
  }
}
