package org.ipctestbed.experiments.workload;

/**
 * The parameters several workloads share ({@code ops}, {@code warmup}, server work), declared and
 * read in one place so that their names, ranges and descriptions agree everywhere.
 */
final class StandardParams {
  private StandardParams() {}

  /** Most operations one parameter may ask for. */
  static final long MAX_OPS = 100_000_000L;

  /** Longest work one parameter may ask for: ten seconds. */
  static final long MAX_WORK_NS = 10_000_000_000L;

  static Param ops(long defaultValue, String what) {
    return new Param("ops", Long.toString(defaultValue), "measured " + what + " after warm-up, 1.." + MAX_OPS);
  }

  static Param warmup(long defaultValue, String what) {
    return new Param("warmup", Long.toString(defaultValue), "unmeasured " + what + " first, 0.." + MAX_OPS);
  }

  static Param workNs(String name, long defaultValue, String what) {
    return new Param(name, Long.toString(defaultValue), what + ", ns, 0.." + MAX_WORK_NS);
  }

  /** A time parameter that takes a distribution ({@link TimeDistribution#FORMS}). */
  static Param timeNs(String name, String defaultValue, String what) {
    return new Param(name, defaultValue, what + ": " + TimeDistribution.FORMS + ", 0.." + MAX_WORK_NS);
  }

  static TimeDistribution timeNs(WorkloadParams p, String name) {
    return TimeDistribution.parse("parameter '" + name + "'", p.text(name), MAX_WORK_NS);
  }

  static Param quantum() {
    return new Param(
        "quantum-ns",
        "1000000",
        "quantum of every process, ns, " + org.ipctestbed.substrate.Process.MIN_QUANTUM_NS + ".."
            + org.ipctestbed.substrate.Process.MAX_QUANTUM_NS);
  }

  static long quantumNs(WorkloadParams p) {
    return p.longValue(
        "quantum-ns", org.ipctestbed.substrate.Process.MIN_QUANTUM_NS, org.ipctestbed.substrate.Process.MAX_QUANTUM_NS);
  }

  /**
   * A CPU-bound daemon process {@code competitor} on CPU 0 of the default class: it never blocks, so
   * every quantum expiry finds a competitor for the CPU.
   */
  static void competitor(org.ipctestbed.substrate.Machine machine, long quantumNs) {
    org.ipctestbed.substrate.Process competitor =
        machine.newProcess("competitor", org.ipctestbed.substrate.Process.DEFAULT_PRIORITY_CLASS, 1024, quantumNs);
    long chunk = Math.max(1_000, quantumNs / 10);
    competitor.spawnDaemon("competitor", 0, self -> {
      while (true) {
        self.work(chunk);
      }
    });
  }

  static long ops(WorkloadParams p) {
    return p.longValue("ops", 1, MAX_OPS);
  }

  static long warmup(WorkloadParams p) {
    return p.longValue("warmup", 0, MAX_OPS);
  }

  static long workNs(WorkloadParams p, String name) {
    return p.longValue(name, 0, MAX_WORK_NS);
  }

  /** CPUs {@code 0 .. n-1}. */
  static int[] firstCpus(int n) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = i;
    }
    return c;
  }
}
