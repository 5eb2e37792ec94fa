package org.ipctestbed.experiments.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.ipctestbed.experiments.harness.RunMeasurements;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "Open-loop load": arrivals at an offered rate, latency from the intended start. Below
 * capacity the two latencies agree; past it, the time calls waited to start counts (no coordinated
 * omission), so latency grows far beyond the service time.
 */
class OpenLoopTest {
  record Result(Map<String, Histogram> histograms, Map<String, Long> counters) {}

  private static Result run(String ipc, long rate, long seed) {
    Machine m = Machine.create(MachineConfig.builder().cpus(2).seed(seed).deterministic(false).build());
    RunMeasurements sink = new RunMeasurements();
    OpenLoopWorkload w = new OpenLoopWorkload();
    w.install(m, IpcProvider.named(ipc).install(m), WorkloadParams.of(w, Map.of("rate", Long.toString(rate), "ops", "2000",
        "warmup", "100", "clients", "8")), sink);
    m.run();
    return new Result(sink.histograms(), sink.counters());
  }

  private static double p50(Result r, String metric) {
    Histogram h = r.histograms().get(metric);
    return h.getValueAtPercentile(50);
  }

  @Test
  void belowCapacityLatencyFromTheIntendedStartIsAboutTheServiceTime() {
    Result r = run("ppc", 50_000, 1);
    assertEquals(2000, r.counters().get("ops"));
    assertTrue(p50(r, "call") < 2 * p50(r, "service") + 500, p50(r, "call") + " vs " + p50(r, "service"));
  }

  @Test
  void pastSaturationTheWaitToStartCountsSoLatencyFarExceedsServiceTime() {
    Result r = run("lwkt", 5_000_000, 1);
    assertTrue(p50(r, "call") > 20 * p50(r, "service"), p50(r, "call") + " vs " + p50(r, "service"));
    assertTrue(r.counters().get("late") > 1000);
  }

  @Test
  void theArrivalsReplayForOneSeedAndDifferForAnother() {
    assertEquals(p50(run("ppc", 500_000, 4), "call"), p50(run("ppc", 500_000, 4), "call"));
    assertTrue(p50(run("ppc", 500_000, 4), "call") != p50(run("ppc", 500_000, 5), "call")
        || run("ppc", 500_000, 4).histograms().get("call").getMaxValue() != run("ppc", 500_000, 5).histograms().get("call").getMaxValue());
  }

  /**
   * Regression: sixteen issuers on CPU 0 calling a server on CPU 1 (remote PPCs whose replies come back
   * through each issuer dispatcher's one-slot mailbox). A soft preemption honoured between the
   * deposit and the dispatcher's run cleared the PREEMPT bit that announced the reply, and the
   * caller waited forever ("deadlock ... awaiting remote reply"). Every call must complete, on
   * every mechanism.
   */
  @Test
  void everyCallAcrossCpusCompletesWithManyIssuersOnOneCpu() {
    for (String ipc : new String[] {"ppc", "lwkt"}) {
      for (long seed = 1; seed <= 3; seed++) {
        Machine m = Machine.create(MachineConfig.builder().cpus(2).seed(seed).deterministic(false).build());
        RunMeasurements sink = new RunMeasurements();
        OpenLoopWorkload w = new OpenLoopWorkload();
        w.install(m, IpcProvider.named(ipc).install(m), WorkloadParams.of(w, Map.of("rate", "100000", "ops", "5000",
            "warmup", "500", "clients", "16", "placement", "cross-cpu")), sink);
        m.run();
        assertEquals(5000, sink.counters().get("ops"), ipc + " seed " + seed);
      }
    }
  }
}
