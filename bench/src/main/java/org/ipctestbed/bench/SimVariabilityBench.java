package org.ipctestbed.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The price of variability (issue 12: the simulator's speed must not fall by more than 20% with
 * variability and contention on), measured paired: each invocation runs the same simulated machine
 * ({@link SimSpeedDriver}) twice, once with every cost at its mean and once with every cost drawn
 * from its distribution, in alternating order, and {@link Walls} sums each one's wall time over the
 * iteration. Their quotient compares two runs in one JVM with one JIT state.
 *
 * <p>Why paired: measured in separate JMH forks (one per mode, as {@link SimSpeedBench} does) the
 * quotient carried the forks' own spread, which here is as large as the effect: PPC on 16 simulated
 * CPUs gave 1.28x in one three-fork reference run, while six JVMs per mode outside JMH gave medians of
 * 842 k and 798 k round trips per second (1.055x), single JVMs ranging over 725-809 k and 800-848 k.
 * The contention model is on in both runs. Both share one JIT state: a JVM that only ever runs
 * deterministic models may compile its path a little tighter, so the absolute speeds of the report
 * stay {@link SimSpeedBench}'s, one mode per fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class SimVariabilityBench {
  /** Secondary-result names of {@link Walls}. */
  static final String DETERMINISTIC_NS = "deterministicNs";

  static final String VARIABLE_NS = "variableNs";

  /** {@value SimSpeedDriver#SUBSTRATE} or a provider's name. */
  @Param({SimSpeedDriver.SUBSTRATE})
  public String mechanism;

  @Param({"1", "16", "256"})
  public int cpus;

  private SimSpeedDriver.Prepared fixed;
  private SimSpeedDriver.Prepared variable;
  private boolean variableFirst;

  /** Wall nanoseconds of the deterministic and the variable runs of an iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Walls {
    public long deterministicNs;
    public long variableNs;

    @Setup(Level.Iteration)
    public void reset() {
      deterministicNs = 0;
      variableNs = 0;
    }
  }

  @Setup(Level.Invocation)
  public void build() {
    int perCpu = SimSpeedBench.ROUND_TRIPS_PER_CPU;
    fixed = SimSpeedDriver.prepare(mechanism, cpus, perCpu, true);
    variable = SimSpeedDriver.prepare(mechanism, cpus, perCpu, false);
  }

  /** Runs both machines; the order alternates between invocations. Returns the round trips done. */
  @Benchmark
  public long pair(Walls walls) {
    variableFirst = !variableFirst;
    long done;
    if (variableFirst) {
      done = timed(variable, walls, true) + timed(fixed, walls, false);
    } else {
      done = timed(fixed, walls, false) + timed(variable, walls, true);
    }
    return done;
  }

  private long timed(SimSpeedDriver.Prepared p, Walls walls, boolean isVariable) {
    long t0 = System.nanoTime();
    long done = p.execute();
    long ns = System.nanoTime() - t0;
    if (done != p.expected()) {
      throw new IllegalStateException(
          mechanism + " on " + cpus + " CPUs (" + (isVariable ? "variable" : "deterministic") + ") completed " + done
              + " of " + p.expected() + " round trips");
    }
    if (isVariable) {
      walls.variableNs += ns;
    } else {
      walls.deterministicNs += ns;
    }
    return done;
  }
}
