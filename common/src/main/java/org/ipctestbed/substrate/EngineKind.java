package org.ipctestbed.substrate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How time passes on a {@link Machine} (DESIGN.md, "Two engines, one code path").
 *
 * <ul>
 *   <li>{@link #REAL}: one carrier platform thread per virtual CPU; {@code work(ns)} spins; the clock is
 *       {@link System#nanoTime()}; mechanism costs are whatever the Java code really costs.
 *   <li>{@link #SIM}: one driver advances all CPUs in virtual-time order (discrete events); {@code
 *       work(ns)} and {@code charge(cost)} advance virtual time by the given or modelled amount; the
 *       same seed and configuration give bit-identical results.
 * </ul>
 */
public enum EngineKind {
  REAL,
  SIM;

  /**
   * The engine called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the allowed values when there is no such engine
   */
  public static EngineKind named(String name) {
    for (EngineKind k : values()) {
      if (k.name().equalsIgnoreCase(name.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown engine '" + name + "'; allowed: " + allowed());
  }

  static String allowed() {
    return Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }
}
