package org.ipctestbed.experiments.workload;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter values of one run of a {@link Workload}: defaults overridden by what the user gave.
 * Immutable. Typed getters fail with a message naming the parameter, the value and what is allowed.
 */
public final class WorkloadParams {
  private final String workload;
  private final Map<String, String> values;

  private WorkloadParams(String workload, Map<String, String> values) {
    this.workload = workload;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * The defaults of {@code workload}'s parameters overridden by {@code given}.
   *
   * @throws IllegalArgumentException if {@code given} names a parameter the workload does not have
   */
  public static WorkloadParams of(Workload workload, Map<String, String> given) {
    Map<String, String> v = new LinkedHashMap<>();
    List<Param> params = workload.params();
    for (Param p : params) {
      v.put(p.name(), p.defaultValue());
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      if (!v.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "workload '" + workload.name() + "' has no parameter '" + e.getKey() + "'; it has: "
                + String.join(", ", v.keySet()));
      }
      v.put(e.getKey(), e.getValue());
    }
    return new WorkloadParams(workload.name(), v);
  }

  /** All values, in declaration order, for result metadata. */
  public Map<String, String> asMap() {
    return values;
  }

  public String text(String name) {
    String s = values.get(name);
    if (s == null) {
      throw new IllegalArgumentException("workload '" + workload + "' has no parameter '" + name + "'");
    }
    return s;
  }

  /**
   * The value of {@code name} as a long in {@code [min, max]}.
   *
   * @throws IllegalArgumentException naming the parameter, the value and the range
   */
  public long longValue(String name, long min, long max) {
    String s = text(name);
    long v;
    try {
      if (!s.replace("_", "").matches("[-+]?[0-9]+")) {
        throw new NumberFormatException("only the ASCII digits 0-9"); // Long.parseLong takes any script's digits
      }
      v = Long.parseLong(s.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of workload '" + workload + "' must be an integer in " + min + ".." + max + ", got '" + s + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of workload '" + workload + "' must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  public int intValue(String name, int min, int max) {
    return (int) longValue(name, min, max);
  }

  @Override
  public String toString() {
    return workload + values;
  }
}
