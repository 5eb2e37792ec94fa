package org.ipctestbed.experiments.workload;

import org.ipctestbed.substrate.Machine;

/**
 * Where a one-client workload puts its server relative to its client: on the client's CPU (K42's
 * designed case, research/k42.md 1.1; an LWKT port whose owner shares the sender's CPU) or on
 * another CPU (K42's remote PPC path 1.7; LWKT's IPI delivery, research/lwkt.md 4).
 */
enum Placement {
  SAME_CPU("same-cpu"),
  CROSS_CPU("cross-cpu");

  /** The parameter's name. */
  static final String PARAM = "placement";

  /** The parameter's declaration, default {@code same-cpu}. */
  static final Param DECLARATION =
      new Param(PARAM, "same-cpu", "server on the client's CPU (same-cpu) or on another one (cross-cpu)");

  private final String text;

  Placement(String text) {
    this.text = text;
  }

  /**
   * The placement {@code params} asks for, checked against {@code machine}.
   *
   * @throws IllegalArgumentException naming the parameter and the allowed values, or saying that
   *     cross-cpu needs a second CPU
   */
  static Placement of(WorkloadParams params, Machine machine) {
    String s = params.text(PARAM).trim();
    for (Placement p : values()) {
      if (p.text.equals(s)) {
        if (p == CROSS_CPU && machine.cpuCount() < 2) {
          throw new IllegalArgumentException(
              "parameter 'placement' = cross-cpu needs at least 2 CPUs; this machine has 1");
        }
        return p;
      }
    }
    throw new IllegalArgumentException(
        "parameter 'placement' must be one of same-cpu, cross-cpu, got '" + s + "'");
  }

  /** The server's CPU for a client on CPU 0. */
  int serverCpu() {
    return this == SAME_CPU ? 0 : 1;
  }

  @Override
  public String toString() {
    return text;
  }
}
