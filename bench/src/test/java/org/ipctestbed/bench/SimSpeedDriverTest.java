package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator-speed driver does the work it claims to, whatever the CPU count. */
class SimSpeedDriverTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 16, 64})
  void substratePairsCompleteEveryRoundTripOnEveryCpu(int cpus) {
    SimSpeedDriver.Prepared p = SimSpeedDriver.prepare(SimSpeedDriver.SUBSTRATE, cpus, 50);
    assertEquals(cpus * 50L, p.expected());
    assertEquals(cpus * 50L, p.execute());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 16})
  void handOffPairsCompleteEveryRoundTripOnEveryCpu(int cpus) {
    SimSpeedDriver.Prepared p = SimSpeedDriver.prepare(SimSpeedDriver.SUBSTRATE_HANDOFF, cpus, 50);
    assertEquals(cpus * 50L, p.execute());
  }

  @Test
  void aProviderFoundThroughTheSpiCompletesEveryCall() {
    SimSpeedDriver.Prepared p = SimSpeedDriver.prepare("test-direct", 4, 25);
    assertEquals(100, p.execute());
  }

  @Test
  void theRunIsSimulatedTimeNotWallTime() {
    SimSpeedDriver.Prepared p = SimSpeedDriver.prepare(SimSpeedDriver.SUBSTRATE, 2, 10);
    p.execute();
    assertEquals(true, p.machine().isSimulated());
    assertEquals(0, p.machine().ledger().identityError(), "every simulated CPU nanosecond is accounted once");
  }

  @Test
  void theCpusStartOutOfPhaseSoThatNoTwoTakeTheSameStepAtTheSameInstant() {
    java.util.Set<Long> offsets = new java.util.HashSet<>();
    for (int cpu = 0; cpu < 256; cpu++) {
      long o = SimSpeedDriver.startOffsetNs(cpu);
      assertEquals(true, o >= 0 && o < 1000, "offset " + o + " of CPU " + cpu);
      offsets.add(o);
    }
    assertEquals(256, offsets.size(), "every CPU of the largest benchmark gets its own phase");
    assertEquals(0, SimSpeedDriver.startOffsetNs(0));
  }

  @Test
  void variabilityChangesTheRunButNotTheWorkDone() {
    SimSpeedDriver.Prepared fixed = SimSpeedDriver.prepare("ppc", 4, 20, true);
    SimSpeedDriver.Prepared variable = SimSpeedDriver.prepare("ppc", 4, 20, false);
    assertEquals(80, fixed.execute());
    assertEquals(80, variable.execute());
    assertEquals(true, !fixed.machine().traceDigest().equals(variable.machine().traceDigest()), "drawn costs give another trace");
  }

  @Test
  void aPairedInvocationRunsBothMachinesAndTimesEachApart() {
    SimVariabilityBench b = new SimVariabilityBench();
    b.mechanism = "ppc";
    b.cpus = 4;
    SimVariabilityBench.Walls walls = new SimVariabilityBench.Walls();
    walls.reset();
    for (int i = 0; i < 2; i++) { // both orders
      b.build();
      assertEquals(2L * 4 * SimSpeedBench.ROUND_TRIPS_PER_CPU, b.pair(walls));
    }
    assertEquals(true, walls.deterministicNs > 0 && walls.variableNs > 0, walls.deterministicNs + " / " + walls.variableNs);
  }

  @Test
  void anUnknownMechanismIsRefusedWithTheAvailableNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SimSpeedDriver.prepare("no-such-ipc", 1, 1));
    assertEquals(true, e.getMessage().contains("test-direct"), e.getMessage());
  }
}
