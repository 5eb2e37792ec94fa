package org.ipctestbed.experiments.cli;

import java.io.PrintStream;
import org.ipctestbed.experiments.workload.Param;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.sched.SchedulerPolicy;
import picocli.CommandLine.Command;

/** {@code testbed list}: strategies, workloads with parameters and defaults, engines, cost models, policies. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the IPC strategies, workloads (with parameters and defaults), engines, cost models and scheduler policies.")
final class ListCommand implements Runnable {
  @Override
  public void run() {
    PrintStream out = CliContext.out();
    out.println("IPC strategies (--ipc):");
    for (IpcProvider p : IpcProvider.all()) {
      out.printf("  %-14s %s%n", p.name(), p.description());
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
    out.println("Cost models (--cost-model; used by the sim engine):");
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
