package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Process death anywhere in a call chain (research/k42.md 1.6 step 6: a fault other than {@code
 * EAGAIN} resumes the caller with the error; a reply to a gone caller is discarded): no caller hangs,
 * the machine is not corrupted, the run ends only when every live client is done, and the ledger
 * balances. Every placement: the fast path on the caller's stack ({@code upcall}), the hand-off to
 * the server thread's own stack ({@code handoff}), a server on another CPU ({@code remote}), async
 * PPC ({@code async}), in both engines. Times are long enough for the real engine; nothing asserts
 * on them.
 */
class ProcessDeathTest {
  private static long unit(String engine) {
    return engine.equals("sim") ? 100 * Rig.US : 20_000 * Rig.US; // 100 us simulated, 20 ms real
  }

  private static PpcConfig config(String placement) {
    return PpcConfig.DEFAULT.withUpcall(!placement.equals("handoff"));
  }

  /** Client CPU for a placement: the server side is always on CPU 0. */
  private static int clientCpu(String placement) {
    return placement.equals("remote") ? 1 : 0;
  }

  private static XObject sleeper(long ns, AtomicInteger served, AtomicInteger started) {
    return XObject.builder("sleeper").method((self, caller, in, out) -> {
      started.incrementAndGet();
      self.sleep(ns);
      served.incrementAndGet();
      out.word(0, 42);
      return Status.OK;
    }).build();
  }

  /** Sleeps in steps of a tenth of {@code u} until {@code cond} holds (real hosts are loaded). */
  private static void await(Fiber self, long u, BooleanSupplier cond) {
    while (!cond.getAsBoolean()) {
      self.sleep(u / 10);
    }
  }

  private static void assertBalanced(Machine m) {
    assertEquals(0, m.ledger().identityError(), "accounts + idle = CPUs x elapsed");
  }

