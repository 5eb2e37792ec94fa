package org.ipctestbed.experiments.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of an experiment's grid: an engine, a CPU count and a full set of workload parameter
 * values. Every mechanism runs at every point; the mechanism is the series a chart compares.
 *
 * @param engine {@code sim} or {@code real}
 * @param cpus virtual CPUs of the machine
 * @param params every parameter of the workload (defaults included), in declaration order
 * @param varying the names of the parameters (and {@code engine}/{@code cpus}) that take more than one
 *     value in this experiment: what tells two points apart
 */
public record Point(String engine, int cpus, Map<String, String> params, List<String> varying) {
  public Point {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    varying = List.copyOf(varying);
  }

  /** The value of a varying dimension: a parameter, {@code engine} or {@code cpus}. */
  public String value(String dimension) {
    return switch (dimension) {
      case "engine" -> engine;
      case "cpus" -> Integer.toString(cpus);
      default -> params.get(dimension);
    };
  }

  /** {@code bytes=64 cpus=2}: what distinguishes this point, for titles and progress; "" if nothing. */
  public String label() {
    List<String> parts = new ArrayList<>();
    for (String v : varying) {
      parts.add(v + "=" + value(v));
    }
    return String.join(" ", parts);
  }

  /** {@link #label()} as a file-name fragment ({@code bytes-64_cpus-2}), or "" if nothing varies. */
  public String slug() {
    List<String> parts = new ArrayList<>();
    for (String v : varying) {
      parts.add(safe(v) + "-" + safe(value(v)));
    }
    return String.join("_", parts);
  }

  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9.+-]", "-");
  }
}
