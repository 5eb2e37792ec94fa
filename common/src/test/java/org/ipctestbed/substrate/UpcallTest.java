package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Fiber.upcall: a server's code on the caller's stack, K42's PPC fast path (research/k42.md 1.2, 3.1). */
class UpcallTest {
  private static final long US = 1_000;

  @Test
  void theServerRunsAsItselfOnTheCallersStackAndTheCallerPays() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    Fiber worker = server.spawnDaemon("worker", 0, self -> self.block("on the free list"));
    Object[] seen = new Object[3];
    Fiber c = client.spawn("client", 0, self -> {
      self.yieldCpu(); // let the worker block first
      int r = self.upcall(worker, s -> {
        seen[0] = Fiber.current();
        seen[1] = self.state();
        s.work(500 * US);
        return 42;
      });
      seen[2] = r;
    });
    m.run();
    assertSame(worker, seen[0]);
    assertEquals(FiberState.BLOCKED, seen[1]);
    assertEquals(42, seen[2]);
    assertEquals(500 * US, m.ledger().fiberNs(c, Category.USER));
    assertEquals(0, m.ledger().processNs(server, Category.USER));
    assertEquals(FiberState.BLOCKED, worker.state());
    assertEquals("on the free list", worker.blockReason());
  }

  @Test
  void aQuantumExpiryDuringTheUpcallMovesTheRestToTheServerAndTheReturnIsSlow() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server", 4, 1024, 10_000 * US);
    Process client = m.newProcess("client", 4, 1024, 100 * US);
    Fiber worker = server.spawnDaemon("worker", 0, self -> self.block("on the free list"));
    long[] epochs = new long[2];
    client.spawn("client", 0, self -> {
      self.yieldCpu();
      self.work(50 * US);
      epochs[0] = self.cpu().schedulingEpoch();
      self.upcall(worker, s -> {
        s.work(300 * US);
        return 0;
      });
      epochs[1] = self.cpu().schedulingEpoch();
    });
    m.run();
    assertEquals(100 * US, m.ledger().processNs(client, Category.USER));
    assertEquals(250 * US, m.ledger().processNs(server, Category.USER));
    assertTrue(epochs[1] > epochs[0] + 1, "the slow return went through a dispatch");
  }

  @Test
  void aServerThatBlocksInsideTheUpcallIsResumedByAWake() {
    Machine m = Machine.create(Machines.sim(1).costModel("zero").build());
    Process server = m.newProcess("server");
    Fiber worker = server.spawnDaemon("worker", 0, self -> self.block("on the free list"));
    boolean[] ready = new boolean[1];
    int[] result = new int[1];
    m.newProcess("client").spawn("client", 0, self -> {
      self.yieldCpu();
      result[0] = self.upcall(worker, s -> {
        while (!ready[0]) {
          s.block("waiting for the disk");
        }
        return 7;
      });
    });
    m.newProcess("disk").spawn("disk", 0, self -> {
      self.work(10 * US);
      ready[0] = true;
      worker.wake();
    });
    m.run();
    assertEquals(7, result[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void upcallsNest(String engine) {
    Machine m = Machine.create(Machines.of(engine, 1).build());
    Fiber a = m.newProcess("a").spawnDaemon("a", 0, self -> self.block("free"));
    Fiber b = m.newProcess("b").spawnDaemon("b", 0, self -> self.block("free"));
    int[] r = new int[1];
    m.newProcess("client").spawn("client", 0, self -> {
      self.yieldCpu();
      for (int i = 0; i < 1_000; i++) {
        r[0] += self.upcall(a, sa -> sa.upcall(b, sb -> {
          sb.work(100);
          return Fiber.current() == b ? 1 : -1000;
        }));
      }
    });
    m.run();
    assertEquals(1_000, r[0]);
    assertEquals(0, m.ledger().identityError());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aServerKilledDuringAnUpcallGivesTheCallerItsStackBackWithDeadProcessException(String engine) {
    Machine m = Machine.create(Machines.of(engine, 2).build());
    Process server = m.newProcess("server");
    Fiber worker = server.spawnDaemon("worker", 0, self -> self.block("on the free list"));
    java.util.concurrent.atomic.AtomicBoolean inService = new java.util.concurrent.atomic.AtomicBoolean();
    String[] outcome = new String[1];
    boolean[] ranAfterKill = new boolean[1];
    m.newProcess("client").spawn("client", 0, self -> {
      self.yieldCpu();
      try {
        self.upcall(worker, s -> {
          inService.set(true);
          s.work(50_000_000); // 50 ms: the kill lands inside
          ranAfterKill[0] = true;
          return 0;
        });
        outcome[0] = "returned";
      } catch (DeadProcessException e) {
        outcome[0] = "dead";
      }
      self.work(1_000); // the client keeps running
    });
    m.newProcess("killer").spawn("killer", 1, self -> {
      while (!inService.get()) {
        self.sleep(1_000);
      }
      self.sleep(10_000);
      server.kill();
    });
    m.run();
    assertEquals("dead", outcome[0]);
    assertTrue(!ranAfterKill[0]);
    assertEquals(FiberState.DONE, worker.state());
  }
}
