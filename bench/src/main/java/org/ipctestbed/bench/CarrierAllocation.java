package org.ipctestbed.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH auxiliary counters of the bytes the machine's carrier threads allocated during the measured
 * batches, and of the operations those batches performed ({@link BatchRig#carrierAllocatedBytes()}):
 * their quotient is the hot path's own allocation per operation, without the JMH harness's
 * per-iteration allocation that {@code gc.alloc.rate.norm} includes (which, divided by few slow
 * operations, is not 0 even when the hot path allocates nothing). Reset every iteration.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CarrierAllocation {
  /** Secondary-result names. */
  static final String BYTES = "carrierBytes";

  static final String OPS = "carrierOps";

  public long carrierBytes;
  public long carrierOps;

  @Setup(Level.Iteration)
  public void reset() {
    carrierBytes = 0;
    carrierOps = 0;
  }

  /** Runs one batch of {@code rig} and counts its carriers' allocation and operations. */
  void measureBatch(BatchRig rig) {
    long before = rig.carrierAllocatedBytes();
    rig.runBatch();
    carrierBytes += rig.carrierAllocatedBytes() - before;
    carrierOps += rig.batchSize();
  }
}
