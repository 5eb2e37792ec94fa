package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "Done when": the guide's example strategy ({@code examples/rendezvous}) runs every workload
 * of the catalogue through the harness, as {@code ./testbed run WORKLOAD --ipc rendezvous} does, on the
 * sim engine, with few operations; with and without donation.
 */
class ExampleStrategyRunsEveryWorkloadTest {
  @TempDir static Path tmp;

  static List<String> workloads() {
    return WorkloadRegistry.all().stream().map(Workload::name).filter(n -> !n.startsWith("test-")).toList();
  }

  /** Few operations for the workloads that take {@code ops}, {@code warmup} or {@code bursts}. */
  private static Map<String, List<String>> small(Workload w) {
    Map<String, List<String>> sets = new java.util.LinkedHashMap<>();
    for (var p : w.params()) {
      switch (p.name()) {
        case "ops" -> sets.put("ops", List.of("100"));
        case "warmup" -> sets.put("warmup", List.of("10"));
        case "bursts" -> sets.put("bursts", List.of("5"));
        default -> { }
      }
    }
    return sets;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void theExampleStrategyRunsTheWorkload(String workload) {
    Workload w = WorkloadRegistry.named(workload);
    Harness.Outcome o = new Harness(List.of()).run(new ExperimentSpec(workload, List.of("rendezvous", "rendezvous:donate=false"),
        List.of("sim"), List.of(2), 1, 0, 1, small(w), "modern-x86", "proportional-share", tmp.resolve(workload), "test"),
        new Harness.Listener() {});
    assertTrue(o.complete(), workload + ": " + o.reason());
    assertEquals(2, o.results().size());
    for (RepResult r : o.results()) {
      assertEquals(0, r.identityErrorNs(), workload + " " + r.mechanism() + ": ledger identity");
    }
  }
}
