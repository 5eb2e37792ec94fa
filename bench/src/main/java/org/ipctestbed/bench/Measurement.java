package org.ipctestbed.bench;

/**
 * What one {@link BenchCase} measured: JMH's score (mean over iterations and forks) with its 99.9 %
 * confidence half-width, and the gc profiler's allocation per operation. Immutable.
 *
 * @param benchCase what ran
 * @param outcome {@code ok}, {@code skipped} (not applicable to the mechanism, see {@code note}) or
 *     {@code failed} (see {@code note})
 * @param score mean time per operation in {@code unit} (NaN unless ok)
 * @param error JMH's score error (NaN when it has none, e.g. a single iteration)
 * @param unit JMH's unit, e.g. {@code ns/op}
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} in B/op: the whole JVM, harness included (NaN
 *     when not profiled)
 * @param carrierBytesPerOp bytes the machine's carrier threads allocated per operation ({@link
 *     CarrierAllocation}; NaN for benchmarks without a machine)
 * @param note the reason for a skip or failure, or empty
 * @param pairedRatio for a paired benchmark ({@link SimVariabilityBench}): the second run's wall time
 *     over the first's, summed over every iteration of every fork; NaN otherwise
 */
public record Measurement(
    BenchCase benchCase, String outcome, double score, double error, String unit, double allocBytesPerOp, double carrierBytesPerOp,
    String note, double pairedRatio) {
  public static final String OK = "ok";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";

  public static Measurement ok(BenchCase c, double score, double error, String unit, double alloc, double carrierAlloc) {
    return new Measurement(c, OK, score, error, unit, alloc, carrierAlloc, "", Double.NaN);
  }

  /** A paired benchmark's measurement: {@code ratio} is the second run's wall time over the first's. */
  public static Measurement paired(BenchCase c, double score, double error, String unit, double alloc, double ratio) {
    return new Measurement(c, OK, score, error, unit, alloc, Double.NaN, "", ratio);
  }

  public static Measurement notRun(BenchCase c, String outcome, String note) {
    return new Measurement(c, outcome, Double.NaN, Double.NaN, "", Double.NaN, Double.NaN, note, Double.NaN);
  }

  public boolean isOk() {
    return OK.equals(outcome);
  }

  /** The score in nanoseconds per operation (converts JMH's us/op and ms/op). */
  public double nsPerOp() {
    return switch (unit) {
      case "ns/op" -> score;
      case "us/op" -> score * 1e3;
      case "ms/op" -> score * 1e6;
      case "s/op" -> score * 1e9;
      default -> throw new IllegalStateException("unexpected unit '" + unit + "' for " + benchCase.id());
    };
  }
}
