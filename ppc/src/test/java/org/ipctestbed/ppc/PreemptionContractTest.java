package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invariant 15 and research/k42.md 4.4: soft preemption (a {@code PREEMPT} warning with a deadline;
 * the dispatcher saves its thread at user level and yields; it keeps accepting PPCs) and hard
 * preemption (past the deadline the kernel saves the full context; the dispatcher is disabled and
 * refuses PPCs, which are retried once it runs again), with their named costs and counters.
 *
 * <p>Set-up, one CPU: a server whose thread computes; a client of the same class wakes up during
 * that computation (a soft preemption of the server, k42.md 4.2) and calls the server. A server that
 * computes in short steps honours the warning; one that computes inside a critical section (a
 * disabled dispatcher) cannot, and is stopped hard at the deadline.
 */
class PreemptionContractTest {
  private record Outcome(PpcStats stats, long latency, int rc, Machine machine, Dispatcher server, boolean disabledSeen) {}

  private static Outcome run(String engine, boolean honours) {
    boolean sim = engine.equals("sim");
    long u = sim ? 100 * Rig.US : 5_000 * Rig.US;
    Machine m = Rig.machine(Rig.of(engine, 1).costModel("modern-x86").defaultQuantumNs(Process.MIN_QUANTUM_NS).preemptGraceNs(u / 5));
    // A short quantum: should the client's wake not preempt (on a loaded host its domain may have been
    // charged more than the server's), the next quantum expiry with the client runnable does.
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    Dispatcher d = server.dispatcherOn(0);
    ObjectHandle oh = server.handle(server.export(Rig.echo()));
    AtomicBoolean computing = new AtomicBoolean();
    server.spawn("compute", 0, t -> {
      Fiber self = t.fiber();
      self.sleep(u / 10); // the client is asleep by now
      if (honours) {
        computing.set(true);
        for (int i = 0; i < 100; i++) {
          self.work(u / 20); // a safe point every u/20
        }
      } else {
        self.critEnter(); // disabled: the warning cannot be honoured
        computing.set(true);
        self.work(5 * u);
        self.critExit();
      }
    });
    long[] latency = {-1};
    int[] rc = {-1};
    boolean[] disabledSeen = {false};
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    client.spawn("c", 0, t -> {
      Fiber self = t.fiber();
      while (!computing.get()) {
        self.sleep(u / 10); // a wake during the computation: a soft preemption of the server
      }
      disabledSeen[0] = d.isDisabled();
      long start = self.now();
      rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg());
      latency[0] = self.now() - start;
    });
    m.run();
    return new Outcome(k.stats(), latency[0], rc[0], m, d, disabledSeen[0]);
  }

  @ParameterizedTest
  @CsvSource({"sim", "real"})
  void invariant15_aDispatcherThatYieldsInTimeIsSoftPreemptedAndKeepsAcceptingCalls(String engine) {
    Outcome o = run(engine, true);
    assertEquals(Status.OK, o.rc());
    assertTrue(o.stats().softPreemptions() >= 1, o.stats().toString());
    assertEquals(0, o.stats().hardPreemptions(), o.stats().toString());
    assertEquals(0, o.stats().refusedWhileDisabled(), "a soft-preempted dispatcher is not disabled");
    assertFalse(o.disabledSeen());
    assertTrue(o.machine().ledger().costCount(Cost.SOFT_PREEMPT_SAVE) >= 1, "the user-level save is charged");
    assertEquals(0, o.machine().ledger().costCount(Cost.HARD_PREEMPT_SAVE));
  }

  @ParameterizedTest
  @CsvSource({"sim", "real"})
  void invariant15_pastTheDeadlineTheKernelSavesTheContextAndTheDispatcherRefusesCallsUntilItRunsAgain(String engine) {
    Outcome o = run(engine, false);
    assertEquals(Status.OK, o.rc(), "the refused call was retried, never seen as EAGAIN");
    assertTrue(o.stats().hardPreemptions() >= 1, o.stats().toString());
    assertTrue(o.disabledSeen(), "the hard-preempted dispatcher was disabled");
    assertTrue(o.stats().refusedWhileDisabled() >= 1, o.stats().toString());
    assertTrue(o.stats().retries() >= 1, o.stats().toString());
    assertTrue(o.machine().ledger().costCount(Cost.HARD_PREEMPT_SAVE) >= 1, "the kernel save is charged");
    assertFalse(o.server().isDisabled(), "enabled again once it ran");
  }

  /** k42.md 4.4: soft preemption is the cheaper one, both in its own cost and for a PPC that arrives. */
  @ParameterizedTest
  @CsvSource({"sim"})
  void softPreemptionCostsLessAndDelaysAnArrivingCallLessThanHard(String engine) {
    Outcome soft = run(engine, true);
    Outcome hard = run(engine, false);
    double softCost = soft.machine().costModel().ns(Cost.SOFT_PREEMPT_SAVE);
    double hardCost = hard.machine().costModel().ns(Cost.HARD_PREEMPT_SAVE);
    assertTrue(softCost < hardCost);
    assertTrue(soft.latency() < hard.latency(), "soft " + soft.latency() + " ns, hard " + hard.latency() + " ns");
  }
}
