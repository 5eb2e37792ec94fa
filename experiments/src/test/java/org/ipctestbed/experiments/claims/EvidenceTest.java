package org.ipctestbed.experiments.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ipctestbed.experiments.claims.Evidence.Direction;
import org.junit.jupiter.api.Test;

/** The verdict rule of {@link Evidence} on synthetic samples whose truth is known. */
class EvidenceTest {
  private static double[] normal(long seed, int n, double mean, double sd) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      // Box-Muller: a normal draw from two uniforms
      xs[i] = mean + sd * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
    return xs;
  }

  @Test
  void aClearlyTrueDifferenceIsSupported() {
    Evidence e = Evidence.welch(normal(1, 10, 10, 1), normal(2, 10, 5, 1), Direction.GREATER, 0);
    assertEquals(Verdict.SUPPORTED, e.verdict());
    assertTrue(e.ciLow() > 0 && e.p() < 0.025, e.toString());
    assertEquals(5, e.effect(), 1.5);
  }

  @Test
  void aClearlyFalseDifferenceIsNotSupported() {
    Evidence e = Evidence.welch(normal(3, 10, 5, 1), normal(4, 10, 10, 1), Direction.GREATER, 0);
    assertEquals(Verdict.NOT_SUPPORTED, e.verdict());
    assertTrue(e.ciHigh() < 0 && e.p() > 0.975, e.toString());
  }

  @Test
  void aNoisySmallDifferenceIsInconclusive() {
    Evidence e = Evidence.welch(normal(5, 5, 10.2, 3), normal(6, 5, 10, 3), Direction.GREATER, 0);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.toString());
    assertTrue(e.ciLow() < 0 && e.ciHigh() > 0);
  }

  @Test
  void aMarginMustBeCleared() {
    double[] a = normal(7, 10, 0.8, 0.01);
    assertEquals(Verdict.SUPPORTED, Evidence.oneSample(a, Direction.GREATER, 0.5).verdict());
    assertEquals(Verdict.NOT_SUPPORTED, Evidence.oneSample(a, Direction.GREATER, 0.9).verdict());
    assertEquals(Verdict.SUPPORTED, Evidence.oneSample(a, Direction.LESS, 0.9).verdict());
  }

  @Test
  void aRangeIsTestedWithTwoOneSidedTests() {
    assertEquals(Verdict.SUPPORTED, Evidence.oneSample(normal(8, 10, 0.25, 0.01), Direction.WITHIN, 0.18, 0.31).verdict());
    assertEquals(Verdict.NOT_SUPPORTED, Evidence.oneSample(normal(9, 10, 0.6, 0.01), Direction.WITHIN, 0.18, 0.31).verdict());
    Evidence edge = Evidence.oneSample(normal(10, 5, 0.31, 0.05), Direction.WITHIN, 0.18, 0.31);
    assertEquals(Verdict.INCONCLUSIVE, edge.verdict(), edge.toString());
  }

  @Test
  void identicalRepetitionsGiveAnExactVerdict() {
    Evidence e = Evidence.oneSample(new double[] {2, 2, 2}, Direction.WITHIN, 1.5, 2.5);
    assertEquals(Verdict.SUPPORTED, e.verdict());
    assertEquals(0, e.p());
    assertEquals(2, e.ciLow());
    Evidence w = Evidence.welch(new double[] {1, 1}, new double[] {3, 3}, Direction.GREATER, 0);
    assertEquals(Verdict.NOT_SUPPORTED, w.verdict());
    assertEquals(1, w.p());
  }

  @Test
  void fewerThanTwoRepetitionsAreInconclusive() {
    assertEquals(Verdict.INCONCLUSIVE, Evidence.welch(new double[] {9}, new double[] {1, 2}, Direction.GREATER, 0).verdict());
    assertEquals(Verdict.INCONCLUSIVE, Evidence.oneSample(new double[] {}, Direction.LESS, 1).verdict());
  }

  @Test
  void aClaimIsSupportedOnlyWhenEveryDecidingHypothesisIs() {
    assertEquals(Verdict.SUPPORTED, Verdict.combine(List.of(Verdict.SUPPORTED, Verdict.SUPPORTED)));
    assertEquals(Verdict.INCONCLUSIVE, Verdict.combine(List.of(Verdict.SUPPORTED, Verdict.INCONCLUSIVE)));
    assertEquals(Verdict.NOT_SUPPORTED, Verdict.combine(List.of(Verdict.INCONCLUSIVE, Verdict.NOT_SUPPORTED)));
    assertEquals(Verdict.NOT_RUN, Verdict.combine(List.of(Verdict.NOT_SUPPORTED, Verdict.NOT_RUN)));
  }
}
