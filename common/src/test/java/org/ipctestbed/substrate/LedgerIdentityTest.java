package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Sum of all accounts + idle = CPUs × elapsed (DESIGN.md, "Accounting (the ledger)"). */
class LedgerIdentityTest {
  @Test
  void ledgerIdentityIsExactInTheSimulatedEngine() {
    Machine m = DeterminismTest.busyMachine(3);
    Ledger l = m.ledger();
    assertTrue(l.elapsedNs() > 0);
    assertTrue(l.chargedNs() > 0);
    assertEquals(0, l.identityError(), String.join("\n", l.summaryLines()));
  }

  @Test
  void simulatedWorkAndChargesLandInTheirCategories() {
    Machine m = Machine.create(Machines.sim(1).build());
    Process p = m.newProcess("p");
    p.spawn("f", 0, self -> {
      self.work(10_000);
      self.charge(Cost.TRAP, 3);
    });
    long elapsed = m.run();
    long dispatch = (long) (m.costModel().ns(Cost.SCHED_DECISION) + m.costModel().ns(Cost.THREAD_SWITCH));
    assertEquals(10_000, m.ledger().processNs(p, Category.USER));
    assertEquals(3 * 70 + dispatch, m.ledger().processNs(p, Category.MECHANISM));
    assertEquals(elapsed, m.ledger().processNs(p));
    assertEquals(3, m.ledger().costCount(Cost.TRAP));
    assertEquals(210, m.ledger().costNs(Cost.TRAP));
  }

  @Test
  void ledgerIdentityHoldsWithinOnePercentInTheRealEngine() {
    Machine m = Machine.create(Machines.real(2).build());
    Fiber[] fs = new Fiber[2];
    boolean[] go = new boolean[2];
    Process p = m.newProcess("ping");
    Process q = m.newProcess("pong");
    fs[1] =
        q.spawnDaemon("pong", 1, self -> {
          while (true) {
            while (!go[1]) {
              self.block("waiting for ping");
            }
            go[1] = false;
            self.work(20_000);
            go[0] = true;
            fs[0].wake();
          }
        });
    fs[0] =
        p.spawn("ping", 0, self -> {
          for (int i = 0; i < 200; i++) {
            self.work(10_000);
            go[1] = true;
            fs[1].wake();
            while (!go[0]) {
              self.block("waiting for pong");
            }
            go[0] = false;
          }
        });
    m.run();
    Ledger l = m.ledger();
    long capacity = (long) l.cpus() * l.elapsedNs();
    assertTrue(Math.abs(l.identityError()) <= capacity / 100, String.join("\n", l.summaryLines()));
    assertTrue(l.processNs(p, Category.USER) >= 200 * 10_000L);
    assertTrue(l.processNs(q, Category.USER) >= 200 * 20_000L);
  }
}
