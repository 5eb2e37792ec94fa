package org.ipctestbed.substrate;

import java.util.Locale;
import java.util.Objects;

/**
 * A named source of background noise that steals time from a busy simulated CPU: the periodic timer
 * interrupt, or other activity (kernel daemons, another tenant of the host) arriving at random
 * (DESIGN.md, "Two engines, one code path"; issue 12, "Seeded variability"). A model lists the
 * sources it enables ({@link CostModel#noise()}); the simulated engine arms one event per CPU and
 * source while the CPU is busy, and each occurrence stretches the work or dispatch in progress by a
 * draw of {@link #duration()}, tallied as {@link Cost#NOISE}. An idle CPU absorbs an occurrence
 * without effect, and no event is kept for an idle CPU, so a deadlock is still found when no event
 * is left.
 *
 * <p>Deliberate simplification: the stolen time is charged to the account the CPU holds at that
 * moment (as tick-based kernel accounting does), in the category of the work it interrupts.
 *
 * @param name what {@code --cost-model PRESET+NAME} calls it
 * @param intervalNs the period (periodic) or the mean gap between occurrences (random)
 * @param periodic true: every {@code intervalNs}, at a per-CPU phase drawn once; false: Poisson
 *     arrivals with mean gap {@code intervalNs}
 * @param duration how long one occurrence steals
 * @param source where the figures come from
 */
public record NoiseSource(String name, long intervalNs, boolean periodic, CostDistribution duration, String source) {
  /** The names {@link #named(String)} accepts. */
  public static final String NAMES = "timer, background";

  public NoiseSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(source, "source");
    if (intervalNs <= 0) {
      throw new IllegalArgumentException("noise interval must be > 0 ns, got " + intervalNs);
    }
  }

  /**
   * The catalogue's source called {@code name}.
   *
   * @throws IllegalArgumentException naming the allowed sources
   */
  public static NoiseSource named(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "timer" -> new NoiseSource("timer", 4_000_000, true,
          CostDistribution.exponential(2_000, 0.5, "estimated: a local APIC timer interrupt with tick processing, 1-3 us on a current x86 kernel"),
          "period 4 ms: Debian's CONFIG_HZ=250 (this host's kernel); duration estimated");
      case "background" -> new NoiseSource("background", 5_000_000, false,
          CostDistribution.lognormal(30_000, 0.8, 1.0, "estimated: a kernel worker or another tenant runs for tens of us"),
          "estimated: about 0.6% of each CPU stolen at random, the order of an otherwise idle VM's steal time");
      default -> throw new IllegalArgumentException("unknown noise source '" + name + "'; allowed: " + NAMES);
    };
  }

  /** One line for listings. */
  public String describe() {
    return String.format(Locale.ROOT, "%s: %s every %s us, %.4g ns each (%s) [%s]", name,
        periodic ? "periodic" : "Poisson, mean gap", intervalNs / 1000.0, duration.meanNs(), duration.describeShape(), source);
  }
}
