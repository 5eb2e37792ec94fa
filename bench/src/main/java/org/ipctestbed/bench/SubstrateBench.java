package org.ipctestbed.bench;

import java.util.concurrent.TimeUnit;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.IdlePolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The substrate's own round trips on the real engine ({@link SubstrateScenarios}), each a batch of
 * {@value #BATCH} operations per invocation on a machine that runs for the whole trial ({@link
 * BatchRig}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SubstrateBench {
  /** Operations per trigger; the trigger's IPI and unpark are amortised over them. */
  public static final int BATCH = 10_000;

  /**
   * {@code handoff}, {@code upcall}, {@code wake-cross}, or {@code null}: an operation that does
   * nothing, the floor of the batch technique itself (client loop plus the trigger and wake-up
   * amortised over a batch).
   */
  @Param({"handoff", "upcall", "wake-cross", "null"})
  public String scenario;

  private BatchRig rig;

  @Setup(Level.Trial)
  public void start() {
    rig =
        switch (scenario) {
          case "handoff" -> BatchRig.create(1, IdlePolicy.SPIN, 0, BATCH, SubstrateScenarios.handoff());
          case "upcall" -> BatchRig.create(1, IdlePolicy.SPIN, 0, BATCH, SubstrateScenarios.upcall());
          case "wake-cross" -> BatchRig.create(2, IdlePolicy.SPIN, 0, BATCH, SubstrateScenarios.wakeCross());
          case "null" -> BatchRig.create(1, IdlePolicy.SPIN, 0, BATCH, (machine, client) -> self -> Status.OK);
          default -> throw new IllegalArgumentException(
              "unknown substrate scenario '" + scenario + "'; allowed: handoff, upcall, wake-cross, null");
        };
    rig.start();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void roundTrip(CarrierAllocation alloc) {
    alloc.measureBatch(rig);
  }

  @TearDown(Level.Trial)
  public void stop() {
    rig.stop();
  }
}
