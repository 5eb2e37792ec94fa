package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ipctestbed.ipc.IpcProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every hot path of the benchmark suite allocates nothing per operation on the real engine (issue 17:
 * "0 B per operation on every hot path ... a test keeps each hot path at 0 B per operation"): the
 * bytes the machine's carrier threads allocate across a batch, after a warm-up, are below half a
 * byte per operation, the bar {@link Targets} judges the reference run by. What a first-time path
 * allocates (class loading, a buffer sized on first use) is left in the warm-up.
 *
 * <p>Each case gets up to five windows and passes on the first clean one: an allocation of the path
 * itself shows in every window, while one that comes from the JVM (a continuation frozen on
 * HotSpot's slow path after a deoptimization allocates a stack chunk) shows in some. All windows are
 * named when none is clean.
 */
class HotPathAllocationTest {
  private static final int WARM_UP_BATCHES = 20;
  private static final int BATCH = 2_000;
  private static final int WINDOWS = 5;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "ppc, call-same", "ppc, call-cross", "ppc, send-same",
    "lwkt, call-same", "lwkt, call-cross", "lwkt, send-same",
  })
  void aBatchOfOperationsAllocatesNothingOnTheCarriers(String mechanism, String kind) {
    BatchRig rig =
        MechanismScenario.rig(IpcProvider.named(mechanism), MechanismScenario.Kind.of(kind), 0, BATCH).start();
    try {
      for (int i = 0; i < WARM_UP_BATCHES; i++) {
        rig.runBatch();
      }
      StringBuilder seen = new StringBuilder();
      for (int w = 0; w < WINDOWS; w++) {
        long before = rig.carrierAllocatedBytes();
        rig.runBatch();
        long bytes = rig.carrierAllocatedBytes() - before;
        seen.append(' ').append(bytes);
        if (bytes < BATCH * Targets.ZERO_ALLOC_BYTES) {
          return;
        }
      }
      throw new AssertionError(
          mechanism + " " + kind + ": the carriers allocated, in each of " + WINDOWS + " batches of " + BATCH
              + " operations (bytes):" + seen);
    } finally {
      rig.stop();
      assertEquals((long) (WARM_UP_BATCHES + 1) * BATCH <= rig.operations(), true, "every batch was performed");
    }
  }
}
