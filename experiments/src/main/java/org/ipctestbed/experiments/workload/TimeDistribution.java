package org.ipctestbed.experiments.workload;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A workload's distribution of a time (think time, service time, gaps between arrivals), given as a
 * parameter value (issue 12, "Seeded variability"):
 *
 * <ul>
 *   <li>{@code 1000} or {@code const:1000}: always 1000 ns;
 *   <li>{@code exp:1000}: exponential with mean 1000 ns (memoryless: Poisson arrivals, M/M/1 service);
 *   <li>{@code lognormal:1000:0.5}: log-normal with mean 1000 ns and log-space standard deviation 0.5
 *       (the skewed service times measured in real servers).
 * </ul>
 *
 * <p>Draws come from a stream the workload takes from {@link org.ipctestbed.substrate.Machine#random},
 * so the simulated engine stays reproducible; a draw allocates nothing. Immutable.
 */
public final class TimeDistribution {
  /** The forms {@link #parse} accepts, for error messages and parameter descriptions. */
  public static final String FORMS = "N, const:N, exp:MEAN or lognormal:MEAN:SIGMA (ns)";

  private enum Kind { CONSTANT, EXPONENTIAL, LOGNORMAL }

  private final Kind kind;
  private final double mean;
  private final double sigma;
  private final double mu;
  private final String text;

  private TimeDistribution(Kind kind, double mean, double sigma, String text) {
    this.kind = kind;
    this.mean = mean;
    this.sigma = sigma;
    this.mu = kind == Kind.LOGNORMAL ? Math.log(mean) - sigma * sigma / 2 : 0;
    this.text = text;
  }

  /** Always {@code ns}. */
  public static TimeDistribution constant(long ns) {
    return new TimeDistribution(Kind.CONSTANT, ns, 0, Long.toString(ns));
  }

  /** Exponential with mean {@code meanNs}. */
  public static TimeDistribution exponential(double meanNs) {
    return new TimeDistribution(Kind.EXPONENTIAL, meanNs, 0, "exp:" + meanNs);
  }

  /**
   * Parses {@code text} as one of {@link #FORMS}, each value in {@code 0..maxNs}.
   *
   * @throws IllegalArgumentException naming {@code what}, the value and the allowed forms
   */
  public static TimeDistribution parse(String what, String text, long maxNs) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    String[] p = t.split(":");
    try {
      switch (p[0]) {
        case "const" -> {
          if (p.length == 2) {
            return constant(check(what, text, Long.parseLong(p[1]), maxNs));
          }
        }
        case "exp" -> {
          if (p.length == 2) {
            return new TimeDistribution(Kind.EXPONENTIAL, check(what, text, Double.parseDouble(p[1]), maxNs), 0, t);
          }
        }
        case "lognormal" -> {
          if (p.length == 3) {
            double mean = check(what, text, Double.parseDouble(p[1]), maxNs);
            double sigma = Double.parseDouble(p[2]);
            if (!(sigma > 0 && sigma <= 4)) {
              throw new IllegalArgumentException(what + ": log-normal sigma must be in (0, 4], got '" + text + "'");
            }
            return new TimeDistribution(mean == 0 ? Kind.CONSTANT : Kind.LOGNORMAL, mean, sigma, t);
          }
        }
        default -> {
          if (p.length == 1) {
            return constant(check(what, text, Long.parseLong(p[0]), maxNs));
          }
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(what + " must be " + FORMS + ", got '" + text + "'");
  }

  private static long check(String what, String text, double v, long maxNs) {
    if (!(v >= 0 && v <= maxNs)) {
      throw new IllegalArgumentException(what + " must be in 0.." + maxNs + " ns, got '" + text + "'");
    }
    return (long) v;
  }

  /** The mean, ns. */
  public double mean() {
    return mean;
  }

  /** Whether every draw is the same. */
  public boolean isConstant() {
    return kind == Kind.CONSTANT;
  }

  /** One draw, ns (rounded); draws nothing from {@code rng} when constant. */
  public long draw(SplittableRandom rng) {
    return switch (kind) {
      case CONSTANT -> (long) mean;
      case EXPONENTIAL -> Math.round(mean * rng.nextExponential());
      case LOGNORMAL -> Math.round(Math.exp(mu + sigma * rng.nextGaussian()));
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
