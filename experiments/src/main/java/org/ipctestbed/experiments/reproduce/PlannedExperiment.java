package org.ipctestbed.experiments.reproduce;

import java.util.List;
import java.util.Map;

/**
 * One reference experiment of the {@link ReproducePlan}: a workload with fixed parameters against the
 * three strategies, written to {@code results/NAME/}.
 *
 * @param name folder name under results/
 * @param workload workload name
 * @param claim one sentence for results/README.md: what the figures show
 * @param engine {@code sim} (deterministic) or {@code real}
 * @param cpus CPU counts
 * @param costModel cost-model preset
 * @param reps repetitions in the full plan
 * @param sets parameter values in the full plan (a list of several values sweeps)
 * @param quickReps repetitions with {@code --quick}
 * @param quickSets parameters overriding {@code sets} with {@code --quick} (smaller op counts)
 * @param policy scheduler policy, or {@code native} (each strategy on its own OS's policy)
 */
public record PlannedExperiment(
    String name,
    String workload,
    String claim,
    String engine,
    List<Integer> cpus,
    String costModel,
    int reps,
    Map<String, List<String>> sets,
    int quickReps,
    Map<String, List<String>> quickSets,
    String policy) {

  /** An experiment on the harness's default policy, {@code proportional-share}. */
  public PlannedExperiment(String name, String workload, String claim, String engine, List<Integer> cpus, String costModel,
      int reps, Map<String, List<String>> sets, int quickReps, Map<String, List<String>> quickSets) {
    this(name, workload, claim, engine, cpus, costModel, reps, sets, quickReps, quickSets, "proportional-share");
  }
}
