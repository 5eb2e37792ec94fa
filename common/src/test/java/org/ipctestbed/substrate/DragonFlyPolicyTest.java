package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ipctestbed.substrate.sched.DragonFlyPolicy;
import org.ipctestbed.substrate.sched.SchedulerPolicy;
import org.junit.jupiter.api.Test;

/** DragonFly's own scheduling (research/lwkt.md 7): LWKT fixed priorities, usched_bsd4's decaying usage on top. */
class DragonFlyPolicyTest {
  private static Machine sim() {
    return Machine.create(Machines.sim(1).policy("dragonfly").build());
  }

  @Test
  void itIsFoundByNameAndItsAliases() {
    assertEquals("dragonfly", SchedulerPolicy.named("dragonfly").name());
    assertEquals("dragonfly", SchedulerPolicy.named("usched-bsd4").name());
    assertTrue(SchedulerPolicy.NAMES.contains("dragonfly"));
  }

  @Test
  void aKernelThreadRunsBeforeEveryUserThreadWhateverTheirClasses() {
    Machine m = sim();
    List<String> order = new ArrayList<>();
    m.newProcess("user-best", 1, 1024).spawn("u", 0, self -> order.add("user"));
    m.newKernelProcess("kernel", 7, 1024).spawn("k", 0, self -> order.add("kernel"));
    m.run();
    assertEquals(List.of("kernel", "user"), order);
  }

  @Test
  void aUserProcessThatUsedMoreCpuWaitsBehindOneThatUsedLess() {
    Machine m = sim();
    List<String> order = new ArrayList<>();
    Process heavy = m.newProcess("heavy");
    Process light = m.newProcess("light");
    Fiber[] h = new Fiber[1];
    h[0] = heavy.spawn("heavy", 0, self -> {
      self.work(20 * DragonFlyPolicy.ESTCPU_NS_PER_STEP); // builds up estcpu
      light.spawn("light", 0, s -> order.add("light"));
      self.yieldCpu(); // both runnable now: the lighter user runs first
      order.add("heavy");
    });
    m.run();
    assertEquals(List.of("light", "heavy"), order);
  }

  @Test
  void usageDecaysSoThatAnOldHeavyUserIsEqualAgainLater() {
    Machine m = sim();
    List<String> order = new ArrayList<>();
    Process heavy = m.newProcess("heavy");
    Process light = m.newProcess("light");
    heavy.spawn("heavy", 0, self -> {
      self.work(20 * DragonFlyPolicy.ESTCPU_NS_PER_STEP);
      self.sleep(10 * DragonFlyPolicy.DECAY_NS); // idle for ten time constants: estcpu decays to ~0
      self.work(1); // charged: brings its usage up to date
      light.spawn("light", 0, s -> order.add("light"));
      self.yieldCpu(); // equal priorities now: round robin puts the yielder behind
      order.add("heavy");
    });
    m.run();
    assertEquals(List.of("light", "heavy"), order);
  }
}
