package org.ipctestbed.experiments.claims;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.ipctestbed.experiments.stats.Stats;

/**
 * One hypothesis test across seeded repetitions and the verdict computed from it (issue 15).
 *
 * <p><b>Tests.</b> Each repetition of a simulated experiment runs with its own seed, so the per-repetition
 * values are independent draws; each is an aggregate over thousands of operations, so its sampling
 * distribution is close to normal even with 3 to 10 repetitions. Hence Student-t inference on the
 * repetition values (anchors.md C.3, as {@link Stats}): {@link #welch} compares two designs (Welch's
 * unequal-variance test, Welch-Satterthwaite degrees of freedom: the designs' spreads differ by orders of
 * magnitude); {@link #oneSample} compares one design against a bound the claim names (one-sample t); a
 * claim that a value lies in a published range is a two-one-sided test (TOST). The effect is reported
 * with its 95% interval; p is one-sided, in the claim's direction (for TOST the larger of the two).
 *
 * <p><b>Verdict rule</b> (the same for every claim): <em>supported</em> when the whole 95% interval of the
 * effect lies on the claimed side of the bound (for a range: inside it), which implies a one-sided p
 * below 0.025; <em>not supported</em> when the whole interval lies on the other side (outside the range),
 * so the claimed effect is ruled out; <em>inconclusive</em> when the interval contains the bound, or a
 * side has fewer than two repetitions. The simulated engine makes some counts identical in every
 * repetition (a deterministic mechanism); then the interval is that single value, the statistic is
 * infinite and p is 0 or 1: the verdict is exact.
 *
 * @param test the test's name ({@code Welch t}, {@code one-sample t}, {@code TOST})
 * @param effect the estimate: mean(a) - mean(b), or mean(a)
 * @param ciLow lower end of its 95% interval
 * @param ciHigh upper end
 * @param statistic t statistic against the (nearer) bound
 * @param df degrees of freedom ({@code NaN} when exact)
 * @param p one-sided p-value in the claim's direction
 * @param nA repetitions on side a
 * @param nB repetitions on side b (0 for one-sample tests)
 * @param direction which side of the bound the claim puts the effect on
 * @param bound the bound (the range's lower end for {@link Direction#WITHIN})
 * @param upper the range's upper end ({@code NaN} otherwise)
 * @param verdict the verdict by the rule above
 */
