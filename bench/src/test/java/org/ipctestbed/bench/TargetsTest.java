package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ratios against the right baseline, and each target of issue 7 judged as met, missed or absent. */
class TargetsTest {
  static BenchCase mech(String mechanism, String kind, int payload) {
    return new BenchCase(mechanism + "." + kind + "." + payload, "mechanism", mechanism, kind, payload,
        kind.endsWith("cross") ? 2 : 1, "MechanismBench.operation", Map.of());
  }

  static BenchCase baseline(String name) {
    return new BenchCase("baseline." + name, "baseline", "-", name, 0, 0, "BaselineBench.x", Map.of());
  }

  static BenchCase sim(String mechanism, int cpus) {
    return new BenchCase("sim." + mechanism + "." + cpus, "sim", mechanism, "sim-speed", 0, cpus, "SimSpeedBench.simulate", Map.of());
  }

  /** Wall milliseconds per simulated CPU in the sample: 4 million round trips per second. */
  static final double SIM_MS_PER_CPU = SimSpeedBench.ROUND_TRIPS_PER_CPU / 4e6 * 1e3;

  static List<Measurement> sample() {
    return List.of(
        Measurement.ok(baseline("coroutine"), 100, 1, "ns/op", 0, 0),
        Measurement.ok(baseline("spsc"), 200, 1, "ns/op", 0, 0),
        Measurement.ok(mech("ppc", "call-same", 0), 20, 1, "ns/op", 0.001, 0.001),
        Measurement.ok(mech("lwkt", "call-same", 0), 300, 1, "ns/op", 0.9, 0),
        Measurement.ok(mech("ppc", "call-cross", 0), 500, 1, "ns/op", 24, 24),
        Measurement.notRun(mech("ppc", "send-same", 64), Measurement.SKIPPED, "EMSGSIZE"),
        Measurement.ok(sim("substrate", 1), SIM_MS_PER_CPU, 0, "ms/op", Double.NaN, Double.NaN),
        Measurement.ok(sim("substrate", 16), 16 * SIM_MS_PER_CPU, 0, "ms/op", Double.NaN, Double.NaN),
        Measurement.ok(sim("substrate", 256), 256 * SIM_MS_PER_CPU, 0, "ms/op", Double.NaN, Double.NaN));
  }

  static Targets.Check check(Targets.Evaluation e, String target, String caseId) {
    return e.checks().stream()
        .filter(c -> c.target().startsWith(target) && c.caseId().equals(caseId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + target + " for " + caseId + " in " + e.checks()));
  }

  @Test
  void sameCpuCasesAreComparedWithTheContinuationRoundTripAndCrossCpuWithSpsc() {
    Targets.Evaluation e = Targets.evaluate(sample());
    Targets.Ratio same = e.ratios().get(0);
    assertEquals("ppc.call-same.0", same.caseId());
    assertEquals(Targets.COROUTINE, same.baselineId());
    assertEquals(0.2, same.ratio(), 1e-12);
    Targets.Ratio cross = e.ratios().get(2);
    assertEquals(Targets.SPSC, cross.baselineId());
    assertEquals(2.5, cross.ratio(), 1e-12);
  }

  @Test
  void eachRatioTargetIsMetMissedOrNotMeasured() {
    Targets.Evaluation e = Targets.evaluate(sample());
    assertEquals("met", check(e, "PPC same-CPU", "ppc.call-same.0").verdict());
    assertEquals("MISSED", check(e, "LWKT same-CPU", "lwkt.call-same.0").verdict());
    assertEquals("met", check(e, "PPC cross-CPU", "ppc.call-cross.0").verdict());
    assertNull(check(e, "LWKT cross-CPU", "lwkt.call-cross.0").met());
  }

  @Test
  void aRatioToABaselineWhoseErrorExceedsItsScoreIsNotJudged() {
    List<Measurement> noisy = new java.util.ArrayList<>(sample());
    noisy.set(1, Measurement.ok(baseline("spsc"), 200, 5000, "ns/op", 0, 0));
    Targets.Check c = check(Targets.evaluate(noisy), "PPC cross-CPU", "ppc.call-cross.0");
    assertNull(c.met());
    assertEquals("not judged: baseline.spsc unreliable", c.verdict());
  }

  @Test
  void anyAllocationThatDoesNotRoundToZeroMissesTheZeroBytesTarget() {
    Targets.Evaluation e = Targets.evaluate(sample());
    assertEquals("met", check(e, "0 B/op", "ppc.call-same.0").verdict());
    assertEquals("MISSED", check(e, "0 B/op", "ppc.call-cross.0").verdict());
  }

