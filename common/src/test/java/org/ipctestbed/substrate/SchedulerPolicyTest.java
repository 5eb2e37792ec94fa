package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The two policies behind one interface: K42's proportional share and LWKT's fixed priority RR. */
class SchedulerPolicyTest {
  private static final long MS = 1_000_000;

  /** Two CPU-bound processes share one CPU for {@code runMs}; returns their user time. */
  private static long[] share(String policy, int classA, int weightA, int classB, int weightB, long runMs) {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").policy(policy).defaultQuantumNs(MS).build());
    Process a = m.newProcess("a", classA, weightA);
    Process b = m.newProcess("b", classB, weightB);
    for (Process p : new Process[] {a, b}) {
      p.spawn(p.name(), 0, self -> {
        while (self.now() < runMs * MS) {
          self.work(10_000);
        }
      });
    }
    m.run();
    return new long[] {m.ledger().processNs(a, Category.USER), m.ledger().processNs(b, Category.USER)};
  }

  @Test
  void proportionalShareDividesTheCpuByWeight() {
    long[] t = share("proportional-share", 4, 1024, 4, 3072, 400);
    double ratio = (double) t[1] / t[0];
    assertTrue(ratio > 2.7 && ratio < 3.3, "weight 3072 vs 1024 should get ~3x the CPU, got " + ratio);
  }

  @Test
  void proportionalShareClassesAreStrict() {
    long[] t = share("proportional-share", 3, 1, 5, 4096, 50);
    assertTrue(t[0] >= 50 * MS, "class 3 runs whenever it is runnable");
    assertTrue(t[1] < t[0] / 10, "class 5 runs only after class 3 is done: " + t[1]);
  }

  @Test
  void fixedPriorityRoundRobinSharesEquallyAmongEqualsIgnoringWeight() {
    long[] t = share("fixed-priority-rr", 4, 1, 4, 4096, 200);
    double ratio = (double) t[1] / t[0];
    assertTrue(ratio > 0.9 && ratio < 1.1, "equal priorities rotate per quantum, got " + ratio);
  }

  @Test
  void fixedPriorityRunsTheHigherPriorityFirst() {
    long[] t = share("fixed-priority-rr", 2, 1, 3, 1, 30);
    assertTrue(t[1] < t[0] / 10);
  }

  @Test
  void inflationHalvesHistoriesSoThatALongIdleDomainBanksOnlyBoundedCredit() {
    // b sleeps 2 s while a runs. Without inflation a's history would be worth 2 s of b's CPU and b
    // would then run alone until the end; with halving every 80 ms a's history is bounded (about
    // 160 ms of b's CPU), so a gets the CPU back well within the last 500 ms.
    Machine m = Machine.create(Machines.sim(1).costModel("zero").defaultQuantumNs(MS).build());
    Process a = m.newProcess("a");
    Process b = m.newProcess("b");
    long[] aLate = new long[1];
    a.spawn("a", 0, self -> {
      while (self.now() < 2_500 * MS) {
        long before = self.now();
        self.work(10_000);
        if (before >= 2_000 * MS) {
          aLate[0] += 10_000;
        }
      }
    });
    b.spawn("b", 0, self -> {
      self.sleep(2_000 * MS);
      while (self.now() < 2_500 * MS) {
        self.work(10_000);
      }
    });
    m.run();
    assertTrue(aLate[0] > 100 * MS, "a's CPU time in the last 500 ms: " + aLate[0] / MS + " ms");
    assertTrue(aLate[0] < 300 * MS, "b, which was idle, gets the larger part: a had " + aLate[0] / MS + " ms");
  }
}
