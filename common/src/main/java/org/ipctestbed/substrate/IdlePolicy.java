package org.ipctestbed.substrate;

import java.util.Locale;

/**
 * What a real-engine carrier does when its CPU has nothing to run, in the manner of Agrona's {@code
 * IdleStrategy}. The choice trades wake-up latency of an idle CPU (an IPI to a parked carrier costs
 * an {@code unpark}, tens of microseconds on a VM; see research/anchors.md) against burning a host
 * core. The simulated engine ignores it: an idle simulated CPU costs nothing.
 */
public enum IdlePolicy {
  /** Busy-poll the IPI inbox and timers: lowest wake-up latency, one host core per virtual CPU. */
  SPIN,
  /** Spin for {@code MachineConfig.idleSpinNs}, then park until an IPI or the next timer. */
  SPIN_THEN_PARK,
  /** Park at once until an IPI or the next timer. */
  PARK;

  /**
   * The policy called {@code name}, accepting {@code spin}, {@code spin-then-park}, {@code park}.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static IdlePolicy named(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (IdlePolicy p : values()) {
      if (p.name().equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown idle policy '" + name + "'; allowed: spin, spin-then-park, park");
  }
}