  @Test
  void theZeroBytesTargetJudgesTheCarriersNotTheHarness() {
    Targets.Evaluation e = Targets.evaluate(sample());
    assertEquals("met", check(e, "0 B/op", "lwkt.call-same.0").verdict(), "0.9 B/op of JMH's own, 0 on the carriers");
  }

  @Test
  void simulatorSpeedIsRoundTripsOverWallTime() {
    Targets.Evaluation e = Targets.evaluate(sample());
    Targets.SimSpeed one = e.simSpeeds().get(0);
    assertEquals(4e6, one.roundTripsPerSecond(), 1e-3);
    assertEquals("MISSED", check(e, ">= 5M", "sim.substrate.1").verdict(), "4M/s at 1 CPU misses issue 17's 5M");
    assertEquals("met", check(e, ">= 2M", "sim.substrate.256").verdict());
  }

  @Test
  void theChecksOfAPreviousRunAreFoundByCaseAndUnit() {
    Targets.Evaluation e = Targets.evaluate(sample());
    Map<String, Object> old =
        Map.of("targets", List.of(
            Map.of("target", "LWKT same-CPU domsg <= 2.5x continuation round trip", "case", "lwkt.call-same.0",
                "measured", 5.2, "unit", "x"),
            Map.of("target", ">= 2M simulated round trips/s", "case", "sim.substrate.1", "measured", 1.5e6,
                "unit", "RT/s")));
    Map<String, Double> before = Targets.previous(old);
    assertEquals(5.2, before.get(Targets.previousKey(check(e, "LWKT same-CPU", "lwkt.call-same.0"))));
    assertEquals(1.5e6, before.get(Targets.previousKey(check(e, ">= 5M", "sim.substrate.1"))));
    assertNull(before.get(Targets.previousKey(check(e, "PPC same-CPU", "ppc.call-same.0"))));
  }

  @Test
  void anUnreadablePreviousRunGivesNoFigures() {
    assertEquals(Map.of(), Targets.previous("not a map"));
    assertEquals(Map.of(), Targets.previous(Map.of("targets", "not a list")));
  }

  @Test
  void variabilityIsJudgedByThePairedRatioAndKeptOutOfTheScalingFit() {
    List<Measurement> ms = new java.util.ArrayList<>(sample());
    // A paired invocation runs both machines: 16 CPUs at 4 M/s deterministic and 1.1x that variable.
    ms.add(Measurement.paired(BenchSuite.simCase("substrate", 16, true), 16 * SIM_MS_PER_CPU * 2.1, 0, "ms/op", Double.NaN, 1.1));
    ms.add(Measurement.paired(BenchSuite.simCase("substrate", 256, true), 256 * SIM_MS_PER_CPU * 2.5, 0, "ms/op", Double.NaN, 1.5));
    ms.add(Measurement.notRun(BenchSuite.simCase("lwkt", 16, true), Measurement.FAILED, "boom"));
    Targets.Evaluation e = Targets.evaluate(ms);
    Targets.Check ten = check(e, "variability", "sim-variable.substrate.16");
    assertEquals(1.1, ten.measured(), 1e-9);
    assertEquals("met", ten.verdict());
    assertEquals("MISSED", check(e, "variability", "sim-variable.substrate.256").verdict());
    assertEquals(1.0, check(e, "sim wall time", "sim.substrate").measured(), 1e-9, "the variable runs stay out of the fit");
    assertEquals(List.of(false, false, false, true, true),
        e.simSpeeds().stream().map(Targets.SimSpeed::variable).toList());
    Targets.SimSpeed variable16 = e.simSpeeds().get(3);
    assertEquals(16 * SIM_MS_PER_CPU * 1.1, variable16.wallMs(), 1e-9, "the variable machine's share of the pair");
    assertEquals(4e6 / 1.1, variable16.roundTripsPerSecond(), 1e-3);
  }

  @Test
  void wallTimeLinearInCpusHasExponentOneAndQuadraticMisses() {
    assertEquals(1.0, check(Targets.evaluate(sample()), "sim wall time", "sim.substrate").measured(), 1e-9);
    List<Measurement> quadratic =
        List.of(
            Measurement.ok(sim("x", 1), 1, 0, "ms/op", Double.NaN, Double.NaN),
            Measurement.ok(sim("x", 16), 256, 0, "ms/op", Double.NaN, Double.NaN));
    Targets.Check c = check(Targets.evaluate(quadratic), "sim wall time", "sim.x");
    assertEquals(2.0, c.measured(), 1e-9);
    assertEquals("MISSED", c.verdict());
  }
}
