package org.ipctestbed.bench;

import java.util.Map;

/**
 * One benchmark of the suite: which JMH benchmark runs with which parameters, and what it measures
 * in the domain's terms (for the results' columns and the ratio table). Immutable.
 *
 * @param id stable name in results, e.g. {@code baseline.coroutine}, {@code ppc.call-same.64}
 * @param group {@code baseline}, {@code substrate}, {@code mechanism} or {@code sim}
 * @param mechanism {@code -} for baselines, {@code substrate}, or a provider's name
 * @param kind what is done: {@code coroutine}, {@code call-cross}, {@code sim-speed}, ...
 * @param payload request payload in bytes (0 where there is none)
 * @param cpus CPUs of the machine (simulated CPUs for {@code sim}; 0 for baselines on host threads)
 * @param benchmark the JMH benchmark's name ({@code Class.method}, or {@code Class.group})
 * @param params JMH parameters to set
 */
public record BenchCase(
    String id, String group, String mechanism, String kind, int payload, int cpus, String benchmark, Map<String, String> params) {
  public BenchCase {
    params = Map.copyOf(params);
  }

  /** The regular expression that selects exactly this benchmark in JMH's include list. */
  public String includeRegex() {
    return "^" + java.util.regex.Pattern.quote(BenchCase.class.getPackageName() + "." + benchmark) + "$";
  }
}
