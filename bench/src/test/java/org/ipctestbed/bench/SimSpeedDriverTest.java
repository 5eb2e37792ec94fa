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
  void anUnknownMechanismIsRefusedWithTheAvailableNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SimSpeedDriver.prepare("no-such-ipc", 1, 1));
    assertEquals(true, e.getMessage().contains("test-direct"), e.getMessage());
  }
}
