package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.IdlePolicy;
import org.junit.jupiter.api.Test;

/** The batch harness every real-engine benchmark stands on. */
class BatchRigTest {
  private static final int K = 1_000;

  /** Counts operations inside the client fiber; read after the rig has stopped. */
  private static final class Counter {
    long n;
  }

  @Test
  void performsExactlyBatchSizeOperationsPerTrigger() {
    Counter counter = new Counter();
    BatchRig rig =
        BatchRig.create(1, IdlePolicy.SPIN_THEN_PARK, 0, K, (machine, client) -> self -> {
          counter.n++;
          return Status.OK;
        }).start();
    rig.runBatch();
    assertEquals(K, rig.operations());
    rig.runBatch();
    rig.runBatch();
    assertEquals(3L * K, rig.operations());
    rig.stop();
    assertEquals(3L * K, counter.n, "the operation ran exactly K times per trigger");
  }

  @Test
  void stopsCleanlyWhileServersAreStillBlocked() {
    BatchRig rig = BatchRig.create(1, IdlePolicy.SPIN_THEN_PARK, 0, K, SubstrateScenarios.upcall()).start();
    rig.runBatch();
    rig.stop();
    assertTrue(rig.isStopped(), "the machine's thread has ended");
    assertEquals(K, rig.operations());
  }

  @Test
  void stopsCleanlyWithoutAnyBatch() {
    BatchRig rig = BatchRig.create(2, IdlePolicy.SPIN_THEN_PARK, 0, K, SubstrateScenarios.wakeCross()).start();
    rig.stop();
    assertTrue(rig.isStopped());
    assertEquals(0, rig.operations());
  }

  @Test
  void reportsAFailingOperationByItsStatusName() {
    BatchRig rig = BatchRig.create(1, IdlePolicy.SPIN_THEN_PARK, 0, K, (machine, client) -> self -> Status.EBUSY).start();
    IllegalStateException e = assertThrows(IllegalStateException.class, rig::runBatch);
    assertTrue(e.getMessage().contains("EBUSY"), e.getMessage());
    rig.stop();
  }

  @Test
  void handOffScenarioCompletesEveryRoundTrip() {
    BatchRig rig = BatchRig.create(1, IdlePolicy.SPIN_THEN_PARK, 0, K, SubstrateScenarios.handoff()).start();
    rig.runBatch();
    rig.runBatch();
    rig.stop();
    assertEquals(2L * K, rig.operations());
  }

  @Test
  void crossCpuWakeScenarioCompletesEveryRoundTrip() {
    BatchRig rig = BatchRig.create(2, IdlePolicy.SPIN_THEN_PARK, 0, K, SubstrateScenarios.wakeCross()).start();
    rig.runBatch();
    rig.stop();
    assertEquals(K, rig.operations());
  }

  /** Where an allocating operation puts its arrays, so that they escape. */
  static volatile byte[] sink;

  @Test
  void carrierAllocationCountsWhatTheOperationsAllocate() {
    BatchRig rig =
        BatchRig.create(1, IdlePolicy.SPIN_THEN_PARK, 0, K, (machine, client) -> self -> {
          sink = new byte[1024];
          return Status.OK;
        }).start();
    rig.runBatch(); // the carrier probe has run by now
    long before = rig.carrierAllocatedBytes();
    rig.runBatch();
    long delta = rig.carrierAllocatedBytes() - before;
    rig.stop();
    assertTrue(delta >= K * 1024L, "carriers allocated " + delta + " bytes for " + K + " arrays of 1 KiB");
  }

  @Test
  void rejectsAnEmptyBatch() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BatchRig.create(1, IdlePolicy.PARK, 0, 0, (machine, client) -> self -> Status.OK));
  }
}
