package org.ipctestbed.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.lwkt.Machines.CountingMsg;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/**
 * The invariants of research/lwkt.md section 6 that do not depend on exact timing, in the real engine:
 * two carriers running in parallel, so the cross-CPU paths race for real. Timing-dependent ones
 * (invariant 13's "once per sleep", invariant 8's latency) are checked in the simulated engine only.
 */
class RealEngineInvariantsTest {
  private static final int N = 3_000;

  @Test
  void invariants05and07_domsgAcrossCpusNeverReturnsBeforeDoneAndItsSyncReplyIsNeverQueued() {
    Machine m = Machines.real(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 0);
    ThreadPort[] reply = new ThreadPort[1];
    m.newProcess("client").spawn("c", 0, self -> {
      reply[0] = new ThreadPort(self);
      CountingMsg msg = new CountingMsg();
      for (int i = 0; i < N; i++) {
        Lwkt.initmsg(msg, reply[0], 0);
        msg.cmd = i;
        assertEquals(0, Lwkt.domsg(self, server, msg, 0));
        assertEquals(MsgFlags.DONE | MsgFlags.REPLY | MsgFlags.SYNC, msg.flags());
        assertEquals(i + 1, msg.result, "the server's result is visible once DONE");
        assertEquals(i + 1, msg.replies);
      }
    });
    m.run();
    assertEquals(0, reply[0].repliesQueued());
  }

  @Test
  void invariants01and04and08and10_asyncSendsFromTwoCpusAreQueuedByTheOwnersCpuAndRepliedOnceToTheirReplyPorts() {
    Machine m = Machines.real(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 0);
    Process clients = m.newProcess("clients");
    int window = 16;
    ThreadPort[] replies = new ThreadPort[2];
    for (int cpu = 0; cpu < 2; cpu++) {
      int c = cpu;
      clients.spawn("client" + cpu, cpu, self -> {
        ThreadPort reply = new ThreadPort(self);
        replies[c] = reply;
        CountingMsg[] msgs = new CountingMsg[window];
        for (int i = 0; i < window; i++) {
          msgs[i] = new CountingMsg();
          Lwkt.initmsg(msgs[i], reply, 0);
          Lwkt.sendmsg(self, server, msgs[i]);
        }
        for (int sent = window; sent < N; sent++) {
          CountingMsg done = (CountingMsg) Lwkt.waitport(self, reply, 0);
          assertEquals(MsgState.OWNED, done.state());
          assertTrue(done.queue() == null);
          assertEquals(server, done.targetPort());
          Lwkt.initmsg(done, reply, 0);
          Lwkt.sendmsg(self, server, done);
        }
        int total = 0;
        for (int i = 0; i < window; i++) {
          Lwkt.waitport(self, reply, 0);
        }
        for (CountingMsg msg : msgs) {
          total += msg.replies;
        }
        assertEquals(N, total, "every send replied exactly once");
      });
    }
    m.run();
    assertEquals(N, server.remotePuts(), "CPU 0's sends were queued by CPU 1 on arrival");
    assertEquals(N, server.localPuts());
    assertEquals(N, replies[0].repliesQueued());
    assertEquals(N, replies[1].repliesQueued());
    assertEquals(0, server.repliesQueued());
  }

  @Test
  void invariant15_theServerThreadsWorkIsChargedToTheServerInTheRealEngine() {
    Machine m = Machines.real(2);
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    ThreadPort port = Machines.echoServer(server, 1, 20_000);
    client.spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      for (int i = 0; i < 200; i++) {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(self, port, msg, 0);
      }
    });
    m.run();
    assertTrue(m.ledger().processNs(server, Category.USER) >= 200 * 20_000L);
    assertEquals(0, m.ledger().processNs(client, Category.USER));
  }
}
