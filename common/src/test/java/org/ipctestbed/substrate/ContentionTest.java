package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 12, "Shared-state contention": a cache line last written by another CPU is transferred, the
 * transfers of one line serialise, and a lock's hold time serialises its users, in the simulated
 * engine; the real engine charges none of it (the hardware does).
 */
class ContentionTest {
  private static Machine sim(int cpus) {
    return Machine.create(Machines.sim(cpus).build()); // deterministic: each transfer 40 ns
  }

  @Test
  void aWriteByTheLastWriterIsFreeAndAWriteFromAnotherCpuPaysOneTransfer() {
    Machine m = sim(2);
    SharedLine line = new SharedLine("x");
    long[] cost = new long[3];
    Process p = m.newProcess("p");
    p.spawn("a", 0, self -> {
      line.write(self); // first touch: free
      long t = self.now();
      line.write(self); // still ours: free
      cost[0] = self.now() - t;
      self.sleep(1_000);
      t = self.now();
      line.write(self); // b wrote it meanwhile
      cost[2] = self.now() - t;
    });
    p.spawn("b", 1, self -> {
      self.sleep(500);
      long t = self.now();
      line.write(self);
      cost[1] = self.now() - t;
    });
    m.run();
    assertEquals(0, cost[0]);
    assertEquals(40, cost[1]);
    assertEquals(40, cost[2]);
    assertEquals(2, m.ledger().costCount(Cost.CACHE_LINE_TRANSFER));
  }

  @Test
  void cpusWritingOneLineAtOnceSerialiseOnItsTransfers() {
    int n = 8;
    Machine m = sim(n + 1);
    SharedLine line = new SharedLine("hot");
    long[] done = new long[n];
    Process p = m.newProcess("p");
    p.spawn("first", n, self -> line.write(self));
    for (int i = 0; i < n; i++) {
      int me = i;
      p.spawn("w" + i, i, self -> {
        self.sleep(1_000); // all at the same virtual instant
        line.write(self);
        done[me] = self.now();
      });
    }
    m.run();
    long latest = 0;
    for (long d : done) {
      latest = Math.max(latest, d);
    }
    long earliest = Long.MAX_VALUE;
    for (long d : done) {
      earliest = Math.min(earliest, d);
    }
    assertEquals(40L * (n - 1), latest - earliest, "one transfer at a time");
    assertEquals(40L * n * (n - 1) / 2, m.ledger().costNs(Cost.CONTENTION_WAIT));
    // the machine names the point and holds its share of the ledger's totals
    assertEquals(java.util.List.of(line), m.contentionPoints());
    assertEquals(n, line.transfers());
    assertEquals(m.ledger().costNs(Cost.CONTENTION_WAIT), line.waitNs());
  }

  @Test
  void aLineNoOtherCpuTouchesIsNoContentionPoint() {
    Machine m = sim(2);
    SharedLine mine = new SharedLine("mine");
    m.newProcess("p").spawn("a", 0, self -> {
      for (int i = 0; i < 10; i++) {
        mine.write(self);
      }
    });
    m.run();
    assertTrue(m.contentionPoints().isEmpty(), m.contentionPoints().toString());
    assertEquals(0, mine.transfers());
  }

  @Test
  void aContendedLockMakesTheSecondAcquirerWaitForTheFirstsHold() {
    Machine m = sim(2);
    ContendedLock lock = new ContendedLock("l", Cost.QUEUE_OP);
    long[] acquiredAt = new long[2];
    Process p = m.newProcess("p");
    for (int i = 0; i < 2; i++) {
      int me = i;
      p.spawn("f" + i, i, self -> {
        self.sleep(1_000);
        long t0 = self.now();
        lock.acquire(self);
        acquiredAt[me] = self.now() - t0;
        self.charge(Cost.QUEUE_OP); // the critical section
      });
    }
    m.run();
    // both try at the same instant t. f0: ATOMIC 10 (first touch), holds for QUEUE_OP 15 -> free at
    // t + 25; f1 waits 25, takes the line from CPU 0 (40) and pays its ATOMIC (10)
    assertEquals(10, acquiredAt[0]);
    assertEquals(75, acquiredAt[1]);
    assertEquals(25, m.ledger().costNs(Cost.CONTENTION_WAIT));
    assertEquals(java.util.List.of(lock.line()), m.contentionPoints());
    assertEquals(25, lock.line().waitNs());
  }

  @Test
  void theRealEngineChargesNoModelledContention() {
    Machine m = Machine.create(Machines.real(2).build());
    SharedLine line = new SharedLine("x");
    Process p = m.newProcess("p");
    for (int i = 0; i < 2; i++) {
      p.spawn("f" + i, i, self -> {
        for (int k = 0; k < 100; k++) {
          line.write(self);
        }
      });
    }
    m.run();
    assertEquals(0, m.ledger().costCount(Cost.CACHE_LINE_TRANSFER));
    assertEquals(0, m.ledger().costCount(Cost.CONTENTION_WAIT));
    assertTrue(line.owner() < 0);
  }

  @Test
  void ipiSendersOnManyCpusContendForTheTargetsQueueLine() {
    int n = 4;
    Machine m = sim(n + 1);
    Process p = m.newProcess("p");
    for (int i = 0; i < n; i++) {
      p.spawn("s" + i, i, self -> {
        for (int k = 0; k < 10; k++) {
          self.chargeIpiSend(n);
          self.sleep(100);
        }
      });
    }
    m.run();
    assertTrue(m.ledger().costCount(Cost.CACHE_LINE_TRANSFER) >= 10 * n - 1, "transfers " + m.ledger().costCount(Cost.CACHE_LINE_TRANSFER));
    assertTrue(m.ledger().costNs(Cost.CONTENTION_WAIT) > 0);
  }
}
