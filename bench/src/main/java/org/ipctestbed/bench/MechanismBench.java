package org.ipctestbed.bench;

import java.util.concurrent.TimeUnit;
import org.ipctestbed.ipc.IpcProvider;
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
 * Every IPC mechanism found through the SPI, on the real engine: {@link MechanismScenario} per
 * mechanism, kind and payload, a batch of {@value SubstrateBench#BATCH} operations per invocation on
 * a machine that runs for the whole trial ({@link BatchRig}). {@link BenchMain} sets the parameters
 * from {@link IpcProvider#all()} and leaves out combinations a mechanism refuses by design.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MechanismBench {
  /** A provider's name; set by {@link BenchMain}. */
  @Param({"ppc"})
  public String mechanism;

  /** {@code call-same}, {@code call-cross} or {@code send-same}. */
  @Param({"call-same"})
  public String kind;

  /** Request payload in bytes. */
  @Param({"0"})
  public int payload;

  private BatchRig rig;

  @Setup(Level.Trial)
  public void start() {
    rig =
        MechanismScenario.rig(
            IpcProvider.named(mechanism), MechanismScenario.Kind.of(kind), payload, SubstrateBench.BATCH);
    rig.start();
  }

  @Benchmark
  @OperationsPerInvocation(SubstrateBench.BATCH)
  public void operation(CarrierAllocation alloc) {
    alloc.measureBatch(rig);
  }

  @TearDown(Level.Trial)
  public void stop() {
    rig.stop();
  }
}
