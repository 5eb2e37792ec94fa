package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * research/k42.md 4.4: the two saves happen at the preemption, not when the preempted thread next
 * runs. Soft: the dispatcher "saves thread state at user level, and yields", its own time, before the
 * CPU goes to anyone else. Hard: at the deadline "its state is saved in the kernel", kernel time on
 * the preempted dispatcher's account, before the next dispatch. Set-up, one CPU: a PPC process whose
 * daemon thread computes for ever (in short steps, or disabled in a critical section) and a one-level
 * process that wakes during it, preempts it, runs once and ends the run: the preempted thread never
 * runs again, so a save charged only on its resumption would never be charged at all.
 */
class PreemptionSaveTimingTest {
  private record Outcome(Machine machine, Process preempted) {}

  private static Outcome run(String engine, boolean honours) {
    boolean sim = engine.equals("sim");
    long u = sim ? 100 * Rig.US : 5_000 * Rig.US;
    Machine m = Rig.machine(Rig.of(engine, 1).costModel("modern-x86").deterministic(true).preemptGraceNs(u / 5));
    PpcKernel k = PpcKernel.install(m);
    Process pp = m.newProcess("two-level");
    PpcProcess two = Rig.ppc(k, pp, 0);
    pp.spawnDaemon("compute", 0, self -> {
      two.attach(self);
      self.sleep(u / 10); // the other process runs first, and sleeps
      if (honours) {
        for (;;) {
          self.work(u / 50); // a safe point every u/50, well inside the warning
        }
      }
      self.critEnter(); // disabled for ever: only the kernel can stop it
      self.work(Long.MAX_VALUE / 4);
    });
    m.newProcess("other").spawn("wakes", 0, self -> {
      self.sleep(u); // wakes during the computation: a soft preemption of it (k42.md 4.2)
      self.work(u);
    });
    m.run();
    return new Outcome(m, pp);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void theSoftSaveIsChargedWhenTheDispatcherYieldsEvenIfItsThreadNeverRunsAgain(String engine) {
    Outcome o = run(engine, true);
    long saves = o.machine().ledger().costCount(Cost.SOFT_PREEMPT_SAVE);
    assertTrue(engine.equals("sim") ? saves == 1 : saves >= 1, "soft saves: " + saves);
    assertEquals(0, o.machine().ledger().costCount(Cost.HARD_PREEMPT_SAVE));
    if (engine.equals("sim")) {
      assertEquals(o.machine().costModel().ns(Cost.SOFT_PREEMPT_SAVE), o.machine().ledger().costNs(Cost.SOFT_PREEMPT_SAVE));
      assertTrue(o.machine().ledger().processNs(o.preempted(), Category.MECHANISM) >= o.machine().costModel().ns(Cost.SOFT_PREEMPT_SAVE),
          "charged to the preempted dispatcher's process at user level");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void theHardSaveIsChargedAtTheDeadlineOnThePreemptedAccountBeforeTheNextDispatch(String engine) {
    Outcome o = run(engine, false);
    long saves = o.machine().ledger().costCount(Cost.HARD_PREEMPT_SAVE);
    // On the real engine the thread may run again before the machine stops, and be stopped again.
    assertTrue(engine.equals("sim") ? saves == 1 : saves >= 1, "hard saves: " + saves);
    assertEquals(0, o.machine().ledger().costCount(Cost.SOFT_PREEMPT_SAVE));
    if (engine.equals("sim")) {
      double save = o.machine().costModel().ns(Cost.HARD_PREEMPT_SAVE);
      assertEquals(save, o.machine().ledger().costNs(Cost.HARD_PREEMPT_SAVE));
      assertTrue(o.machine().ledger().processNs(o.preempted(), Category.MECHANISM) >= save,
          "the kernel's save is on the preempted account");
    }
  }
}
