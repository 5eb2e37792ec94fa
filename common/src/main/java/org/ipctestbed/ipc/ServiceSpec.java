package org.ipctestbed.ipc;

import java.util.Arrays;

/**
 * How a service is exported: its name, the CPUs it is served on (its placement), and the largest
 * request payload it accepts.
 *
 * @param name the service's name, unique per mechanism instance
 * @param cpus CPUs on which the server has a serving fiber; a client on one of them is served
 *     locally, others remotely (cross-CPU)
 * @param maxPayload largest request payload accepted, in bytes
 */
public record ServiceSpec(String name, int[] cpus, int maxPayload) {
  public ServiceSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a service needs a non-blank name");
    }
    if (cpus == null || cpus.length == 0) {
      throw new IllegalArgumentException("service '" + name + "' needs at least one CPU to be served on");
    }
    if (maxPayload < 0) {
      throw new IllegalArgumentException("service '" + name + "': maxPayload must be >= 0, got " + maxPayload);
    }
    cpus = cpus.clone();
  }

  /** A service served on {@code cpus}, accepting payloads up to 4072 bytes (one K42 PPC page). */
  public static ServiceSpec on(String name, int... cpus) {
    return new ServiceSpec(name, cpus, 4072);
  }

  @Override
  public int[] cpus() {
    return cpus.clone();
  }

  /** Whether the service is served on {@code cpu}. */
  public boolean servedOn(int cpu) {
    for (int c : cpus) {
      if (c == cpu) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ServiceSpec[" + name + " on CPUs " + Arrays.toString(cpus) + ", maxPayload " + maxPayload + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceSpec s && s.name.equals(name) && Arrays.equals(s.cpus, cpus) && s.maxPayload == maxPayload;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(cpus);
  }
}
