package org.ipctestbed.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns measurements into what issue 7 asks for: each mechanism and substrate benchmark as a ratio to
 * its baseline measured in the same run, simulator speed in round trips per wall-clock second, and
 * every target of the issue checked as met or missed.
 *
 * <p>Baselines: same-CPU operations (calls, sends, hand-offs, upcalls) are compared with one
 * continuation round trip ({@code baseline.coroutine}); cross-CPU ones with the JCTools SPSC
 * ping-pong ({@code baseline.spsc}). Targets (issue 7, "Targets"):
 *
 * <ul>
 *   <li>PPC same-CPU null call at most 0.25x a continuation round trip;
 *   <li>LWKT same-CPU {@code domsg} (the SPI call) at most 2.5x a continuation round trip;
 *   <li>PPC and LWKT cross-CPU null calls at most 3x the SPSC ping-pong;
 *   <li>0 bytes allocated per operation on every mechanism and substrate benchmark: met when the
 *       machine's carrier threads allocated below {@value #ZERO_ALLOC_BYTES} B/op, i.e. a value that
 *       rounds to 0 ({@link CarrierAllocation}; JMH's {@code gc.alloc.rate.norm}, which also counts
 *       the harness's per-iteration allocation, is reported beside it and used only when the
 *       carrier figure is missing);
 *   <li>the simulated engine (issue 17, which raised issue 7's 2 M) at least {@value
 *       #SIM_MIN_ROUND_TRIPS_PER_S_ONE_CPU} round trips per second through each mechanism at 1 CPU
 *       and {@value #SIM_MIN_ROUND_TRIPS_PER_S} at more CPUs, and wall time growing no faster than
 *       linearly with simulated CPUs: the exponent b of a least-squares fit {@code wall ~ cpus^b}
 *       (same work per CPU) at most {@value #SIM_MAX_EXPONENT};
 *   <li>the simulated engine with variability on (every cost drawn from its distribution, issue 12)
 *       at most {@value #SIM_MAX_VARIABILITY_SLOWDOWN} times the wall time of the same machine with
 *       every cost at its mean, the two run in turn in the same JVM ({@link SimVariabilityBench}).
 * </ul>
 *
 * <p>{@link #previous} reads the same checks from an earlier run's {@code bench.json} (the committed
 * reference run), so that the report can print each figure beside the one it replaces.
 */
public final class Targets {
  public static final String COROUTINE = "baseline.coroutine";
  public static final String SPSC = "baseline.spsc";
  public static final double ZERO_ALLOC_BYTES = 0.5;
  public static final double SIM_MIN_ROUND_TRIPS_PER_S = 2_000_000;
  public static final double SIM_MIN_ROUND_TRIPS_PER_S_ONE_CPU = 5_000_000;
  public static final double SIM_MAX_EXPONENT = 1.05;
  /** Issue 12: wall time with variability on at most this multiple of the deterministic run's. */
  public static final double SIM_MAX_VARIABILITY_SLOWDOWN = 1.20;

  private Targets() {}

  /** A benchmark as a multiple of its baseline. */
  public record Ratio(
      String caseId, String baselineId, double nsPerOp, double baselineNsPerOp, double ratio, double allocBytesPerOp,
      double carrierBytesPerOp, boolean baselineReliable) {
    /** The allocation the zero-bytes target judges: the carriers', else JMH's. */
    public double hotPathBytesPerOp() {
      return Double.isNaN(carrierBytesPerOp) ? allocBytesPerOp : carrierBytesPerOp;
    }
  }

  /**
   * Simulator speed at one CPU count.
   *
   * @param variable whether every cost was drawn from its distribution (issue 12) rather than fixed
   *     at its mean
   */
  public record SimSpeed(String mechanism, int cpus, boolean variable, double wallMs, double roundTripsPerSecond) {
    /** The kind of the bench case this speed comes from. */
    public String kind() {
      return variable ? BenchSuite.SIM_SPEED_VARIABLE : BenchSuite.SIM_SPEED;
    }
  }

  /**
   * One target of the issue.
   *
   * @param target what is required, in words
   * @param caseId the benchmark it applies to
   * @param measured the measured value ({@code NaN} when it was not measured)
   * @param unit of {@code measured} and {@code limit}
   * @param limit the bound
   * @param atMost whether {@code measured} must be at most (else at least) {@code limit}
   * @param met {@code null} when not measured or not judged
   * @param unjudged why a measured value is not judged (an unreliable baseline), or {@code null}
   */
  public record Check(
      String target, String caseId, double measured, String unit, double limit, boolean atMost, Boolean met, String unjudged) {
    static Check of(String target, String caseId, double measured, String unit, double limit, boolean atMost) {
      Boolean met = Double.isNaN(measured) ? null : atMost ? measured <= limit : measured >= limit;
      return new Check(target, caseId, measured, unit, limit, atMost, met, null);
    }

    /** {@code met}, {@code MISSED}, {@code not measured}, or why the value is not judged. */
    public String verdict() {
      return unjudged != null ? unjudged : met == null ? "not measured" : met ? "met" : "MISSED";
    }
  }

  /**
   * A baseline is unreliable when JMH's 99.9 % error exceeds its score: its iterations disagree by
   * more than the value itself (on a busy 2-core host, a spinning ping-pong whose threads are
   * descheduled in turn), so no ratio to it is judged.
   */
  static boolean unreliable(Measurement baseline) {
    return baseline == null || !baseline.isOk() || (Double.isFinite(baseline.error()) && baseline.error() > baseline.score());
  }

  /** Ratios, simulator speeds and checks of one run. */
  public record Evaluation(List<Ratio> ratios, List<SimSpeed> simSpeeds, List<Check> checks) {}

  /** The baseline a case is compared with, or {@code null} for baselines and simulator cases. */
  public static String baselineOf(BenchCase c) {
    if (!c.group().equals("substrate") && !c.group().equals("mechanism")) {
      return null;
    }
    return c.kind().endsWith("cross") ? SPSC : COROUTINE;
  }

  public static Evaluation evaluate(List<Measurement> measurements) {
    Map<String, Measurement> byId = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      byId.put(m.benchCase().id(), m);
    }
    List<Ratio> ratios = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    for (Measurement m : measurements) {
      String base = baselineOf(m.benchCase());
      if (base == null || !m.isOk()) {
        continue;
      }
      Measurement b = byId.get(base);
      double baseNs = b != null && b.isOk() ? b.nsPerOp() : Double.NaN;
      ratios.add(new Ratio(m.benchCase().id(), base, m.nsPerOp(), baseNs, m.nsPerOp() / baseNs, m.allocBytesPerOp(),
          m.carrierBytesPerOp(), !unreliable(b)));
    }
    ratioTarget(checks, ratios, byId, "ppc.call-same.0", "PPC same-CPU null call <= 0.25x continuation round trip", 0.25);
    ratioTarget(checks, ratios, byId, "lwkt.call-same.0", "LWKT same-CPU domsg <= 2.5x continuation round trip", 2.5);
    ratioTarget(checks, ratios, byId, "ppc.call-cross.0", "PPC cross-CPU call <= 3x SPSC ping-pong", 3.0);
    ratioTarget(checks, ratios, byId, "lwkt.call-cross.0", "LWKT cross-CPU domsg <= 3x SPSC ping-pong", 3.0);
    for (Ratio r : ratios) {
      checks.add(Check.of("0 B/op on the hot path", r.caseId(), r.hotPathBytesPerOp(), "B/op", ZERO_ALLOC_BYTES, true));
    }
    List<SimSpeed> sims = new ArrayList<>();
    Map<String, List<SimSpeed>> simByMechanism = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      BenchCase c = m.benchCase();
      if (!c.group().equals("sim") || !m.isOk()) {
        continue;
      }
      boolean variable = c.kind().equals(BenchSuite.SIM_SPEED_VARIABLE);
      double wallMs = m.nsPerOp() / 1e6;
      if (variable) {
        // A paired invocation ran the deterministic and the variable machine: the variable one's
        // share of its time is r / (1 + r), r being the variable over the deterministic wall time.
        double r = m.pairedRatio();
        wallMs = wallMs * r / (1 + r);
      }
      double perSecond = (double) c.cpus() * SimSpeedBench.ROUND_TRIPS_PER_CPU / (wallMs / 1e3);
      SimSpeed s = new SimSpeed(c.mechanism(), c.cpus(), variable, wallMs, perSecond);
      sims.add(s);
      if (variable) {
        checks.add(Check.of("variability slows the simulator by <= 20% (paired wall time ratio)", c.id(), m.pairedRatio(),
            "x", SIM_MAX_VARIABILITY_SLOWDOWN, true));
        continue;
      }
      simByMechanism.computeIfAbsent(c.mechanism(), k -> new ArrayList<>()).add(s);
      if (c.cpus() == 1) {
        checks.add(Check.of(">= 5M simulated round trips/s at 1 CPU", c.id(), perSecond, "RT/s",
            SIM_MIN_ROUND_TRIPS_PER_S_ONE_CPU, false));
      } else {
        checks.add(Check.of(">= 2M simulated round trips/s", c.id(), perSecond, "RT/s", SIM_MIN_ROUND_TRIPS_PER_S, false));
      }
    }
    for (Map.Entry<String, List<SimSpeed>> e : simByMechanism.entrySet()) {
      checks.add(
          Check.of(
              "sim wall time no faster than linear in CPUs (exponent)",
              "sim." + e.getKey(),
              scalingExponent(e.getValue()),
              "b",
              SIM_MAX_EXPONENT,
              true));
    }
    return new Evaluation(ratios, sims, checks);
  }

  /**
   * The measured value of each check of an earlier run, keyed by {@link #previousKey}: the {@code
   * targets} of its {@code bench.json} (parsed JSON: a map with a list of maps). Checks whose value
   * was not measured are left out; anything unreadable gives an empty map.
   */
  public static Map<String, Double> previous(Object benchJson) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!(benchJson instanceof Map<?, ?> root) || !(root.get("targets") instanceof List<?> targets)) {
      return out;
    }
    for (Object t : targets) {
      if (t instanceof Map<?, ?> m && m.get("case") instanceof String caseId && m.get("unit") instanceof String unit
          && m.get("measured") instanceof Number measured) {
        out.put(caseId + " " + unit, measured.doubleValue());
      }
    }
    return out;
  }

  /** What a check of this run and one of an earlier run share: the case and the unit. */
  public static String previousKey(Check c) {
    return c.caseId() + " " + c.unit();
  }

  private static void ratioTarget(
      List<Check> checks, List<Ratio> ratios, Map<String, Measurement> byId, String caseId, String target, double limit) {
    for (Ratio r : ratios) {
      if (r.caseId().equals(caseId)) {
        Check c = Check.of(target, caseId, r.ratio(), "x", limit, true);
        if (!r.baselineReliable()) {
          c = new Check(target, caseId, r.ratio(), "x", limit, true, null, "not judged: " + r.baselineId() + " unreliable");
        }
        checks.add(c);
        return;
      }
    }
    checks.add(Check.of(target, caseId, Double.NaN, "x", limit, true));
  }

  /**
   * The least-squares slope of ln(wall) against ln(cpus): 1 means wall time linear in CPUs for the
   * same work per CPU. {@code NaN} with fewer than two CPU counts.
   */
  static double scalingExponent(List<SimSpeed> points) {
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (SimSpeed p : points) {
      double x = Math.log(p.cpus());
      double y = Math.log(p.wallMs());
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double den = n * sxx - sx * sx;
    return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
  }
}
