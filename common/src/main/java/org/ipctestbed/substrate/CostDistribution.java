package org.ipctestbed.substrate;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One named cost of the {@link CostModel} as a distribution of nanoseconds, with where its figure
 * comes from (DESIGN.md, "Two engines, one code path": "each a seeded distribution (a fixed part and
 * a documented random part) with its provenance"). Immutable.
 *
 * <p>Shapes (every shape keeps the {@link #meanNs() mean}, so a model made {@link
 * CostModel#deterministic() deterministic} charges exactly the mean and today's figures do not move):
 *
 * <ul>
 *   <li>{@link Shape#CONSTANT}: always the mean.
 *   <li>{@link Shape#EXPONENTIAL}: a fixed part {@code (1-f)·mean} plus an exponential random part of
 *       mean {@code f·mean} ({@code f} = {@link #randomFraction()}). The fixed part is the work the
 *       operation always does; the tail is what a cache or TLB miss, a branch mispredict or a bus
 *       arbitration adds now and then. The standard deviation is {@code f·mean}.
 *   <li>{@link Shape#LOGNORMAL}: the same fixed part plus a log-normal random part of mean {@code
 *       f·mean} and log-space standard deviation {@link #sigma()}: a heavier, longer tail (interrupt
 *       delivery, which waits for the target to leave a critical section).
 *   <li>{@link Shape#EMPIRICAL}: drawn uniformly from measured samples (what {@code testbed calibrate}
 *       writes): the measured shape, bimodality included (research/anchors.md B.6: "a mean would
 *       describe neither mode").
 * </ul>
 *
 * <p>{@link #sample} allocates nothing and draws at most two values from the generator it is given,
 * so the simulated engine can call it on every charge and stay bit-for-bit reproducible.
 *
 * @param meanNs the mean, in ns (per unit for per-unit costs)
 * @param shape the random part's shape
 * @param randomFraction {@code f}: the share of the mean that is random, 0..1 (ignored by CONSTANT and
 *     EMPIRICAL)
 * @param sigma log-space standard deviation of the LOGNORMAL random part (&gt; 0), else 0
 * @param samples sorted measured samples of an EMPIRICAL cost (ns per unit), else empty
 * @param source where the figure comes from: a publication and its figure, "measured here: ...", or
 *     "estimated: ..." with the reasoning
 */
public record CostDistribution(
    double meanNs, Shape shape, double randomFraction, double sigma, double[] samples, String source) {

  /** The random part's shape; see the class comment. */
  public enum Shape {
    CONSTANT,
    EXPONENTIAL,
    LOGNORMAL,
    EMPIRICAL;

    /** The shape called {@code name} (case-insensitive), or an exception naming the allowed ones. */
    public static Shape named(String name) {
      for (Shape s : values()) {
        if (s.name().equalsIgnoreCase(name.trim())) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown cost shape '" + name + "'; allowed: constant, exponential, lognormal, empirical");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The zero cost: nothing charged. */
  public static final CostDistribution ZERO = constant(0, "zero: not charged by this model");

  public CostDistribution {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(source, "source");
    samples = samples == null ? new double[0] : samples.clone();
    if (shape == Shape.EMPIRICAL) {
      if (samples.length == 0) {
        throw new IllegalArgumentException("an empirical cost needs at least one sample");
      }
      Arrays.sort(samples);
      double sum = 0;
      for (double s : samples) {
        finiteNonNegative("sample", s);
        sum += s;
      }
      meanNs = sum / samples.length;
      randomFraction = 0;
      sigma = 0;
    }
    finiteNonNegative("mean", meanNs);
    if (!(randomFraction >= 0 && randomFraction <= 1)) {
      throw new IllegalArgumentException("random fraction must be in 0..1, got " + randomFraction);
    }
    if (shape == Shape.LOGNORMAL && !(sigma > 0 && sigma < 5)) {
      throw new IllegalArgumentException("a log-normal cost needs sigma in (0, 5), got " + sigma);
    }
    if (shape == Shape.CONSTANT) {
      randomFraction = 0;
      sigma = 0;
    }
  }

  private static void finiteNonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("cost " + what + " must be a finite number >= 0 ns, got " + v);
    }
  }

  public static CostDistribution constant(double meanNs, String source) {
    return new CostDistribution(meanNs, Shape.CONSTANT, 0, 0, null, source);
  }

  public static CostDistribution exponential(double meanNs, double randomFraction, String source) {
    return new CostDistribution(meanNs, Shape.EXPONENTIAL, randomFraction, 0, null, source);
  }

  public static CostDistribution lognormal(double meanNs, double randomFraction, double sigma, String source) {
    return new CostDistribution(meanNs, Shape.LOGNORMAL, randomFraction, sigma, null, source);
  }

  public static CostDistribution empirical(double[] samples, String source) {
    return new CostDistribution(0, Shape.EMPIRICAL, 0, 0, samples, source);
  }

  /** Whether every draw is the mean. */
  public boolean isConstant() {
    return shape == Shape.CONSTANT || (shape != Shape.EMPIRICAL && (randomFraction == 0 || meanNs == 0))
        || (shape == Shape.EMPIRICAL && samples[0] == samples[samples.length - 1]);
  }

  @Override
  public double[] samples() {
    return samples.clone();
  }

  /** Number of measured samples (EMPIRICAL), else 0. */
  public int sampleCount() {
    return samples.length;
  }

  /** One draw, in ns per unit. Allocates nothing. */
  public double sample(RandomGenerator rng) {
    return switch (shape) {
      case CONSTANT -> meanNs;
      case EXPONENTIAL -> meanNs * (1 - randomFraction) + meanNs * randomFraction * rng.nextExponential();
      case LOGNORMAL -> {
        // E[exp(mu + sigma Z)] = exp(mu + sigma^2/2) = f·mean
        double mu = Math.log(meanNs * randomFraction) - sigma * sigma / 2;
        yield meanNs * (1 - randomFraction) + Math.exp(mu + sigma * rng.nextGaussian());
      }
      case EMPIRICAL -> samples[rng.nextInt(samples.length)];
    };
  }

  /** The {@code q}-quantile (0..1) of the distribution, for reports; exact for EMPIRICAL and EXPONENTIAL. */
  public double quantile(double q) {
    return switch (shape) {
      case CONSTANT -> meanNs;
      case EXPONENTIAL -> meanNs * (1 - randomFraction) - meanNs * randomFraction * Math.log(1 - Math.min(q, 0.999999));
      case LOGNORMAL -> {
        double mu = Math.log(meanNs * randomFraction) - sigma * sigma / 2;
        yield meanNs * (1 - randomFraction) + Math.exp(mu + sigma * probit(q));
      }
      case EMPIRICAL -> samples[(int) Math.min(samples.length - 1, Math.floor(q * samples.length))];
    };
  }

  /** Inverse of the standard normal CDF (Acklam's rational approximation, |error| &lt; 1.2e-9). */
  private static double probit(double p) {
    p = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549671010050431e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  /** The same distribution fixed at its mean: what a {@link CostModel#deterministic() deterministic} model charges. */
  public CostDistribution atMean() {
    return new CostDistribution(meanNs, Shape.CONSTANT, 0, 0, null, source);
  }

  /** One line for {@code testbed list --cost-models}: mean, shape, spread. */
  public String describeShape() {
    return switch (shape) {
      case CONSTANT -> "constant";
      case EXPONENTIAL -> String.format(Locale.ROOT, "%.0f%% fixed + exponential tail (sd %.3g ns)",
          100 * (1 - randomFraction), meanNs * randomFraction);
      case LOGNORMAL -> String.format(Locale.ROOT, "%.0f%% fixed + log-normal tail (sigma %.2f, p99 %.4g ns)",
          100 * (1 - randomFraction), sigma, quantile(0.99));
      case EMPIRICAL -> String.format(Locale.ROOT, "empirical, %d samples (p5 %.4g, p50 %.4g, p95 %.4g ns)",
          samples.length, quantile(0.05), quantile(0.5), quantile(0.95));
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CostDistribution d && d.meanNs == meanNs && d.shape == shape
        && d.randomFraction == randomFraction && d.sigma == sigma && Arrays.equals(d.samples, samples)
        && d.source.equals(source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(meanNs, shape, randomFraction, sigma, Arrays.hashCode(samples), source);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.4g ns (%s) [%s]", meanNs, describeShape(), source);
  }
}
