package org.ipctestbed.experiments.cli;

import java.io.PrintStream;
import org.ipctestbed.experiments.workload.Param;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.StrategyOption;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.sched.SchedulerPolicy;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.CostDistribution;
import org.ipctestbed.substrate.NoiseSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code testbed list}: strategies, workloads with parameters and defaults, engines, cost models, policies. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the IPC strategies, workloads (with parameters and defaults), engines, cost models and scheduler policies.")
final class ListCommand implements Runnable {
  @Option(names = "--cost-models", description = "only the cost models: every cost's mean, distribution and source, and the noise sources")
  boolean costModels;

  @Option(names = "--cost-model", paramLabel = "NAME|FILE", description = "only this cost model (a preset or a file written by 'testbed calibrate'), in full")
  String costModel;

  /** Prints every cost of {@code m}: mean, distribution, source; then its noise and provenance. */
  static void printCostModel(PrintStream out, CostModel m) {
    out.printf("  %s%s%n", m.name(), m.provenance().isEmpty() ? "" : "  " + m.provenance());
    for (Cost c : Cost.values()) {
      CostDistribution d = m.distribution(c);
      out.printf("      %-20s %9.4g ns  %s%n", c.name(), d.meanNs(), d.describeShape());
      out.printf("      %-20s              source: %s%n", "", d.source());
    }
    for (NoiseSource n : m.noise()) {
      out.printf("      noise %s%n", n.describe());
    }
  }

  @Override
  public void run() {
    PrintStream out = CliContext.out();
    if (costModel != null) {
      printCostModel(out, CostModel.named(costModel));
      return;
    }
    if (costModels) {
      out.println("Cost models (--cost-model NAME, or a file written by 'testbed calibrate'; sim engine). Each cost is a");
      out.println("distribution with the mean shown; --deterministic charges the mean every time:");
      for (String name : CostModel.PRESETS.split(",\\s*")) {
        printCostModel(out, CostModel.named(name));
      }
      out.println();
      out.println("Noise sources (append to a model: --cost-model modern-x86+timer+background):");
      for (String n : NoiseSource.NAMES.split(",\\s*")) {
        out.printf("  %s%n", NoiseSource.named(n).describe());
      }
      return;
    }
    out.println("IPC strategies (--ipc NAME or NAME:option=value,...; option=a/b sweeps an option):");
    for (IpcProvider p : IpcProvider.all()) {
      out.printf("  %-14s %s%n", p.name(), p.description());
      for (StrategyOption o : p.options()) {
        out.printf("      %-22s %-14s default %-8s %s%n", o.name(), o.allowed(), o.defaultValue(), o.description());
      }
    }
    out.println();
    out.println("Workloads (run WORKLOAD; parameters with --set name=value, a comma list sweeps):");
    for (Workload w : WorkloadRegistry.all()) {
      out.printf("  %s: %s%n", w.name(), w.description());
      for (Param p : w.params()) {
        out.printf("      %-22s default %-12s %s%n", p.name(), p.defaultValue(), p.description());
      }
    }
    out.println();
    out.println("Engines (--engine):");
    out.println("  sim            simulated: virtual time, mechanism costs from the cost model, deterministic");
    out.println("  real           real: one carrier thread per virtual CPU, measured wall time");
    out.println();
    out.println("Cost models (--cost-model; used by the sim engine; means shown, sources: testbed list --cost-models):");
    for (String name : CostModel.PRESETS.split(",\\s*")) {
      StringBuilder sb = new StringBuilder();
      CostModel.named(name).asMap().forEach((k, v) -> {
        if (v != 0) {
          sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v).append("ns");
        }
      });
      out.printf("  %-14s %s%n", name, sb.length() == 0 ? "every mechanism cost 0 ns (only declared work takes time)" : sb);
    }
    out.println();
    out.println("Scheduler policies (--policy):");
    for (String name : SchedulerPolicy.NAMES.split(",\\s*")) {
      out.printf("  %s%n", name);
    }
  }
}
