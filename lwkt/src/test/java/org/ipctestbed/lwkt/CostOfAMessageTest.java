package org.ipctestbed.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;

/**
 * What one synchronous message costs on each path, in virtual time under the modern-x86 cost model,
 * derived from the named costs the path charges (research/lwkt.md sections 2-5). The figures are
 * exact because the simulated engine is: each expected value below is the sum the path must pay,
 * so a change to a path's mechanism shows up here.
 */
class CostOfAMessageTest {
  private static final CostModel X86 = CostModel.named("modern-x86");
  private static final int N = 100;

  private static long c(Cost cost) {
    return X86.ns(cost, 1);
  }

  /** A dispatch through the scheduler: decision plus switch (charged by the substrate). */
  private static long dispatch() {
    return c(Cost.SCHED_DECISION) + c(Cost.THREAD_SWITCH);
  }

  private interface Client {
    void oneMessage(Fiber self, ThreadPort reply, LwktMsg msg);
  }

  private static long perMessage(Machine m, Client client) {
    long[] ns = new long[1];
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      client.oneMessage(self, reply, msg); // warm: servers asleep in waitport
      long t0 = self.now();
      for (int i = 0; i < N; i++) {
        client.oneMessage(self, reply, msg);
      }
      ns[0] = (self.now() - t0) / N;
    });
    m.run();
    return ns[0];
  }

  @Test
  void theDomsgFastPathCostsNoMechanismTimeAtAll() {
    LwktPort sync = LwktPort.putOnly("sync", (s, p, msg) -> 0);
    long ns = perMessage(Machines.sim(1), (self, reply, msg) -> {
      Lwkt.initmsg(msg, reply, 0);
      Lwkt.domsg(self, sync, msg, 0);
    });
    assertEquals(0, ns);
  }

  @Test
  void aDomsgToAThreadPortOnTheSameCpuCostsTwoQueueOperationsAndTwoDispatches() {
    Machine m = Machines.sim(1);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 0, 0);
    long ns = perMessage(m, (self, reply, msg) -> {
      Lwkt.initmsg(msg, reply, 0);
      Lwkt.domsg(self, server, msg, 0);
    });
    // put (queue op), switch to the server, pull (queue op), SYNC reply (flag only), switch back
    // the dispatches switch between the client's and the server's process: address-space switches
    assertEquals(2 * c(Cost.QUEUE_OP) + 2 * (dispatch() + c(Cost.ADDRESS_SPACE_SWITCH)), ns);
  }

  @Test
  void aDomsgAcrossCpusCostsTwoIpisEachWay() {
    Machine m = Machines.sim(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 0);
    long ns = perMessage(m, (self, reply, msg) -> {
      Lwkt.initmsg(msg, reply, 0);
      Lwkt.domsg(self, server, msg, 0);
    });
    // IPI to the owner's CPU, which takes the interrupt, runs the request (queues and wakes the
    // server); pull; IPI back, taken the same way, which marks DONE
    long ipi = c(Cost.IPI_SEND) + c(Cost.IPI_LATENCY) + c(Cost.INTERRUPT) + c(Cost.IPI_REQUEST);
    long expected = 2 * (ipi + dispatch()) + c(Cost.QUEUE_OP);
    assertEquals(expected, ns);
  }

  @Test
  void anAsynchronousSendAndItsQueuedReplyCostTwoMoreQueueOperationsThanDomsg() {
    Machine m = Machines.sim(1);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 0, 0);
    long ns = perMessage(m, (self, reply, msg) -> {
      Lwkt.initmsg(msg, reply, 0);
      Lwkt.sendmsg(self, server, msg);
      Lwkt.waitport(self, reply, 0);
    });
    // put, pull, queue the reply on the reply port, pull it: four queue operations, two dispatches
    assertEquals(4 * c(Cost.QUEUE_OP) + 2 * (dispatch() + c(Cost.ADDRESS_SPACE_SWITCH)), ns);
  }
}
