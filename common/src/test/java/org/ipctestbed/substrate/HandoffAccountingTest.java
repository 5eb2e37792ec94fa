package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-off keeping the charge account: K42's borrowed domain (research/k42.md 3.1 (c), 3.2). Exact
 * figures, so the simulated engine with the zero cost model: only declared work takes time.
 */
class HandoffAccountingTest {
  private static final long US = 1_000;

  /** A server that, each time it is handed the CPU, works {@code serviceNs} and hands it back. */
  private static final class Server {
    Fiber fiber;
    Fiber client;
    long epochAtCall;
    int slowReturns;
  }

  private static Server server(Process p, long serviceNs, boolean keepAccount) {
    Server s = new Server();
    s.fiber =
        p.spawnDaemon("server", 0, self -> {
          self.block("waiting for a call");
          while (true) {
            self.work(serviceNs);
            if (keepAccount && self.cpu().schedulingEpoch() == s.epochAtCall) {
              self.handoff(s.client, true, "waiting for a call"); // fast return: borrowing intact
            } else {
              s.slowReturns++; // the scheduler noticed: return through the scheduler
              s.client.wake();
              self.block("waiting for a call");
            }
          }
        });
    return s;
  }

  private static void call(Fiber self, Server s, boolean keepAccount) {
    s.client = self;
    s.epochAtCall = self.cpu().schedulingEpoch();
    while (s.fiber.state() != FiberState.BLOCKED) {
      self.yieldCpu();
    }
    self.handoff(s.fiber, keepAccount, "in call");
  }

  @Test
  void handoffThatKeepsTheAccountChargesTheServersWorkToTheCaller() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").defaultQuantumNs(10_000 * US).build());
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    Server s = server(server, 1_000 * US, true);
    client.spawn("client", 0, self -> {
      for (int i = 0; i < 5; i++) {
        self.work(100 * US);
        call(self, s, true);
      }
    });
    m.run();
    assertEquals(5 * 100 * US + 5 * 1_000 * US, m.ledger().processNs(client, Category.USER));
    assertEquals(0, m.ledger().processNs(server, Category.USER));
    assertEquals(0, s.slowReturns);
    assertEquals(0, m.ledger().identityError());
  }

  @Test
  void quantumExpiryDuringABorrowedHandoffMovesTheRestToTheServer() {
    // Client quantum 100 us: the client works 50 us, calls; the server's 300 us of work crosses the
    // quantum end at t = 100 us. The 50 us before it are the client's, the 250 us after it the server's.
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server", 4, 1024, 10_000 * US);
    Process client = m.newProcess("client", 4, 1024, 100 * US);
    Server s = server(server, 300 * US, true);
    boolean[] borrowingSeen = new boolean[1];
    client.spawn("client", 0, self -> {
      self.work(50 * US);
      call(self, s, true);
      borrowingSeen[0] = self.cpu().isBorrowing();
    });
    m.run();
    assertEquals(50 * US + 50 * US, m.ledger().processNs(client, Category.USER));
    assertEquals(250 * US, m.ledger().processNs(server, Category.USER));
    assertEquals(1, s.slowReturns, "the return after a scheduling event goes through the scheduler");
    assertFalse(borrowingSeen[0]);
    assertEquals(0, m.ledger().identityError());
  }

  @Test
  void handoffThroughTheSchedulerChargesTheServerFromTheStart() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    Server s = server(server, 1_000 * US, false);
    client.spawn("client", 0, self -> {
      for (int i = 0; i < 3; i++) {
        call(self, s, false);
      }
    });
    m.run();
    assertEquals(3 * 1_000 * US, m.ledger().processNs(server, Category.USER));
    assertEquals(0, m.ledger().processNs(client, Category.USER));
  }

  @Test
  void whileBorrowingTheCpuReportsIt() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    boolean[] seen = new boolean[2];
    Fiber[] c = new Fiber[1];
    Fiber srv =
        server.spawnDaemon("server", 0, self -> {
          self.block("waiting for a call");
          seen[0] = self.cpu().isBorrowing();
          seen[1] = self.cpu().chargedAccount() == c[0].account();
          self.handoff(c[0], true, "done");
        });
    c[0] = client.spawn("client", 0, self -> {
      while (srv.state() != FiberState.BLOCKED) {
        self.yieldCpu();
      }
      self.handoff(srv, true, "in call");
    });
    m.run();
    assertTrue(seen[0]);
    assertTrue(seen[1]);
  }

  @Test
  void aParkedFiberSpawnedDuringABorrowedHandoffLeavesTheBorrowingIntact() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    Fiber[] c = new Fiber[1];
    Fiber[] grown = new Fiber[1];
    boolean[] borrowingAfterSpawn = new boolean[1];
    Fiber first =
        server.spawnDaemon("first", 0, self -> {
          self.block("free list");
          long epoch = self.cpu().schedulingEpoch();
          grown[0] = server.spawnParked("grown", 0, "free list", s -> {
            s.work(10 * US);
            s.handoff(c[0], true, "free list");
          });
          borrowingAfterSpawn[0] = self.cpu().isBorrowing() && self.cpu().schedulingEpoch() == epoch;
          self.handoff(grown[0], true, "free list"); // starts the parked fiber's body
        });
    c[0] = client.spawn("client", 0, self -> {
      while (first.state() != FiberState.BLOCKED) {
        self.yieldCpu();
      }
      self.handoff(first, true, "in call");
    });
    m.run();
    assertTrue(borrowingAfterSpawn[0]);
    assertEquals(10 * US, m.ledger().processNs(client, Category.USER), "the grown thread's work is the caller's");
    assertEquals(FiberState.BLOCKED, grown[0].state());
  }
}
