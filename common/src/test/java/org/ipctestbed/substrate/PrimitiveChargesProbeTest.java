package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Probes of what each substrate primitive a mechanism uses charges by itself, in each engine: the
 * table of docs/STRATEGY-GUIDE.md ("What each primitive charges") is these tests' results (issue 14:
 * the SPI had said "nothing is charged implicitly", which is wrong).
 *
 * <ul>
 *   <li>{@code block} + {@code wake}: the CPU dispatches through the scheduler, which charges a
 *       scheduler decision, a thread switch and, when the process changes, an address-space switch,
 *       to the dispatched fiber's account as mechanism time (sim: virtual time from the cost model;
 *       real: counted, the real time measured).
 *   <li>{@code handoff(keepAccount=true)} and {@code upcall}: nothing, and the CPU keeps charging the
 *       caller's account.
 *   <li>{@code handoff(keepAccount=false)}: as a dispatch (decision, switch, address space).
 *   <li>a cross-CPU {@code wake}: nothing for the sender (no {@code IPI_SEND}); the target CPU pays an
 *       {@code INTERRUPT} and an {@code IPI_REQUEST} (DragonFly's IPI queues), and the sim engine
 *       delivers it {@code IPI_LATENCY} later.
 *   <li>{@code charge(cost)}: that cost, once, as mechanism time (sim: its figure; real: counted only).
 * </ul>
 */
class PrimitiveChargesProbeTest {
  private static Map<Cost, Long> counts(Machine m) {
    Map<Cost, Long> out = new EnumMap<>(Cost.class);
    for (Cost c : Cost.values()) {
      out.put(c, m.ledger().costCount(c));
    }
    return out;
  }

  private static Map<Cost, Long> delta(Map<Cost, Long> before, Map<Cost, Long> after) {
    Map<Cost, Long> out = new EnumMap<>(Cost.class);
    for (Cost c : Cost.values()) {
      long d = after.get(c) - before.get(c);
      if (d != 0) {
        out.put(c, d);
      }
    }
    return out;
  }

  private static Map<Cost, Long> dispatch() {
    Map<Cost, Long> out = new EnumMap<>(Cost.class);
    out.put(Cost.SCHED_DECISION, 1L);
    out.put(Cost.THREAD_SWITCH, 1L);
    out.put(Cost.ADDRESS_SPACE_SWITCH, 1L);
    return out;
  }

  /** What one probe saw: the tallies before a's step and when b ran, and the account charged then. */
  private record Probe(Machine machine, Fiber a, Fiber b, Map<Cost, Long> tallied, Account chargedWhileBRan) {}

  /** A step of a probe, run by {@code self} towards {@code other}. */
  @FunctionalInterface
  private interface Step {
    void run(Fiber self, Fiber other);
  }

  /**
   * On CPU 0: fiber a (process A) waits until b (process B) has blocked, reads the tallies and takes
   * {@code step} towards b; b, when it runs, reads them again and {@code back} towards a.
   */
  private static Probe probe(String engine, Step step, Step back) {
    Machine m = Machine.create(Machines.of(engine, 2).build());
    Fiber[] f = new Fiber[2];
    Map<Cost, Long>[] seen = newMaps(2);
    Account[] charged = new Account[1];
    f[1] = m.newProcess("B").spawnDaemon("b", 0, self -> {
      self.block("waiting for a");
      seen[1] = counts(self.machine());
      charged[0] = self.cpu().chargedAccount();
      back.run(self, f[0]);
    });
    f[0] = m.newProcess("A").spawn("a", 0, self -> {
      while (f[1].state() != FiberState.BLOCKED) {
        self.yieldCpu();
      }
      seen[0] = counts(self.machine());
      step.run(self, f[1]);
    });
    m.run();
    return new Probe(m, f[0], f[1], delta(seen[0], seen[1]), charged[0]);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void blockThenWakeChargesASchedulerDecisionAThreadSwitchAndAnAddressSpaceSwitchToTheDispatchedFiber(String engine) {
    Probe p = probe(engine,
        (self, b) -> {
          b.wake();
          self.block("waiting for b");
        },
        (self, a) -> {
          a.wake();
          self.block("done");
        });
    assertEquals(dispatch(), p.tallied(), "named costs tallied between a's wake of b and b running");
    assertSame(p.b().account(), p.chargedWhileBRan(), "a dispatch charges the dispatched fiber's own account");
    long mech = p.machine().ledger().fiberNs(p.b(), Category.MECHANISM);
    if (engine.equals("sim")) {
      CostModel cm = p.machine().costModel();
      long expected = cm.ns(Cost.SCHED_DECISION, 1) + cm.ns(Cost.THREAD_SWITCH, 1) + cm.ns(Cost.ADDRESS_SPACE_SWITCH, 1);
      assertTrue(mech >= expected, "b's mechanism time " + mech + " ns holds its dispatch (" + expected + " ns)");
    } else {
      assertEquals(0, p.machine().ledger().costNs(Cost.SCHED_DECISION), "the real engine counts, it does not model time");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void handoffKeepingTheAccountChargesNothingAndTheCpuGoesOnChargingTheCaller(String engine) {
    Probe p = probe(engine, (self, b) -> self.handoff(b, true, "in call"), (self, a) -> self.handoff(a, true, "done"));
    assertEquals(Map.of(), p.tallied(), "named costs tallied by a hand-off that keeps the account");
    assertSame(p.a().account(), p.chargedWhileBRan(), "the account charged while b runs");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void handoffThroughTheSchedulerChargesLikeADispatch(String engine) {
    Probe p = probe(engine, (self, b) -> self.handoff(b, false, "in call"), (self, a) -> self.handoff(a, false, "done"));
    assertEquals(dispatch(), p.tallied(), "named costs tallied by a hand-off through the scheduler");
    assertSame(p.b().account(), p.chargedWhileBRan(), "the account charged while b runs");
  }

  /**
   * Found while writing the guide's example: a hand-off through the scheduler to a fiber that was
   * already runnable (woken earlier) took it off the run queue and never put it back, so it was lost.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void handoffThroughTheSchedulerToAnAlreadyRunnableFiberStillRunsIt(String engine) {
    Machine m = Machine.create(Machines.of(engine, 1).build());
    boolean[] ran = new boolean[1];
    Fiber b = m.newProcess("B").spawn("b", 0, self -> {
      self.block("waiting for a");
      ran[0] = true;
    });
    m.newProcess("A").spawn("a", 0, self -> {
      while (b.state() != FiberState.BLOCKED) {
        self.yieldCpu();
      }
      b.wake(); // runnable, in the run queue
      self.handoff(b, false, null);
    });
    m.run();
    assertTrue(ran[0], "b ran after a hand-off through the scheduler found it runnable");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void upcallChargesNothingAndKeepsTheCallersAccount(String engine) {
    Map<Cost, Long>[] seen = newMaps(2);
    Account[] charged = new Account[1];
    Machine m = Machine.create(Machines.of(engine, 2).build());
    Fiber server = m.newProcess("B").spawnDaemon("b", 0, self -> self.block("waiting for upcalls"));
    Fiber a = m.newProcess("A").spawn("a", 0, self -> {
      while (server.state() != FiberState.BLOCKED) {
        self.yieldCpu();
      }
      seen[0] = counts(self.machine());
      self.upcall(server, s -> {
        seen[1] = counts(s.machine());
        charged[0] = s.cpu().chargedAccount();
        return 0;
      });
    });
    m.run();
    assertEquals(Map.of(), delta(seen[0], seen[1]), "named costs tallied by an upcall");
    assertSame(a.account(), charged[0], "the account charged while the server's code runs");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void aCrossCpuWakeChargesNoNamedCostButTheSimEngineDeliversItAnIpiLatencyLater(String engine) {
    Machine m = Machine.create(Machines.of(engine, 2).build());
    Map<Cost, Long>[] seen = newMaps(2);
    long[] at = new long[2];
    Fiber[] a = new Fiber[1];
    Fiber b = m.newProcess("B").spawnDaemon("b", 1, self -> {
      self.block("waiting for a");
      at[1] = self.now();
      seen[1] = counts(self.machine());
      a[0].wake();
      self.block("done");
    });
    a[0] = m.newProcess("A").spawn("a", 0, self -> {
      while (b.state() != FiberState.BLOCKED) {
        self.sleep(1_000);
      }
      seen[0] = counts(self.machine());
      at[0] = self.now();
      b.wake();
      self.block("waiting for b"); // CPU 0 goes idle: the only dispatch until b has run is CPU 1's
    });
    m.run();
    Map<Cost, Long> d = delta(seen[0], seen[1]);
    assertEquals(null, d.get(Cost.IPI_SEND), "IPI_SEND is charged only by a mechanism that charges it: " + d);
    Map<Cost, Long> expected = new EnumMap<>(Cost.class);
    expected.put(Cost.INTERRUPT, 1L); // the target takes the IPI's interrupt (IpiQueues: one per batch)
    expected.put(Cost.IPI_REQUEST, 1L); // and runs the request: the wake
    expected.put(Cost.SCHED_DECISION, 1L);
    expected.put(Cost.THREAD_SWITCH, 1L); // no address-space switch: CPU 1 only ever ran B
    assertEquals(expected, d, "the woken CPU's interrupt, request and dispatch, and nothing else");
    if (engine.equals("sim")) {
      long latency = m.costModel().ns(Cost.IPI_LATENCY, 1);
      assertTrue(latency > 0);
      assertTrue(at[1] - at[0] >= latency, "b ran " + (at[1] - at[0]) + " ns after the wake; the IPI latency is " + latency);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sim", "real"})
  void chargeTalliesTheNamedCostAsMechanismTimeOfTheChargedAccount(String engine) {
    Machine m = Machine.create(Machines.of(engine, 1).build());
    Map<Cost, Long>[] seen = newMaps(2);
    Fiber a = m.newProcess("A").spawn("a", 0, self -> {
      seen[0] = counts(self.machine());
      self.charge(Cost.TRAP);
      seen[1] = counts(self.machine());
    });
    m.run();
    assertEquals(Map.of(Cost.TRAP, 1L), delta(seen[0], seen[1]));
    if (engine.equals("sim")) {
      assertEquals(m.costModel().ns(Cost.TRAP, 1), m.ledger().costNs(Cost.TRAP));
      assertTrue(m.ledger().fiberNs(a, Category.MECHANISM) >= m.costModel().ns(Cost.TRAP, 1));
    } else {
      assertEquals(0, m.ledger().costNs(Cost.TRAP), "the real engine counts, it does not model time");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Cost, Long>[] newMaps(int n) {
    return new Map[n];
  }
}
