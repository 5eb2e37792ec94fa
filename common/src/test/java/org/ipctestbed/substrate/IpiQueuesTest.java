package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** research/lwkt.md section 7, "IPI queues": bounded FIFOs per CPU pair, in both engines. */
class IpiQueuesTest {
  @Test
  void aFifoNeverHoldsMoreThanItsCapacityAndTheRequestsACriticalSectionHoldsBackStayInIt() {
    Machine m = Machine.create(Machines.sim(2).ipiQueueCapacity(2).build());
    Process p = m.newProcess("p");
    List<Integer> delivered = new ArrayList<>();
    int[] maxInFifo = new int[1];
    int[] maxDeferred = new int[1];
    p.spawn("busy-in-crit", 1, self -> {
      self.critEnter();
      self.work(200_000);
      maxDeferred[0] = self.cpu().deferred.size();
      self.critExit();
      while (delivered.size() < 64) {
        self.work(1_000); // the run ends when this returns: take the last requests first
      }
    });
    p.spawn("sender", 0, self -> {
      for (int i = 0; i < 64; i++) {
        int k = i;
        self.chargeIpiSend(1);
        m.cpu(1).post(cpu -> delivered.add(k));
        maxInFifo[0] = Math.max(maxInFifo[0], m.ipiQueues().fifo(0, 1).size());
      }
    });
    m.run();
    assertTrue(maxInFifo[0] <= 2, "at most the capacity in the FIFO, saw " + maxInFifo[0]);
    assertEquals(0, maxDeferred[0], "nothing was copied to a deferral list");
    assertEquals(64, delivered.size());
    for (int i = 0; i < 64; i++) {
      assertEquals(i, delivered.get(i), "FIFO order");
    }
    assertTrue(m.ledger().ipiSenderStalls() > 0, "the sender waited for room");
    assertEquals(64, m.ledger().ipiRequests());
  }

  @Test
  void aBurstOfRequestsRaisesOneInterruptAndTheTargetPaysForItAndForEachRequest() {
    Machine m = Machine.create(Machines.sim(2).build());
    Process p = m.newProcess("p");
    int[] ran = new int[1];
    long[] workEnd = new long[1];
    Fiber target = p.spawn("target", 1, self -> {
      self.work(50_000);
      workEnd[0] = self.now();
    });
    p.spawn("sender", 0, self -> {
      self.work(1_000);
      for (int i = 0; i < 10; i++) {
        m.cpu(1).post(cpu -> ran[0]++);
      }
    });
    m.run();
    CostModel c = m.costModel();
    assertEquals(10, ran[0]);
    assertEquals(1, m.ledger().ipiInterruptsSent(), "one interrupt for the burst");
    assertEquals(10, m.ledger().ipiRequests());
    assertEquals(1, m.ledger().costCount(Cost.INTERRUPT));
    assertEquals(10, m.ledger().costCount(Cost.IPI_REQUEST));
    long taken = Math.round(c.ns(Cost.INTERRUPT)) + c.ns(Cost.IPI_REQUEST, 10);
    long dispatch = Math.round(c.ns(Cost.SCHED_DECISION) + c.ns(Cost.THREAD_SWITCH));
    assertEquals(dispatch + 50_000 + taken, workEnd[0], "the target's work was stretched by the interrupt");
    assertEquals(50_000, m.ledger().fiberNs(target, Category.USER), "interrupt time is not the fiber's work");
    assertEquals(0, m.ledger().identityError());
  }

  @Test
  void aRequestQueuedWhileTheTargetDrainsRaisesANewInterruptOnlyAfterItStarted() {
    Machine m = Machine.create(Machines.sim(2).build());
    Process p = m.newProcess("p");
    int[] ran = new int[1];
    p.spawn("target", 1, self -> self.work(100_000));
    p.spawn("sender", 0, self -> {
      for (int burst = 0; burst < 3; burst++) {
        for (int i = 0; i < 4; i++) {
          m.cpu(1).post(cpu -> ran[0]++);
        }
        self.work(10_000); // the target drains between bursts
      }
    });
    m.run();
    assertEquals(12, ran[0]);
    assertEquals(3, m.ledger().ipiInterruptsSent(), "one interrupt per burst");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void twoCpusFloodingEachOtherThroughTinyFifosInCriticalSectionsDoNotDeadlock(String engine) {
    Machine m = Machine.create(Machines.of(engine, 2).ipiQueueCapacity(2).build());
    Process p = m.newProcess("p");
    long[] received = new long[2];
    int n = engine.equals("sim") ? 2_000 : 20_000;
    IpiRequest[] count = {cpu -> received[cpu.index()]++, cpu -> received[cpu.index()]++};
    for (int i = 0; i < 2; i++) {
      int me = i;
      p.spawn("sender" + i, i, self -> {
        self.critEnter(); // incoming IPIs wait in the FIFOs, except while this sender waits for room
        for (int k = 0; k < n; k++) {
          self.chargeIpiSend(1 - me);
          m.cpu(1 - me).post(count[me]);
        }
        self.critExit();
        while (received[me] < n) {
          self.yieldCpu();
        }
      });
    }
    m.run();
    assertEquals(n, received[0]);
    assertEquals(n, received[1]);
    assertEquals(2L * n, m.ledger().ipiRequests());
    assertTrue(m.ledger().ipiSenderStalls() > 0);
  }

  @Test
  void theRealEngineHonoursTheCapacityAndCountsInterruptsAndRequests() {
    Machine m = Machine.create(Machines.real(2).ipiQueueCapacity(4).build());
    Process p = m.newProcess("p");
    long[] received = new long[1];
    int[] maxInFifo = new int[1];
    int n = 5_000;
    p.spawn("target", 1, self -> {
      while (received[0] < n) {
        self.work(2_000);
      }
    });
    p.spawn("sender", 0, self -> {
      for (int k = 0; k < n; k++) {
        self.chargeIpiSend(1);
        m.cpu(1).post(cpu -> received[0]++);
        maxInFifo[0] = Math.max(maxInFifo[0], m.ipiQueues().fifo(0, 1).size());
      }
    });
    m.run();
    assertEquals(n, received[0]);
    assertTrue(maxInFifo[0] <= 4, "saw " + maxInFifo[0]);
    assertEquals(n, m.ledger().ipiRequests());
    assertTrue(m.ledger().ipiInterruptsSent() >= 1 && m.ledger().ipiInterruptsSent() <= n);
    assertEquals(n, m.ledger().costCount(Cost.IPI_REQUEST));
  }
}
