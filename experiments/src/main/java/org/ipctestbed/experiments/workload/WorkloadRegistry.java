package org.ipctestbed.experiments.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The workloads on the class path (found through {@link ServiceLoader}), by name. */
public final class WorkloadRegistry {
  private WorkloadRegistry() {}

  /** Every workload, sorted by name. */
  public static List<Workload> all() {
    List<Workload> out = new ArrayList<>();
    ServiceLoader.load(Workload.class).forEach(out::add);
    out.sort(java.util.Comparator.comparing(Workload::name));
    return out;
  }

  /**
   * The workload called {@code name}.
   *
   * @throws IllegalArgumentException naming the available workloads when there is none by that name
   */
  public static Workload named(String name) {
    for (Workload w : all()) {
      if (w.name().equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown workload '" + name + "'; available: "
            + all().stream().map(Workload::name).collect(Collectors.joining(", ")));
  }
}
