package org.ipctestbed.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The statistics against values computed independently (SciPy 1.17: scipy.stats.t.interval, ttest_ind, mannwhitneyu). */
class StatsTest {
  static final double[] X = {10.1, 11.3, 9.8, 10.7, 10.4, 10.9};
  static final double[] Y = {11.6, 12.1, 11.0, 12.5, 11.9};

  @Test
  void theTIntervalOfOneToFiveMatchesSciPy() {
    double[] ci = Stats.tInterval(new double[] {1, 2, 3, 4, 5}, 0.95);
    assertEquals(1.0367568385224428, ci[0], 1e-9);
    assertEquals(4.963243161477557, ci[1], 1e-9);
  }

  @Test
  void summarizeReportsTheIntervalAroundTheMean() {
    Stats.Summary s = Stats.summarize(new double[] {5, 1, 4, 2, 3});
    assertEquals(5, s.n());
    assertEquals(3.0, s.mean(), 1e-12);
    assertEquals(3.0, s.median(), 1e-12);
    assertEquals(Math.sqrt(2.5), s.sd(), 1e-12);
    assertEquals(1.963243161477557, s.ciHalfWidth(), 1e-9);
  }

  @Test
  void welchsTestMatchesSciPyWithUnequalVariances() {
    Stats.TestResult r = Stats.welch(X, Y);
    assertEquals(-3.8245951393029594, r.statistic(), 1e-9);
    assertEquals(0.004479061595911762, r.p(), 1e-9);
    assertTrue(r.significant());
  }

  @Test
  void mannWhitneyMatchesSciPysAsymptoticTestWithoutContinuityCorrection() {
    Stats.TestResult r = Stats.mannWhitney(X, Y);
    assertEquals(1.0, r.statistic(), 1e-12);
    assertEquals(0.010587137334056945, r.p(), 1e-9);
  }

  @Test
  void oneValueHasNoInterval() {
    Stats.Summary s = Stats.summarize(new double[] {7});
    assertEquals(7, s.mean());
    assertTrue(Double.isNaN(s.ciLow()) && Double.isNaN(s.ciHigh()));
  }

  @Test
  void welchIsUndefinedWhenBothSidesHaveNoVariance() {
    assertTrue(Double.isNaN(Stats.welch(new double[] {1, 1, 1}, new double[] {2, 2, 2}).p()));
    assertTrue(Double.isNaN(Stats.welch(new double[] {1}, new double[] {2, 3}).p()));
  }

  @Test
  void medianOfAnEvenSampleIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}), 0);
  }

  @Test
  void histogramPercentilesOfOneToOneThousandAreExact() {
    Histogram h = new Histogram(3_600_000_000_000L, 3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i);
    }
    assertEquals(500, LatencyStats.of(h, "p50"));
    assertEquals(900, LatencyStats.of(h, "p90"));
    assertEquals(990, LatencyStats.of(h, "p99"));
    assertEquals(999, LatencyStats.of(h, "p99.9"));
    assertEquals(1000, LatencyStats.of(h, "max"));
    assertEquals(500.5, LatencyStats.of(h, "mean"), 1e-9);
    assertEquals(1000, LatencyStats.of(h, "count"));
  }
}
