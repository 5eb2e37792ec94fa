package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** research/k42.md section 6, "Accounting": invariants 7–9. */
class AccountingInvariantsTest {
  private static XObject working(long ns) {
    return XObject.builder("work").method((self, caller, in, out) -> {
      self.work(ns);
      return Status.OK;
    }).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant07_withNoSchedulingEventTheCallerPaysAllTheServiceTime(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 1).defaultQuantumNs(40_000_000L));
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(working(20 * Rig.US)));
    Process cp = m.newProcess("client");
    PpcProcess client = Rig.ppc(k, cp, 0);
    int calls = 50;
    client.spawn("c", 0, t -> {
      IpcMessage in = Rig.msg();
      IpcMessage out = Rig.msg();
      for (int i = 0; i < calls; i++) {
        t.call(oh, 0, in, out);
      }
    });
    m.run();
    long serverUser = m.ledger().processNs(sp, Category.USER);
    long clientUser = m.ledger().processNs(cp, Category.USER);
    assertEquals(0, k.stats().slowReturns(), "no scheduling event during the calls");
    assertEquals(0, serverUser, "the server's domain is charged nothing");
    if (engine.equals("sim")) {
      assertEquals(calls * 20 * Rig.US, clientUser);
      assertEquals(0, m.ledger().processNs(sp));
    } else {
      assertTrue(clientUser >= calls * 20 * Rig.US, "client charged " + clientUser);
    }
  }

  @Test
  void invariant07_theServersChargeDoesNotGrowWithTheNumberOfCalls() {
    long[] serverTotal = new long[2];
    long[] clientTotal = new long[2];
    for (int run = 0; run < 2; run++) {
      Machine m = Rig.machine(Rig.sim(1).costModel("modern-x86"));
      PpcKernel k = PpcKernel.install(m);
      Process sp = m.newProcess("server");
      PpcProcess server = Rig.ppc(k, sp, 0);
      ObjectHandle oh = server.handle(server.export(working(5 * Rig.US)));
      Process cp = m.newProcess("client");
      PpcProcess client = Rig.ppc(k, cp, 0);
      int calls = 100 * (run + 1);
      client.spawn("c", 0, t -> {
        IpcMessage in = Rig.msg().length(64);
        IpcMessage out = Rig.msg();
        for (int i = 0; i < calls; i++) {
          t.call(oh, 0, in, out);
        }
      });
      m.run();
      serverTotal[run] = m.ledger().processNs(sp);
      clientTotal[run] = m.ledger().processNs(cp);
      assertEquals(0, m.ledger().identityError());
    }
    assertEquals(serverTotal[0], serverTotal[1], "server charged only its start-up, whatever the calls");
    assertTrue(clientTotal[1] - clientTotal[0] >= 100 * 5 * Rig.US, "the client pays for the extra calls");
  }

  @Test
  void invariant08_aQuantumExpiryDuringServiceMovesTheRestToTheServerAndTheReplyWaitsForTheCaller() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server", 4, 1024, 10_000 * Rig.US);
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(working(300 * Rig.US)));
    Process cp = m.newProcess("client", 4, 1024, 100 * Rig.US);
    PpcProcess client = Rig.ppc(k, cp, 0);
    boolean[] ownAccountAfter = new boolean[1];
    client.spawn("c", 0, t -> {
      t.fiber().yieldCpu(); // start on a fresh quantum
      t.call(oh, 0, Rig.msg(), Rig.msg());
      ownAccountAfter[0] = t.fiber().cpu().chargedAccount() == t.fiber().account();
    });
    m.run();
    assertEquals(100 * Rig.US, m.ledger().processNs(cp, Category.USER), "before the expiry: the caller");
    assertEquals(200 * Rig.US, m.ledger().processNs(sp, Category.USER), "after it: the server");
    assertEquals(1, k.stats().slowReturns());
    assertTrue(ownAccountAfter[0], "the client resumes charged to its own account");
  }

  @Test
  void invariant08_aHigherPriorityWakeDuringServiceEndsTheBorrowing() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(working(300 * Rig.US)));
    Process cp = m.newProcess("client");
    PpcProcess client = Rig.ppc(k, cp, 0);
    Process hp = m.newProcess("urgent", 2, 1024);
    hp.spawn("u", 0, self -> {
      self.sleep(50 * Rig.US);
      self.work(10 * Rig.US);
    });
    long[] done = new long[1];
    client.spawn("c", 0, t -> {
      t.call(oh, 0, Rig.msg(), Rig.msg());
      done[0] = t.fiber().now();
    });
    m.run();
    assertEquals(50 * Rig.US, m.ledger().processNs(cp, Category.USER));
    assertEquals(250 * Rig.US, m.ledger().processNs(sp, Category.USER));
    assertEquals(10 * Rig.US, m.ledger().processNs(hp, Category.USER));
    assertEquals(310 * Rig.US, done[0]);
    assertEquals(1, k.stats().slowReturns());
  }

  @Test
  void invariant09_remoteAndAsyncPpcsAreServedInTheServersOwnDomain() {
    Machine m = Rig.machine(Rig.sim(2));
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(working(40 * Rig.US)));
    Process cp = m.newProcess("client");
    PpcProcess client = Rig.ppc(k, cp, 0);
    client.createDispatcher(1);
    int[] rc = new int[3];
    client.spawn("remote", 1, t -> rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg()));
    client.spawn("async-local", 0, t -> rc[1] = t.sendAsync(oh, 0, Rig.msg()));
    client.spawn("async-remote", 1, t -> rc[2] = t.sendAsync(oh, 0, Rig.msg()));
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(Status.OK, rc[1]);
    assertEquals(Status.OK, rc[2]);
    assertEquals(3 * 40 * Rig.US, m.ledger().processNs(sp, Category.USER));
    assertEquals(0, m.ledger().processNs(cp, Category.USER));
    assertEquals(1, k.stats().remoteCalls());
  }

  @Test
  void invariant09_theTargetsOwnWorkWhileItRefusesACallIsChargedToTheTarget() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    Process sp = m.newProcess("server", 4, 1024);
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(working(10 * Rig.US)));
    server.spawn("busy", 0, t -> t.fiber().work(300 * Rig.US));
    Process cp = m.newProcess("client", 3, 1024);
    PpcProcess client = Rig.ppc(k, cp, 0);
    client.spawn("c", 0, t -> {
      t.fiber().sleep(100 * Rig.US);
      t.call(oh, 0, Rig.msg(), Rig.msg());
    });
    m.run();
    assertEquals(1, k.stats().refusals());
    // The busy thread's 300 us stay with the server; the retried call is a normal call made by the
    // client once it runs again in its own domain (K42's IPCFaultOnThread re-issues IPC_CALL), so its
    // 10 us of service are the client's.
    assertEquals(300 * Rig.US, m.ledger().processNs(sp, Category.USER));
    assertEquals(10 * Rig.US, m.ledger().processNs(cp, Category.USER));
  }

  /**
   * Invariant 9 as amended: a remote call that finds no free server thread (and none can be made)
   * is answered {@code ENOMEM} by {@code IPCCallEntry} at once; it does not wait in the mailbox for
   * a thread to be freed.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant09_aRemoteCallWithNoFreeServerThreadGetsEnomemAtOnce(String engine) {
    long u = engine.equals("sim") ? 100 * Rig.US : 20_000 * Rig.US;
    Machine m = Rig.machine(Rig.of(engine, 2));
    PpcKernel k = PpcKernel.install(m, PpcConfig.DEFAULT.withMaxServerThreads(1));
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh = server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
      self.sleep(10 * u);
      return Status.OK;
    }).build()));
    int[] rc = {-1, -1};
    long[] answeredAt = {-1};
    PpcProcess first = Rig.ppc(k, m.newProcess("first"), 1);
    first.spawn("f", 1, t -> rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg()));
    PpcProcess second = Rig.ppc(k, m.newProcess("second"), 1);
    long[] started = {0};
    second.spawn("s", 1, t -> {
      t.fiber().sleep(u); // the only server thread is busy with the first call
      started[0] = t.fiber().now();
      rc[1] = t.call(oh, 0, Rig.msg(), Rig.msg());
      answeredAt[0] = t.fiber().now();
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(PpcStatus.ENOMEM, rc[1]);
    assertEquals(1, k.stats().enomem());
    assertTrue(answeredAt[0] - started[0] < 9 * u, "answered before the busy thread was freed");
    assertTrue(k.page(0).isEmpty() && k.page(1).isEmpty());
  }
}
