package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * research/k42.md 4.1 (the kernel schedules dispatchers, a dispatcher schedules its threads) and 1.4
 * (a thread off the ready queue lets the dispatcher run its other threads): a thread's voluntary
 * yield, and a thread blocking outside any server, switch to another ready thread of the same
 * dispatcher at user level, with no kernel scheduling decision, while another process is ready too.
 */
class UserLevelSwitchTest {
  private static final int ROUNDS = 10;

  private record Outcome(Machine machine, List<String> order) {}

  /** Two threads of a PPC process on CPU 0, and a one-level process ready beside them. */
  private static Outcome run(String engine, boolean block) {
    Machine m = Rig.machine(Rig.of(engine, 1).defaultQuantumNs(Process.MAX_QUANTUM_NS));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess p = Rig.ppc(k, m.newProcess("two-level"), 0);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    for (String name : new String[] {"a", "b"}) {
      p.spawn(name, 0, t -> {
        for (int i = 0; i < ROUNDS; i++) {
          order.add(name);
          if (block) {
            t.fiber().sleep(1); // blocks (a timer wakes it): the sibling runs meanwhile
          } else {
            t.yieldThread();
          }
        }
      });
    }
    m.newProcess("other").spawn("other", 0, self -> order.add("other"));
    m.run();
    return new Outcome(m, order);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aVoluntaryYieldRunsTheSiblingThreadAtUserLevel(String engine) {
    Outcome o = run(engine, false);
    List<String> mine = new ArrayList<>(o.order());
    mine.remove("other");
    for (int i = 0; i < mine.size(); i++) {
      assertEquals(i % 2 == 0 ? "a" : "b", mine.get(i), "strict alternation: " + mine);
    }
    assertTrue(o.machine().ledger().costCount(Cost.USER_THREAD_SWITCH) >= 2 * ROUNDS - 1, o.order().toString());
    if (engine.equals("sim")) {
      // The dispatcher kept the CPU: the other process, ready all along, ran only once both ended.
      assertEquals("other", o.order().get(o.order().size() - 1), o.order().toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aThreadBlockingOutsideAnyServerLetsItsSiblingRunAtUserLevel(String engine) {
    Outcome o = run(engine, true);
    assertEquals(2 * ROUNDS + 1, o.order().size());
    assertTrue(o.machine().ledger().costCount(Cost.USER_THREAD_SWITCH) >= ROUNDS, o.order().toString());
    if (engine.equals("sim")) {
      List<String> first = o.order().subList(0, 2);
      assertEquals(List.of("a", "b"), first, "b ran when a blocked, before the other process: " + o.order());
    }
  }

  /** k42.md 4.3: {@code hasWork} is the kernel-visible sign that the dispatcher has a ready thread. */
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void hasWorkIsSetWhileASiblingIsReadyAndClearedWhenNoneIs(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 1).defaultQuantumNs(Process.MAX_QUANTUM_NS));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess p = Rig.ppc(k, m.newProcess("two-level"), 0);
    Dispatcher d = p.dispatcherOn(0);
    boolean[] seen = new boolean[3];
    p.spawn("a", 0, t -> {
      seen[0] = d.hasWork(); // b is ready behind a
      t.yieldThread(); // b runs, and ends
      seen[1] = d.hasWork(); // nothing else of this dispatcher is ready
    });
    p.spawn("b", 0, t -> seen[2] = true);
    m.run();
    assertTrue(seen[2]);
    assertTrue(seen[0], "a sibling was ready");
    assertTrue(!seen[1], "no thread of the dispatcher is ready");
  }
}