  /**
   * A → B → C; B is killed while it waits for C. A gets {@code ESRCH}; C finishes its call and its
   * reply to the dead B is dropped. On the upcall placement C runs on A's stack, so A learns of B's
   * death when C returns (the stack is shared; see the package overview).
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"sim,upcall", "sim,handoff", "sim,remote", "real,upcall", "real,handoff", "real,remote"})
  void aDeadMiddleServerGivesItsCallerEsrchAndTheReplyFromBelowIsDropped(String engine, String placement) {
    long u = unit(engine);
    Machine m = Rig.machine(Rig.of(engine, 2));
    PpcKernel k = PpcKernel.install(m, config(placement));
    AtomicInteger servedC = new AtomicInteger();
    AtomicInteger startedC = new AtomicInteger();
    PpcProcess c = Rig.ppc(k, m.newProcess("C"), 0);
    ObjectHandle toC = c.handle(c.export(sleeper(3 * u, servedC, startedC)));
    Process bp = m.newProcess("B");
    PpcProcess b = Rig.ppc(k, bp, 0);
    AtomicInteger bSawRc = new AtomicInteger(-1);
    ObjectHandle toB = b.handle(b.export(XObject.builder("middle").method((self, caller, in, out) -> {
      bSawRc.set(b.attach(self).call(toC, 0, in, new IpcMessage(PpcPage.LENGTH_MAX)));
      return Status.OK;
    }).build()));
    int cc = clientCpu(placement);
    PpcProcess a = Rig.ppc(k, m.newProcess("A"), cc);
    int[] rc = {-1, -1};
    a.spawn("a", cc, t -> {
      rc[0] = t.call(toB, 0, Rig.msg(), Rig.msg());
      rc[1] = t.call(toB, 0, Rig.msg(), Rig.msg());
      t.fiber().sleep(5 * u); // C is a daemon: keep the run going until it is done
    });
    m.newProcess("killer").spawn("k", 1, self -> {
      await(self, u, () -> startedC.get() > 0); // B waits for C
      bp.kill();
    });
    m.run();
    assertEquals(Status.ESRCH, rc[0], "the call B held when it died");
    assertEquals(Status.ESRCH, rc[1], "a later call to the dead B");
    assertEquals(1, servedC.get(), "C finished the call it was given");
    assertEquals(-1, bSawRc.get(), "B never ran again: C's reply was dropped");
    assertTrue(k.page(0).isEmpty() && k.page(1).isEmpty());
    assertBalanced(m);
  }

  /**
   * Two client processes call one server; one is killed in the middle of its call. The run still
   * waits for the other, which completes every call; the server's reply to the dead client is
   * dropped and the server goes on serving.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"sim,upcall", "sim,handoff", "sim,remote", "real,upcall", "real,handoff", "real,remote"})
  void aCallerKilledMidCallDoesNotEndTheRunEarlyNorStrandOtherClients(String engine, String placement) {
    long u = unit(engine);
    Machine m = Rig.machine(Rig.of(engine, 2));
    PpcKernel k = PpcKernel.install(m, config(placement));
    AtomicInteger served = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    PpcProcess s = Rig.ppc(k, m.newProcess("S"), 0);
    ObjectHandle oh = s.handle(s.export(sleeper(2 * u, served, started)));
    int cc = clientCpu(placement);
    Process victimP = m.newProcess("victim");
    PpcProcess victim = Rig.ppc(k, victimP, cc);
    PpcProcess other = Rig.ppc(k, m.newProcess("other"), cc);
    AtomicInteger victimReturned = new AtomicInteger();
    victim.spawn("v", cc, t -> {
      t.call(oh, 0, Rig.msg(), Rig.msg());
      victimReturned.incrementAndGet();
    });
    int calls = 3;
    AtomicInteger ok = new AtomicInteger();
    AtomicBoolean victimDead = new AtomicBoolean();
    other.spawn("o", cc, t -> {
      await(t.fiber(), u, victimDead::get); // the victim's call is in service and it is dead
      for (int i = 0; i < calls; i++) {
        if (t.call(oh, 0, Rig.msg(), Rig.msg()) == Status.OK) {
          ok.incrementAndGet();
        }
      }
    });
    m.newProcess("killer").spawn("k", 1, self -> {
      await(self, u, () -> started.get() > 0);
      victimP.kill();
      victimDead.set(true);
    });
    m.run();
    assertEquals(calls, ok.get(), "the other client was not stranded");
    assertEquals(0, victimReturned.get(), "the dead caller never ran on");
    assertEquals(calls + 1, served.get(), "the server finished the dead caller's call too");
    assertBalanced(m);
  }

  /**
   * Async: a receiver killed while its handler serves a message; the sender's later sends get {@code
   * ESRCH}, and a sender killed after depositing does not stop the receiver serving another sender.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"sim,0", "sim,1", "real,0", "real,1"})
  void deathOnEitherSideOfAnAsyncPpcLeavesNoHungThreadAndABalancedLedger(String engine, int senderCpu) {
    long u = unit(engine);
    Machine m = Rig.machine(Rig.of(engine, 2));
    PpcKernel k = PpcKernel.install(m);
    AtomicLong handled = new AtomicLong();
    Process rp = m.newProcess("receiver");
    PpcProcess r = Rig.ppc(k, rp, 0);
    ObjectHandle oh = r.handle(r.export(XObject.builder("slow").method((self, caller, in, out) -> {
      self.sleep(u);
      handled.incrementAndGet();
      return Status.OK;
    }).build()));
    Process deadSender = m.newProcess("dead-sender");
    PpcProcess ds = Rig.ppc(k, deadSender, senderCpu);
    AtomicBoolean deposited = new AtomicBoolean();
    AtomicBoolean killed = new AtomicBoolean();
    ds.spawn("ds", senderCpu, t -> {
      assertEquals(Status.OK, t.sendAsync(oh, 0, Rig.msg()));
      deposited.set(true);
      t.fiber().sleep(1000 * u); // killed long before
    });
    PpcProcess live = Rig.ppc(k, m.newProcess("live-sender"), senderCpu);
    int[] last = {-1};
    live.spawn("ls", senderCpu, t -> {
      Fiber self = t.fiber();
      await(self, u, killed::get); // the dead sender is gone
      assertEquals(Status.OK, t.sendAsync(oh, 0, Rig.msg()));
      await(self, u, () -> handled.get() == 2);
      rp.kill();
      self.sleep(u);
      last[0] = t.sendAsync(oh, 0, Rig.msg());
    });
    m.newProcess("killer").spawn("k", 1, self -> {
      await(self, u, deposited::get);
      deadSender.kill();
      killed.set(true);
    });
    m.run();
    assertEquals(2, handled.get(), "the dead sender's message and the live one's");
    assertEquals(Status.ESRCH, last[0]);
    assertBalanced(m);
  }

  /** A receiver killed in the middle of handling: its sender is not affected, the run ends. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"sim", "real"})
  void aReceiverKilledWhileItsHandlerIsBusyEndsCleanly(String engine) {
    long u = unit(engine);
    Machine m = Rig.machine(Rig.of(engine, 2));
    PpcKernel k = PpcKernel.install(m);
    AtomicLong handled = new AtomicLong();
    Process rp = m.newProcess("receiver");
    PpcProcess r = Rig.ppc(k, rp, 0);
    AtomicBoolean busy = new AtomicBoolean();
    ObjectHandle oh = r.handle(r.export(XObject.builder("slow").method((self, caller, in, out) -> {
      busy.set(true);
      self.sleep(3 * u);
      handled.incrementAndGet();
      return Status.OK;
    }).build()));
    PpcProcess sender = Rig.ppc(k, m.newProcess("sender"), 1);
    int[] rcs = {-1, -1};
    sender.spawn("s", 1, t -> {
      rcs[0] = t.sendAsync(oh, 0, Rig.msg());
      await(t.fiber(), u, () -> !rp.isAlive());
      t.fiber().sleep(5 * u);
      rcs[1] = t.sendAsync(oh, 0, Rig.msg());
    });
    m.newProcess("killer").spawn("k", 1, self -> {
      await(self, u, busy::get);
      rp.kill();
    });
    m.run();
    assertEquals(Status.OK, rcs[0]);
    assertEquals(Status.ESRCH, rcs[1]);
    assertEquals(0, handled.get(), "the handler died with its process");
    assertBalanced(m);
  }
}
