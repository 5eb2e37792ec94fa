package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ipctestbed.ipc.IpcProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Mechanism benchmarks through the SPI, against the test-only provider. */
class MechanismScenarioTest {
  private static final IpcProvider DIRECT = IpcProvider.named("test-direct");

  @ParameterizedTest
  @EnumSource(MechanismScenario.Kind.class)
  void everyKindPerformsItsBatchThroughTheSpi(MechanismScenario.Kind kind) {
    BatchRig rig = MechanismScenario.rig(DIRECT, kind, 0, 500).start();
    rig.runBatch();
    rig.stop();
    assertEquals(500, rig.operations());
  }

  @Test
  void aPageSizedCallPayloadIsCarried() {
    BatchRig rig = MechanismScenario.rig(DIRECT, MechanismScenario.Kind.CALL_SAME, MechanismScenario.MAX_PAYLOAD, 100).start();
    rig.runBatch();
    rig.stop();
    assertEquals(100, rig.operations());
  }

  @Test
  void aSendLargerThanTheMechanismCarriesIsNotBenchmarked() {
    String why = MechanismScenario.notApplicable(DIRECT, MechanismScenario.Kind.SEND_SAME, 64);
    assertNotNull(why);
    assertTrue(why.contains("EMSGSIZE"), why);
    assertNull(MechanismScenario.notApplicable(DIRECT, MechanismScenario.Kind.SEND_SAME, 0));
    assertNull(MechanismScenario.notApplicable(DIRECT, MechanismScenario.Kind.CALL_SAME, 4072));
  }

  @Test
  void theSuiteHasEveryCaseOfTheIssueAndSkipsRefusedSends() {
    List<Measurement> skipped = new ArrayList<>();
    List<BenchCase> cases = BenchSuite.cases(List.of(DIRECT), skipped);
    List<String> ids = cases.stream().map(BenchCase::id).toList();
    for (String id :
        List.of(
            "baseline.virtual-call", "baseline.coroutine", "baseline.spin", "baseline.spsc", "baseline.park", "baseline.rig-null",
            "substrate.handoff", "substrate.upcall", "substrate.wake-cross",
            "test-direct.call-same.0", "test-direct.call-same.64", "test-direct.call-same.4072",
            "test-direct.call-cross.0", "test-direct.send-same.0",
            "sim.substrate.1", "sim.substrate.16", "sim.substrate.256", "sim.test-direct.256")) {
      assertTrue(ids.contains(id), id + " missing from " + ids);
    }
    assertEquals(
        List.of("test-direct.send-same.64", "test-direct.send-same.4072"),
        skipped.stream().map(m -> m.benchCase().id()).toList());
  }
}
