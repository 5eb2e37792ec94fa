package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Soft then hard preemption (research/k42.md 4.4): quantum expiry raises the preempt flag with a
 * deadline; the fiber yields at its next safe point, or is stopped at the deadline.
 */
class PreemptionTest {
  private static final long US = 1_000;

  private static MachineConfig oneCpu() {
    return Machines.sim(1).costModel("zero").defaultQuantumNs(100 * US).preemptGraceNs(100 * US).build();
  }

  @Test
  void softPreemptionIsHonouredAtTheNextSafePoint() {
    Machine m = Machine.create(oneCpu());
    long[] bFirstRun = {-1};
    Fiber a = m.newProcess("a").spawn("a", 0, self -> {
      for (int i = 0; i < 30; i++) {
        self.work(10 * US); // each return from work is a safe point
      }
    });
    m.newProcess("b").spawn("b", 0, self -> {
      bFirstRun[0] = self.now();
      self.work(10 * US);
    });
    m.run();
    assertEquals(100 * US, bFirstRun[0], "a yields at the first safe point after its quantum ends");
    assertTrue(a.softPreemptions() >= 1);
    assertEquals(0, a.hardPreemptions());
  }

  @Test
  void aFiberThatMissesItsSoftDeadlineIsPreemptedHardAtTheDeadline() {
    Machine m = Machine.create(oneCpu());
    long[] bFirstRun = {-1};
    boolean[] aWasHardPreempted = new boolean[1];
    Fiber[] a = new Fiber[1];
    a[0] = m.newProcess("a").spawn("a", 0, self -> self.work(1_000 * US)); // no safe point inside
    m.newProcess("b").spawn("b", 0, self -> {
      bFirstRun[0] = self.now();
      aWasHardPreempted[0] = a[0].isHardPreempted();
      self.work(10 * US);
    });
    long elapsed = m.run();
    assertEquals(200 * US, bFirstRun[0], "quantum end (100 us) + grace (100 us)");
    assertEquals(1, a[0].hardPreemptions());
    assertTrue(aWasHardPreempted[0], "K42: hard-preempted until re-dispatched");
    assertEquals(1_000 * US, m.ledger().fiberNs(a[0], Category.USER), "no work is lost by preemption");
    assertEquals(1_010 * US, elapsed);
  }

  @Test
  void softThenHardInOneRun() {
    // a honours the first soft preemption (it is between safe points), ignores the second (one long
    // work call), and is preempted hard at the second deadline.
    Machine m = Machine.create(oneCpu());
    List<Long> bRuns = new ArrayList<>();
    Fiber a = m.newProcess("a").spawn("a", 0, self -> {
      for (int i = 0; i < 10; i++) {
        self.work(10 * US);
      }
      self.work(5_000 * US);
    });
    m.newProcess("b").spawn("b", 0, self -> {
      for (int i = 0; i < 2; i++) {
        bRuns.add(self.now());
        self.work(100 * US);
        self.yieldCpu();
      }
    });
    m.run();
    assertEquals(1, a.softPreemptions());
    assertTrue(a.hardPreemptions() >= 1);
    assertEquals(100 * US, bRuns.get(0));
  }

  @Test
  void aWakeOfAHigherPriorityClassPreemptsHardAtOnce() {
    Machine m = Machine.create(oneCpu());
    long[] urgentRan = {-1};
    Fiber low = m.newProcess("low", 5, 1024).spawn("low", 0, self -> self.work(1_000 * US));
    m.newProcess("urgent", 2, 1024).spawn("urgent", 0, self -> {
      self.sleep(50 * US);
      urgentRan[0] = self.now();
    });
    m.run();
    assertEquals(50 * US, urgentRan[0]);
    assertEquals(1, low.hardPreemptions());
  }

  @Test
  void theRealEngineHardPreemptsAtTheNextWorkSlice() {
    Machine m =
        Machine.create(Machines.real(1).defaultQuantumNs(1_000 * US).preemptGraceNs(1_000 * US).build());
    List<String> finished = Collections.synchronizedList(new ArrayList<>());
    Fiber a = m.newProcess("a").spawn("a", 0, self -> {
      self.work(200_000 * US);
      finished.add("a");
    });
    m.newProcess("b").spawn("b", 0, self -> {
      self.work(10 * US);
      finished.add("b");
    });
    m.run();
    assertEquals(List.of("b", "a"), finished);
    assertTrue(a.hardPreemptions() >= 1);
    assertTrue(m.ledger().fiberNs(a, Category.USER) >= 200_000 * US);
  }
}
