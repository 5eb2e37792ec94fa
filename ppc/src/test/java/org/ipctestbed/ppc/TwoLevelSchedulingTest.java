package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberState;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * K42's two levels of scheduling (research/k42.md 4.1, 1.4, 3.3): the kernel schedules dispatchers,
 * each dispatcher schedules its own threads at user level.
 */
class TwoLevelSchedulingTest {
  private static long unit(String engine) {
    return engine.equals("sim") ? 100 * Rig.US : 5_000 * Rig.US;
  }

  /**
   * k42.md 3.3 item 1: a server thread that blocks while serving a call on the borrowed domain lets
   * its dispatcher run another ready server thread at user level, with no kernel scheduling decision,
   * and that work is charged to the caller until the next scheduling event.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aServerThreadBlockingOnTheBorrowedDomainSwitchesAtUserLevelChargedToTheCaller(String engine) {
    long u = unit(engine);
    Machine m = Rig.machine(Rig.of(engine, 1).defaultQuantumNs(40_000_000L));
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    Fiber[] worker = new Fiber[1];
    AtomicBoolean go = new AtomicBoolean();
    AtomicBoolean waiting = new AtomicBoolean();
    worker[0] = server.spawn("worker", 0, t -> {
      waiting.set(true);
      while (!go.get()) {
        t.fiber().block("waits for the server method");
      }
      t.fiber().work(u); // the server's other work, run while the serving thread sleeps
    });
    ObjectHandle oh = server.handle(server.export(XObject.builder("blocks").method((self, caller, in, out) -> {
      go.set(true);
      worker[0].wake(); // made ready inside the running dispatcher: no kernel decision
      self.sleep(2 * u); // blocks inside the server
      return Status.OK;
    }).build()));
    Process cp = m.newProcess("client");
    PpcProcess client = Rig.ppc(k, cp, 0);
    int[] rc = {-1};
    client.spawn("c", 0, t -> {
      while (!waiting.get()) {
        t.fiber().sleep(u / 10); // until the worker has run once and blocked
      }
      rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg());
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertTrue(m.ledger().costCount(Cost.USER_THREAD_SWITCH) >= 1, "the dispatcher switched at user level");
    long clientUser = m.ledger().processNs(cp, Category.USER);
    long serverUser = m.ledger().processNs(sp, Category.USER);
    if (engine.equals("sim")) {
      assertEquals(u, clientUser, "the worker's work was charged to the borrower");
      assertEquals(0, serverUser);
    } else {
      assertTrue(clientUser >= u / 2 && clientUser > serverUser, "mostly on the borrower: client " + clientUser + " server " + serverUser);
    }
  }

  /** A one-level process (no user-level scheduler) blocking goes through the kernel as before. */
  @Test
  void aProcessWithoutDispatchersKeepsOneLevelScheduling() {
    Machine m = Rig.machine(Rig.sim(1));
    Process p = m.newProcess("plain");
    Fiber[] other = new Fiber[1];
    other[0] = p.spawn("a", 0, self -> {
      self.block("wait");
      self.work(10 * Rig.US);
    });
    p.spawn("b", 0, self -> {
      self.sleep(Rig.US);
      other[0].wake();
      self.block("forever, woken below");
    });
    m.newProcess("waker").spawn("w", 0, self -> {
      self.sleep(100 * Rig.US);
      m.processes().get(0).fibers().get(1).wake();
    });
    m.run();
    assertEquals(0, m.ledger().costCount(Cost.USER_THREAD_SWITCH));
  }

  /**
   * k42.md 1.4: a thread blocked in a PPC is PPC_BLOCKED and off the ready queue, while the caller's
   * other threads keep running on the caller's dispatcher during the call.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aSiblingThreadMakesProgressDuringALongSynchronousCall(String engine) {
    long u = unit(engine);
    Machine m = Rig.machine(Rig.of(engine, 1).defaultQuantumNs(Math.max(100_000L, u)));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh = server.handle(server.export(XObject.builder("long").method((self, caller, in, out) -> {
      for (int i = 0; i < 40; i++) {
        self.work(u / 2); // 20 units of computing inside the server
      }
      return Status.OK;
    }).build()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    AtomicLong progress = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    long[] duringCall = {-1, -1};
    boolean[] callerBlockedInPpc = {false};
    PpcThread[] caller = new PpcThread[1];
    client.spawn("caller", 0, t -> {
      caller[0] = t;
      t.fiber().sleep(u / 10); // the sibling is running
      long before = progress.get();
      int rc = t.call(oh, 0, Rig.msg(), Rig.msg());
      duringCall[0] = progress.get() - before;
      duringCall[1] = rc;
      done.set(true);
    });
    client.spawn("sibling", 0, t -> {
      while (!done.get()) {
        t.fiber().work(u / 10);
        progress.incrementAndGet();
        PpcThread c = caller[0];
        if (c != null && c.awaitingReply()) {
          callerBlockedInPpc[0] |= c.fiber().state() == FiberState.BLOCKED;
        }
      }
    });
    m.run();
    assertEquals(Status.OK, duringCall[1]);
    assertTrue(duringCall[0] > 0, "the sibling ran during the call: " + duringCall[0]);
    assertTrue(callerBlockedInPpc[0], "the caller was PPC_BLOCKED, not runnable, while the sibling ran");
  }

  /** Server threads made for a burst are retired afterwards, so later calls meet a small table. */
  @Test
  void serverThreadsMadeForABurstAreRetiredAfterwards() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m, PpcConfig.DEFAULT.withKeptServerThreads(4));
    PpcProcess server = k.process(m.newProcess("server"));
    Dispatcher d = server.createDispatcher(0);
    ObjectHandle oh = server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
      self.sleep(100 * Rig.US);
      return Status.OK;
    }).build()));
    int burst = 64;
    int[] ok = new int[1];
    for (int i = 0; i < burst; i++) {
      PpcProcess c = Rig.ppc(k, m.newProcess("client" + i), 0);
      c.spawn("c", 0, t -> {
        int r = t.call(oh, 0, Rig.msg(), Rig.msg()); // read before ok[0]: the call blocks
        ok[0] += r == Status.OK ? 1 : 0;
      });
    }
    int[] peak = new int[1];
    int[] later = new int[1];
    PpcProcess lateClient = Rig.ppc(k, m.newProcess("late"), 0);
    lateClient.spawn("late", 0, t -> {
      t.fiber().sleep(50 * Rig.US);
      peak[0] = d.serverThreads();
      t.fiber().sleep(1_000 * Rig.US); // the burst is over
      for (int i = 0; i < 10; i++) {
        later[0] += t.call(oh, 0, Rig.msg(), Rig.msg()) == Status.OK ? 1 : 0;
      }
    });
    m.run();
    assertEquals(burst, ok[0]);
    assertEquals(10, later[0]);
    assertEquals(burst, peak[0], "one thread per outstanding call during the burst (invariant 3)");
    assertTrue(d.serverThreads() <= 5, "idle threads beyond the kept 4 were retired: " + d.serverThreads());
    assertTrue(d.serverThreadsRetired() >= burst - 5);
    assertFalse(d.isDisabled());
  }
}
