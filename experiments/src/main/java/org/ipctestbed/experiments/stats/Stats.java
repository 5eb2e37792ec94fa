package org.ipctestbed.experiments.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The statistics the harness reports (issue 6, "Statistics"; research/anchors.md C.3): a 95 %
 * Student-t interval across repetitions (applied to the repetition medians for latency, as sel4bench
 * settled on: within-run spread is the wrong significance signal, anchors.md A.3), and two tests
 * between mechanisms, Welch's t-test and the Mann-Whitney U test, with their p-values.
 *
 * <p>Degenerate inputs give {@code NaN} rather than an exception: an interval needs two values, a test
 * needs two values per side, and Welch's test is undefined when both sides have zero variance (the
 * Mann-Whitney test still answers then). Reports print {@code NaN} as "n/a".
 */
public final class Stats {
  private Stats() {}

  /** The confidence level of every interval the harness reports. */
  public static final double LEVEL = 0.95;

  /** Significance threshold used for the verdicts in reports and {@code compare}. */
  public static final double ALPHA = 0.05;

  /**
   * Summary of one sample: n, mean, standard deviation, median, min, max and the 95 % t-interval;
   * {@code lowClamped} when the interval of a quantity that cannot be negative reached below zero and
   * was cut at zero (see {@link #summarizeNonNegative}).
   */
  public record Summary(
      int n, double mean, double sd, double median, double min, double max, double ciLow, double ciHigh, boolean lowClamped) {
    /** Half-width of the interval ({@code NaN} when there is none). */
    public double ciHalfWidth() {
      return (ciHigh - ciLow) / 2;
    }
  }

  /** Summarises {@code xs} (any order). */
  public static Summary summarize(double[] xs) {
    if (xs.length == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
    }
    DescriptiveStatistics d = new DescriptiveStatistics(xs);
    double[] ci = tInterval(xs, LEVEL);
    double sd = xs.length < 2 ? Double.NaN : d.getStandardDeviation();
    return new Summary(xs.length, d.getMean(), sd, median(xs), d.getMin(), d.getMax(), ci[0], ci[1], false);
  }

  /**
   * {@link #summarize} for a quantity that cannot be negative (a latency, a throughput, a CPU time, a
   * count): when the Student-t interval reaches below zero (few repetitions with a large spread, as
   * with 3 real-engine repetitions) its lower end is cut at zero and the summary says so ({@link
   * Summary#lowClamped()}). Cutting an interval to the values the quantity can take keeps its
   * coverage (the true mean is never below zero), so the result is still a 95 % interval; the flag
   * tells the reader that the repetitions were too few or too spread for a symmetric one.
   */
  public static Summary summarizeNonNegative(double[] xs) {
    Summary s = summarize(xs);
    if (!(s.ciLow() < 0)) {
      return s;
    }
    return new Summary(s.n(), s.mean(), s.sd(), s.median(), s.min(), s.max(), 0.0, s.ciHigh(), true);
  }

  /** The median: the middle value, or the mean of the two middle values. */
  public static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /**
   * The Student-t interval for the mean of {@code xs}: {@code mean ± t(n-1, 1-(1-level)/2) · s/√n}.
   *
   * @return {@code {low, high}}; {@code {NaN, NaN}} for fewer than two values
   */
  public static double[] tInterval(double[] xs, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }
    int n = xs.length;
    if (n < 2) {
      return new double[] {Double.NaN, Double.NaN};
    }
    DescriptiveStatistics d = new DescriptiveStatistics(xs);
    double mean = d.getMean();
    double sd = d.getStandardDeviation();
    double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
    double h = t * sd / Math.sqrt(n);
    return new double[] {mean - h, mean + h};
  }

  /** Welch's unequal-variance t statistic and two-sided p-value. */
  public record TestResult(double statistic, double p) {
    /** Whether {@code p < ALPHA}. */
    public boolean significant() {
      return p < ALPHA;
    }
  }

  /**
   * Welch's two-sample t-test ({@code TTest.tTest} in Commons Math is Welch's, anchors.md C.3).
   *
   * @return statistic and p; {@code NaN}s when a side has fewer than two values or both sides have
   *     zero variance
   */
  public static TestResult welch(double[] a, double[] b) {
    if (a.length < 2 || b.length < 2) {
      return new TestResult(Double.NaN, Double.NaN);
    }
    double va = new DescriptiveStatistics(a).getVariance();
    double vb = new DescriptiveStatistics(b).getVariance();
    if (va == 0 && vb == 0) {
      return new TestResult(Double.NaN, Double.NaN);
    }
    TTest t = new TTest();
    return new TestResult(t.t(a, b), t.tTest(a, b));
  }

  /**
   * The two-sided Mann-Whitney U test (normal approximation, as in Commons Math 3.6.1).
   *
   * @return U (of the smaller side) and p; {@code NaN}s when a side is empty
   */
  public static TestResult mannWhitney(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0) {
      return new TestResult(Double.NaN, Double.NaN);
    }
    MannWhitneyUTest m = new MannWhitneyUTest();
    double u = m.mannWhitneyU(a, b); // Commons Math reports the larger of U_a and U_b
    return new TestResult(Math.min(u, (double) a.length * b.length - u), m.mannWhitneyUTest(a, b));
  }
}
