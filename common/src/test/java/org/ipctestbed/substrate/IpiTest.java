package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Cross-CPU requests travel as IPIs, in both engines (DESIGN.md, "The substrate"). */
class IpiTest {
  @Test
  void aWakeAcrossCpusArrivesAfterTheModelledIpiLatency() {
    Machine m = Machine.create(Machines.sim(2).build());
    Process p = m.newProcess("p");
    long[] wokenAt = new long[1];
    long[] sentAt = new long[1];
    Fiber sleeper = p.spawn("sleeper", 1, self -> {
      self.block("waiting for the IPI");
      wokenAt[0] = self.now();
    });
    p.spawn("waker", 0, self -> {
      self.work(10_000);
      sentAt[0] = self.now();
      sleeper.wake();
    });
    m.run();
    CostModel c = m.costModel();
    long dispatch = Math.round(c.ns(Cost.SCHED_DECISION) + c.ns(Cost.THREAD_SWITCH));
    long taken = Math.round(c.ns(Cost.INTERRUPT) + c.ns(Cost.IPI_REQUEST)); // the idle target takes the interrupt first
    assertEquals(sentAt[0] + Math.round(c.ns(Cost.IPI_LATENCY)) + taken + dispatch, wokenAt[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void ipiPingPongBetweenCpusLosesNoWakeup(String engine) {
    Machine m = Machine.create(Machines.of(engine, 2).build());
    Process p = m.newProcess("p");
    Fiber[] fs = new Fiber[2];
    int[] turns = new int[2];
    int[] done = new int[2];
    int rounds = 2_000;
    for (int i = 0; i < 2; i++) {
      int me = i;
      fs[i] = p.spawn("f" + i, i, self -> {
        for (int k = 0; k < rounds; k++) {
          if (me == 1 || k > 0) {
            while (turns[me] == 0) {
              self.block("waiting for my turn");
            }
          }
          turns[me] = 0;
          done[me]++;
          turns[1 - me] = 1;
          fs[1 - me].wake();
        }
      });
    }
    m.run();
    assertEquals(0, m.ledger().identityError());
    // A lost wake-up would have ended the run in a DeadlockException instead.
    assertEquals(rounds, done[0]);
    assertEquals(rounds, done[1]);
  }

  @Test
  void ipisAreDeferredUntilTheEndOfACriticalSection() {
    Machine m = Machine.create(Machines.sim(2).build());
    Process p = m.newProcess("p");
    long[] deliveredAt = {-1};
    long[] critEnd = new long[1];
    Fiber[] holder = new Fiber[1];
    holder[0] = p.spawn("in-crit", 1, self -> {
      self.critEnter();
      self.work(5_000);
      critEnd[0] = self.now();
      self.critExit();
    });
    p.spawn("sender", 0, self -> m.cpu(1).post(cpu -> deliveredAt[0] = holder[0].now()));
    m.run();
    assertEquals(critEnd[0], deliveredAt[0]);
  }

  @Test
  void aFullInboxMakesTheSenderTakeItsOwnIpisSoTwoSendersCannotDeadlock() {
    Machine m = Machine.create(Machines.real(2).ipiQueueCapacity(2).build());
    Process p = m.newProcess("p");
    long[] received = new long[2];
    int n = 20_000;
    IpiRequest[] count = {cpu -> received[cpu.index()]++, cpu -> received[cpu.index()]++};
    for (int i = 0; i < 2; i++) {
      int me = i;
      p.spawn("sender" + i, i, self -> {
        for (int k = 0; k < n; k++) {
          m.cpu(1 - me).post(count[me]);
        }
        while (received[me] < n) {
          self.yieldCpu(); // the other sender's IPIs to this CPU are taken between fibers
        }
      });
    }
    m.run();
    assertEquals(n, received[0]);
    assertEquals(n, received[1]);
  }
}
