package org.ipctestbed.experiments.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run: one workload against several mechanisms over a grid of engines, CPU counts and
 * parameter values, with repetitions. Immutable; validated by the {@link Harness} before anything
 * is written.
 *
 * @param workload workload name
 * @param mechanisms IPC strategy names, in the order they are reported
 * @param engines {@code sim} and/or {@code real}
 * @param cpus CPU counts
 * @param reps measured repetitions per point and mechanism (>= 1)
 * @param warmupReps discarded repetitions before them; {@code -1}: 0 on the simulated engine (it is
 *     deterministic and has no JIT to warm), 1 on the real one
 * @param seed base seed: repetition {@code r} runs with seed {@code seed + r}
 * @param sets parameter values given by the user; a list of more than one value sweeps it; the value
 *     {@code @cpus} stands for the point's CPU count
 * @param costModel cost-model preset name
 * @param policy scheduler-policy name
 * @param out results folder
 * @param commandLine the command line, as recorded in the metadata
 * @param deterministic every simulated cost at its mean, no noise ({@code --deterministic}); false:
 *     each charge is a draw from the cost's seeded distribution, so repetitions (seeds) differ
 */
public record ExperimentSpec(
    String workload,
    List<String> mechanisms,
    List<String> engines,
    List<Integer> cpus,
    int reps,
    int warmupReps,
    long seed,
    Map<String, List<String>> sets,
    String costModel,
    String policy,
    Path out,
    String commandLine,
    boolean deterministic) {

  /** The form before costs were distributions: deterministic, as it behaved then. */
  public ExperimentSpec(String workload, List<String> mechanisms, List<String> engines, List<Integer> cpus, int reps,
      int warmupReps, long seed, Map<String, List<String>> sets, String costModel, String policy, Path out,
      String commandLine) {
    this(workload, mechanisms, engines, cpus, reps, warmupReps, seed, sets, costModel, policy, out, commandLine, true);
  }

  public ExperimentSpec {
    mechanisms = List.copyOf(mechanisms);
    // Names are case-insensitive: canonical before any check reads them (--engine REAL must meet the host-core check).
    engines = engines.stream().map(e -> e.trim().toLowerCase(java.util.Locale.ROOT)).toList();
    policy = policy == null ? null : policy.trim().toLowerCase(java.util.Locale.ROOT);
    cpus = List.copyOf(cpus);
    Map<String, List<String>> s = new LinkedHashMap<>();
    sets.forEach((k, v) -> s.put(k, List.copyOf(v)));
    sets = java.util.Collections.unmodifiableMap(s);
  }

  /** Warm-up repetitions for {@code engine}, resolving the automatic default. */
  public int warmupsFor(String engine) {
    return warmupReps >= 0 ? warmupReps : engine.equals("real") ? 1 : 0;
  }
}