public record Evidence(
    String test, double effect, double ciLow, double ciHigh, double statistic, double df, double p, int nA, int nB,
    Direction direction, double bound, double upper, Verdict verdict) {

  /** Where the claim puts the effect. */
  public enum Direction {
    /** effect &gt; bound */
    GREATER(">"),
    /** effect &lt; bound */
    LESS("<"),
    /** bound &le; effect &le; upper */
    WITHIN("in");

    private final String symbol;

    Direction(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** The hypothesis as an inequality on the effect, for reports ({@code effect > 0.5}). */
  public String inequality() {
    return direction == Direction.WITHIN
        ? "effect in [" + num(bound) + ", " + num(upper) + "]"
        : "effect " + direction.symbol() + " " + num(bound);
  }

  /** Welch's two-sample test of {@code mean(a) - mean(b)} against {@code bound} in {@code direction}. */
  public static Evidence welch(double[] a, double[] b, Direction direction, double bound) {
    if (direction == Direction.WITHIN) {
      throw new IllegalArgumentException("a two-sample range test is not used by any claim");
    }
    a = finite(a);
    b = finite(b);
    if (a.length < 2 || b.length < 2) {
      return inconclusive("Welch t", mean(a) - mean(b), a.length, b.length, direction, bound, Double.NaN);
    }
    double va = variance(a) / a.length;
    double vb = variance(b) / b.length;
    double effect = mean(a) - mean(b);
    double se = Math.sqrt(va + vb);
    double df = se == 0 ? Double.NaN : (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
    return decide("Welch t", effect, se, df, a.length, b.length, direction, bound, Double.NaN);
  }

  /** The one-sample t-test of {@code mean(a)} against {@code bound} (a range for {@link Direction#WITHIN}). */
  public static Evidence oneSample(double[] a, Direction direction, double bound, double upper) {
    a = finite(a);
    String name = direction == Direction.WITHIN ? "TOST (one-sample t)" : "one-sample t";
    if (a.length < 2) {
      return inconclusive(name, mean(a), a.length, 0, direction, bound, upper);
    }
    double se = Math.sqrt(variance(a) / a.length);
    return decide(name, mean(a), se, se == 0 ? Double.NaN : a.length - 1, a.length, 0, direction, bound, upper);
  }

  /** {@link #oneSample(double[], Direction, double, double)} with a single bound. */
  public static Evidence oneSample(double[] a, Direction direction, double bound) {
    return oneSample(a, direction, bound, Double.NaN);
  }

  private static Evidence decide(String name, double effect, double se, double df, int nA, int nB, Direction direction,
      double bound, double upper) {
    double lo;
    double hi;
    double t;
    double p;
    if (se == 0) {
      lo = effect;
      hi = effect;
      double toward = direction == Direction.WITHIN ? nearest(effect, bound, upper) : bound;
      t = effect == toward ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, effect - toward);
      p = switch (direction) {
        case GREATER -> effect > bound ? 0 : effect < bound ? 1 : Double.NaN;
        case LESS -> effect < bound ? 0 : effect > bound ? 1 : Double.NaN;
        case WITHIN -> effect > bound && effect < upper ? 0 : effect < bound || effect > upper ? 1 : Double.NaN;
      };
    } else {
      TDistribution dist = new TDistribution(null, df);
      double h = dist.inverseCumulativeProbability(1 - (1 - Stats.LEVEL) / 2) * se;
      lo = effect - h;
      hi = effect + h;
      switch (direction) {
        case GREATER -> {
          t = (effect - bound) / se;
          p = 1 - dist.cumulativeProbability(t);
        }
        case LESS -> {
          t = (effect - bound) / se;
          p = dist.cumulativeProbability(t);
        }
        default -> {
          double tLow = (effect - bound) / se;
          double tHigh = (effect - upper) / se;
          t = Math.abs(tLow) < Math.abs(tHigh) ? tLow : tHigh;
          p = Math.max(1 - dist.cumulativeProbability(tLow), dist.cumulativeProbability(tHigh));
        }
      }
    }
    Verdict v = switch (direction) {
      case GREATER -> lo > bound ? Verdict.SUPPORTED : hi < bound ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
      case LESS -> hi < bound ? Verdict.SUPPORTED : lo > bound ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
      case WITHIN -> lo >= bound && hi <= upper ? Verdict.SUPPORTED
          : hi < bound || lo > upper ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
    };
    return new Evidence(name, effect, lo, hi, t, df, p, nA, nB, direction, bound, upper, v);
  }

  private static double nearest(double x, double lo, double hi) {
    return Math.abs(x - lo) <= Math.abs(x - hi) ? lo : hi;
  }

  private static Evidence inconclusive(String name, double effect, int nA, int nB, Direction d, double bound, double upper) {
    return new Evidence(name, effect, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nA, nB, d, bound, upper,
        Verdict.INCONCLUSIVE);
  }

  private static double[] finite(double[] xs) {
    return Arrays.stream(xs).filter(Double::isFinite).toArray();
  }

  private static double mean(double[] xs) {
    return xs.length == 0 ? Double.NaN : new DescriptiveStatistics(xs).getMean();
  }

  private static double variance(double[] xs) {
    return new DescriptiveStatistics(xs).getVariance();
  }

  /** A number for reports: 4 significant digits, {@code n/a} for NaN. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e7) {
      return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.3e", v);
  }

  /** A p-value for reports. */
  public static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
  }
}
