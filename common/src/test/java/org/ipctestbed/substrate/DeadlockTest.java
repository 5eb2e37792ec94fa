package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run that cannot progress is reported with the blocked fibers and their reasons. */
class DeadlockTest {
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aDeadlockIsReportedWithTheBlockedFibersAndTheirReasons(String engine) {
    Machine m = Machine.create(Machines.of(engine, 2).watchdogNs(300_000_000L).build());
    Process p = m.newProcess("philosophers");
    p.spawn("left", 0, self -> self.block("waiting for the right fork"));
    p.spawn("right", 1, self -> {
      self.work(1_000);
      self.block("waiting for the left fork");
    });
    m.newProcess("server").spawnDaemon("idle-server", 1, self -> self.block("waiting for a request"));
    DeadlockException e = assertThrows(DeadlockException.class, m::run);
    assertEquals(3, e.blockedFibers().size(), e.getMessage());
    assertTrue(e.getMessage().contains("fiber 'left' of philosophers(pid 1) on CPU 0: BLOCKED (waiting for the right fork)"), e.getMessage());
    assertTrue(e.getMessage().contains("'right'") && e.getMessage().contains("waiting for the left fork"), e.getMessage());
    assertTrue(e.getMessage().contains("[daemon]"), e.getMessage());
  }
}
