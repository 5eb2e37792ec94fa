package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs in which virtual time does not advance (the zero-cost model, zero work): the simulated engine
 * neither grows the driver's stack with every dispatch nor spins forever at one instant (issue 13).
 */
class ZeroTimeRunsTest {
  private static Machine zeroCost(int cpus) {
    return Machine.create(MachineConfig.builder().cpus(cpus).engine(EngineKind.SIM).costModel("zero").seed(1).build());
  }

  private static SimEngine sim(Machine m) {
    return (SimEngine) m.engine();
  }

  @Test
  void aLongChainOfFreeDispatchesRunsWithoutGrowingTheStack() {
    // Each yield is a dispatch that costs nothing; it used to recurse into the next fiber's code
    // (dispatch -> run -> dispatch ...), a StackOverflowError after a few thousand.
    Machine m = zeroCost(1);
    Process p = m.newProcess("ping-pong");
    int[] turns = new int[2];
    for (int i = 0; i < 2; i++) {
      int me = i;
      p.spawn("player-" + i, 0, self -> {
        for (int k = 0; k < 200_000; k++) {
          turns[me]++;
          self.yieldCpu();
        }
      });
    }
    assertEquals(0, m.run());
    assertEquals(200_000, turns[0]);
    assertEquals(200_000, turns[1]);
  }

  @Test
  void fibersThatYieldForeverAtOneInstantAreReportedAsALivelockNamingThem() {
    Machine m = zeroCost(1);
    sim(m).stallStepLimit = 10_000;
    Process p = m.newProcess("spinners");
    p.spawn("spinner-a", 0, self -> {
      while (true) {
        self.yieldCpu();
      }
    });
    p.spawn("spinner-b", 0, self -> {
      while (true) {
        self.yieldCpu();
      }
    });
    DeadlockException e = assertThrows(DeadlockException.class, m::run);
    assertTrue(e.getMessage().startsWith("livelock at virtual time 0 ns"), e.getMessage());
    assertEquals(2, e.blockedFibers().size(), e.getMessage());
    assertTrue(e.getMessage().contains("fiber 'spinner-a'") && e.getMessage().contains("fiber 'spinner-b'"), e.getMessage());
  }

  @Test
  void aFiberThatNeverSuspendsAtZeroCostIsStoppedAsALivelock() {
    // A daemon that is charged nothing and never gives the CPU back (a same-CPU PPC call loop under
    // the zero-cost model) keeps the driver inside its code: the engine counts its free charges.
    Machine m = zeroCost(1);
    sim(m).stallStepLimit = 10_000;
    m.newProcess("heavy").spawnDaemon("busy-caller", 0, self -> {
      while (true) {
        self.charge(Cost.TRAP);
        self.work(0);
      }
    });
    m.newProcess("light").spawn("starved", 0, self -> self.work(1_000));
    DeadlockException e = assertThrows(DeadlockException.class, m::run);
    assertTrue(e.getMessage().startsWith("livelock"), e.getMessage());
    assertTrue(e.getMessage().contains("fiber 'busy-caller'") && e.getMessage().contains("fiber 'starved'"), e.getMessage());
  }

  @Test
  void aFiberReturningAtOneInstantIsProgressAndResetsTheCount() {
    // A relay of fibers at time 0, each yielding 20 times, then starting the next and returning:
    // 4,000 steps at one instant in total, but each return is progress, so no livelock is declared.
    Machine m = zeroCost(1);
    sim(m).stallStepLimit = 100;
    Process p = m.newProcess("relay");
    int[] finished = new int[1];
    p.spawn("runner-0", 0, relay(p, 0, finished));
    assertEquals(0, m.run());
    assertEquals(200, finished[0]);
  }

  private static Fiber.Body relay(Process p, int k, int[] finished) {
    return self -> {
      for (int i = 0; i < 20; i++) {
        self.yieldCpu();
      }
      if (k + 1 < 200) {
        p.spawn("runner-" + (k + 1), 0, relay(p, k + 1, finished));
      }
      finished[0]++;
    };
  }
}
