package org.ipctestbed.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Wall time of one simulated run ({@link SimSpeedDriver}) of {@code cpus} CPUs with {@value
 * #ROUND_TRIPS_PER_CPU} synchronous round trips each; building the machine is left out of the
 * measurement ({@code Level.Invocation} setup, fine for invocations of milliseconds). {@link
 * BenchMain} turns the score into round trips per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class SimSpeedBench {
  /** Round trips each simulated CPU's client performs per run. */
  public static final int ROUND_TRIPS_PER_CPU = 500;

  /** {@value SimSpeedDriver#SUBSTRATE} or a provider's name. */
  @Param({SimSpeedDriver.SUBSTRATE})
  public String mechanism;

  @Param({"1", "16", "256"})
  public int cpus;

  /**
   * {@code deterministic} (what the suite runs): every cost at its mean; {@code variable}: each cost
   * a seeded draw (issue 12), for a run by hand. The price of variability is measured by {@link
   * SimVariabilityBench}, both modes in one JVM: two forks of this benchmark differ by as much.
   */
  @Param({"deterministic"})
  public String variability;

  private SimSpeedDriver.Prepared prepared;

  @Setup(Level.Invocation)
  public void build() {
    prepared = SimSpeedDriver.prepare(mechanism, cpus, ROUND_TRIPS_PER_CPU, !"variable".equals(variability));
  }

  @Benchmark
  public long simulate() {
    long done = prepared.execute();
    if (done != prepared.expected()) {
      throw new IllegalStateException(
          mechanism + " on " + cpus + " CPUs completed " + done + " of " + prepared.expected() + " round trips");
    }
    return done;
  }
}
