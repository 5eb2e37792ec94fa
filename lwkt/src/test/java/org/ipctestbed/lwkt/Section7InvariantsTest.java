package org.ipctestbed.lwkt;

import static org.ipctestbed.lwkt.InvariantsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.ipctestbed.lwkt.Machines.CountingMsg;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The invariants research/lwkt.md section 7 adds (16, 17, 20), and {@code forwardmsg} to each kind
 * of target, by name; the simulated engine, and the real one where the outcome does not depend on
 * timing.
 */
class Section7InvariantsTest {
  private static Machine machine(String engine, int cpus) {
    return engine.equals("sim") ? Machines.sim(cpus) : Machines.real(cpus);
  }

  /** What a refused operation must leave as it was: flags, queue, error, result. */
  private record Snapshot(int flags, LwktMsgQueue queue, int error, long result) {
    static Snapshot of(LwktMsg m) {
      return new Snapshot(m.flags(), m.queue(), m.error(), m.result);
    }
  }

  private static void assertRefusedAndUnchanged(LwktMsg msg, Runnable op, String what) {
    Snapshot before = Snapshot.of(msg);
    RuntimeException e = assertThrows(RuntimeException.class, op::run, what + " should be refused");
    assertTrue(e instanceof PortException || e instanceof MsgStateException, what + ": " + e);
    assertEquals(before, Snapshot.of(msg), what + " was refused but changed the message");
  }

  @Test
  void invariant16_dropmsgRefusesAMessageNotMarkedDropableOnEveryPortThatDrops() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      ThreadPort reply = ThreadPort.of(self);
      LwktPort[] ports = {new ThreadPort(m.cpu(0), "thread"), new SpinPort("spin", self)};
      ((ThreadPort) ports[0]).bindOwner(self);
      for (LwktPort port : ports) {
        LwktMsg msg = new LwktMsg();
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.sendmsg(self, port, msg);
        assertRefusedAndUnchanged(msg, () -> Lwkt.dropmsg(self, msg), "dropmsg of a non-DROPABLE message on " + port);
        assertSame(msg, Lwkt.getport(self, port), "still queued after the refused drop");
        Lwkt.replymsg(self, msg, 0);
        assertEquals(0, Lwkt.waitmsg(self, msg, 0));

        LwktMsg dropable = new LwktMsg();
        Lwkt.initmsg(dropable, reply, MsgFlags.DROPABLE);
        Lwkt.sendmsg(self, port, dropable);
        assertEquals(0, Lwkt.dropmsg(self, dropable), port.toString());
        assertEquals(MsgState.OWNED, dropable.state());
      }
    });
    m.run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant17_aDomsgRefusedForAReplyPortOwnedByAnotherThreadLeavesTheMessageSendableAgain(String engine) {
    Machine m = machine(engine, 2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 0);
    Process p = m.newProcess("p");
    ThreadPort[] othersPort = new ThreadPort[1];
    p.spawnDaemon("other", 0, self -> {
      othersPort[0] = ThreadPort.of(self);
      self.block("idle forever");
    });
    p.spawn("t", 0, self -> {
      self.yieldCpu(); // let "other" make its port
      CountingMsg msg = new CountingMsg();
      Lwkt.initmsg(msg, othersPort[0], 0);
      assertRefusedAndUnchanged(msg, () -> Lwkt.domsg(self, server, msg, 0), "domsg with another thread's reply port");
      assertEquals(MsgState.OWNED, msg.state());
      assertEquals(0, msg.replies, "the server never saw it");
      Lwkt.initmsg(msg, ThreadPort.of(self), 0);
      msg.cmd = 41;
      assertEquals(0, Lwkt.domsg(self, server, msg, 0), "sent again after the refusal");
      assertEquals(42, msg.result);
    });
    m.run();
  }

  @Test
  void invariant17_aSendRefusedByASerializerPortLeavesTheMessageSendableAgain() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      LwktSerializer slz = new LwktSerializer("if0");
      SerializerPort port = new SerializerPort("if0.port", slz);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, ThreadPort.of(self), 0);
      assertRefusedAndUnchanged(msg, () -> Lwkt.sendmsg(self, port, msg), "sendmsg without the serializer");
      assertRefusedAndUnchanged(msg, () -> Lwkt.domsg(self, port, msg, 0), "domsg without the serializer");
      slz.enter(self);
      Lwkt.sendmsg(self, port, msg);
      assertSame(msg, Lwkt.getport(self, port));
      slz.exit(self);
    });
    m.run();
  }

  /**
   * Every port kind against every operation it can refuse: sends to it, a {@code domsg} whose reply
   * port it is, a reply through it, a forward to it, and the owner operations; each refusal leaves
   * the message exactly as it was.
   */
  @Test
  void invariant17_everyRefusedOperationOnEveryPortKindChangesNothing() {
    Machine m = Machines.sim(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 0);
    Process p = m.newProcess("p");
    ThreadPort[] notMine = new ThreadPort[1];
    p.spawnDaemon("other", 0, self -> {
      notMine[0] = ThreadPort.of(self);
      self.block("idle forever");
    });
    p.spawn("t", 0, self -> {
      self.yieldCpu();
      Map<String, LwktPort> kinds = new LinkedHashMap<>();
      kinds.put("thread port of another thread", notMine[0]);
      kinds.put("serializer port not held", new SerializerPort("ser", new LwktSerializer("s")));
      kinds.put("reply-only null port", LwktPort.replyOnlyNull("null"));
      kinds.put("reply-only port", LwktPort.replyOnly("fn", (s, port, msg) -> Lwkt.nullReply(msg)));
      kinds.put("put-only port", LwktPort.putOnly("put", (s, port, msg) -> 0));
      kinds.put("panic port", LwktPort.panic("panic"));
      ThreadPort mine = ThreadPort.of(self);
      Function<LwktPort, LwktMsg> fresh = reply -> {
        LwktMsg msg = new LwktMsg();
        Lwkt.initmsg(msg, reply, 0);
        return msg;
      };
      int refusals = 0;
      for (Map.Entry<String, LwktPort> e : kinds.entrySet()) {
        LwktPort k = e.getValue();
        String name = e.getKey();
        boolean putLegal = k instanceof SpecialPorts.PutOnly || k instanceof ThreadPort;
        if (!putLegal) {
          LwktMsg msg = fresh.apply(mine);
          assertRefusedAndUnchanged(msg, () -> Lwkt.sendmsg(self, k, msg), "sendmsg to " + name);
          assertRefusedAndUnchanged(msg, () -> Lwkt.domsg(self, k, msg, 0), "domsg to " + name);
          assertEquals(0, Lwkt.domsg(self, server, msg, 0), "sendable again after refusals by " + name);
          refusals += 2;
        }
        LwktMsg waiting = fresh.apply(k); // every kind here refuses a waitmsg by this thread
        assertRefusedAndUnchanged(waiting, () -> Lwkt.domsg(self, server, waiting, 0), "domsg waiting on " + name);
        Lwkt.initmsg(waiting, mine, 0);
        assertEquals(0, Lwkt.domsg(self, server, waiting, 0), "sendable again after " + name + " refused the wait");
        refusals++;
        // A message in progress (received by this thread from its own port) and replied or forwarded.
        LwktMsg inProgress = fresh.apply(k);
        Lwkt.sendmsg(self, mine, inProgress);
        assertSame(inProgress, Lwkt.getport(self, mine));
        boolean replyLegal = k instanceof SpecialPorts.ReplyOnlyNull || k instanceof SpecialPorts.ReplyOnly
            || k instanceof ThreadPort;
        if (!replyLegal) {
          assertRefusedAndUnchanged(inProgress, () -> Lwkt.replymsg(self, inProgress, 7), "replymsg through " + name);
          refusals++;
        }
        if (!putLegal) {
          assertRefusedAndUnchanged(inProgress, () -> Lwkt.forwardmsg(self, k, inProgress), "forwardmsg to " + name);
          refusals++;
        }
        assertEquals(MsgState.IN_PROGRESS, inProgress.state());
        // owner operations
        if (!(k instanceof SpecialPorts.PutOnly)) {
          int queued = k.queued();
          assertThrows(PortException.class, () -> Lwkt.getport(self, k), "getport on " + name);
          assertThrows(PortException.class, () -> Lwkt.waitport(self, k, 0), "waitport on " + name);
          assertEquals(queued, k.queued());
          refusals += 2;
        }
      }
      assertTrue(refusals >= 20, "refusals checked: " + refusals);
    });
    m.run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void forwardmsgToAThreadPortOnAnotherCpuIsQueuedThereAndRepliedToTheOriginalReplyPort(String engine) {
    Machine m = machine(engine, 2);
    ThreadPort far = Machines.echoServer(m.newProcess("far"), 1, 0);
    int n = 200;
    m.newProcess("p").spawn("relay", 0, self -> {
      ThreadPort front = new ThreadPort(m.cpu(0), "front");
      front.bindOwner(self);
      ThreadPort reply = ThreadPort.of(self);
      for (int i = 0; i < n; i++) {
        CountingMsg msg = new CountingMsg();
        Lwkt.initmsg(msg, reply, 0);
        msg.cmd = i;
        Lwkt.sendmsg(self, front, msg);
        LwktMsg got = Lwkt.getport(self, front);
        assertSame(msg, got);
        assertEquals(Lwkt.EASYNC, Lwkt.forwardmsg(self, far, got));
        assertSame(far, msg.targetPort(), "forwarded to the far port");
        assertSame(reply, msg.replyPort(), "the reply port is kept");
        assertSame(msg, Lwkt.waitport(self, reply, 0), "the far server's reply comes to the original reply port");
        assertEquals(i + 1, msg.result);
        assertEquals(1, msg.replies);
        assertEquals(MsgFlags.DONE | MsgFlags.REPLY, msg.flags() & MsgFlags.STATE_BITS);
      }
      assertEquals(0, front.queued());
    });
    m.run();
    assertEquals(n, far.remotePuts(), "queued by the far CPU, arrived in IPIs");
    assertEquals(1, far.lastQueueingCpu());
  }

  @Test
  void forwardmsgToAPutOnlyPortRepliesASynchronousCompletionAndLeavesATakenMessageToItsTaker() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      ThreadPort front = ThreadPort.of(self);
      ThreadPort reply = new ThreadPort(m.cpu(0), "reply");
      reply.bindOwner(self);
      LwktMsg[] taken = new LwktMsg[1];
      LwktPort completes = LwktPort.putOnly("completes", (s, port, msg) -> {
        msg.result = 99;
        return 5;
      });
      LwktPort takes = LwktPort.putOnly("takes", (s, port, msg) -> {
        taken[0] = msg;
        return Lwkt.EASYNC;
      });
      LwktMsg a = new LwktMsg();
      Lwkt.initmsg(a, reply, 0);
      Lwkt.sendmsg(self, front, a);
      assertSame(a, Lwkt.getport(self, front));
      assertEquals(5, Lwkt.forwardmsg(self, completes, a));
      assertEquals(MsgState.REPLY_QUEUED, a.state(), "forwardmsg replied the synchronous completion");
      assertSame(a, Lwkt.getport(self, reply));
      assertEquals(5, a.error());
      assertEquals(99, a.result);

      LwktMsg b = new LwktMsg();
      Lwkt.initmsg(b, reply, 0);
      Lwkt.sendmsg(self, front, b);
      assertSame(b, Lwkt.getport(self, front));
      assertEquals(Lwkt.EASYNC, Lwkt.forwardmsg(self, takes, b));
      assertSame(b, taken[0]);
      assertEquals(MsgState.IN_PROGRESS, b.state(), "taken: its taker replies it");
      assertNull(Lwkt.getport(self, reply));
      Lwkt.replymsg(self, b, 0);
      assertSame(b, Lwkt.getport(self, reply));
    });
    m.run();
  }

  /**
   * The server thread holds one message in service (it works for a long time), a second waits on its
   * queue, a third is in an IPI when the server process is killed, and a fourth is sent after the
   * death: all four complete with ESRCH, every domsg returns, the run ends.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant20_whenAPortOwnerDiesQueuedArrivingAndInServiceMessagesCompleteWithAnErrorAndEveryDomsgReturns(String engine) {
    Machine m = machine(engine, 2);
    boolean sim = engine.equals("sim");
    Process server = m.newProcess("server");
    ThreadPort port = new ThreadPort(m.cpu(1), "server.port");
    int[] inService = new int[1];
    server.spawnDaemon("server", 1, self -> {
      port.bindOwner(self);
      while (true) {
        LwktMsg msg = Lwkt.waitport(self, port, 0);
        inService[0]++;
        self.work(sim ? 50_000_000L : 20_000_000_000L); // killed long before it ends
        Lwkt.replymsg(self, msg, 0);
      }
    });
    Process clients = m.newProcess("clients");
    int[] errors = new int[4];
    CountingMsg[] msgs = new CountingMsg[4];
    clients.spawn("in-service", 0, self -> {
      msgs[0] = new CountingMsg();
      Lwkt.initmsg(msgs[0], ThreadPort.of(self), 0);
      errors[0] = Lwkt.domsg(self, port, msgs[0], 0);
    });
    clients.spawn("queued", 0, self -> {
      self.sleep(sim ? 10_000 : 5_000_000);
      msgs[1] = new CountingMsg();
      Lwkt.initmsg(msgs[1], ThreadPort.of(self), 0);
      errors[1] = Lwkt.domsg(self, port, msgs[1], 0);
    });
    clients.spawn("killer", 0, self -> {
      self.sleep(sim ? 100_000 : 50_000_000);
      while (inService[0] == 0 || port.queued() == 0) {
        self.sleep(1_000_000); // real engine: wait until one is in service and one queued
      }
      ThreadPort reply = ThreadPort.of(self);
      msgs[2] = new CountingMsg();
      Lwkt.initmsg(msgs[2], reply, 0);
      Lwkt.sendmsg(self, port, msgs[2]); // in an IPI to CPU 1 while the kill happens
      server.kill();
      msgs[3] = new CountingMsg();
      Lwkt.initmsg(msgs[3], reply, 0);
      long t0 = self.now();
      errors[3] = Lwkt.domsg(self, port, msgs[3], 0);
      if (sim) {
        assertEquals(t0, self.now(), "a put after the death completes at once, without a wait");
      }
      errors[2] = Lwkt.waitmsg(self, msgs[2], 0);
    });
    m.run();
    for (int i = 0; i < 4; i++) {
      assertEquals(Lwkt.ESRCH, errors[i], "message " + i + " completed with ESRCH");
      assertEquals(MsgState.OWNED, msgs[i].state());
    }
    assertEquals(1, inService[0], "the server took one message before it died");
    assertTrue(port.ownerDead());
  }

  /**
   * A put to a higher-priority thread's port normally makes it preempt the sender at its next safe
   * point; with {@code NORESCHED} the sender keeps the CPU until it blocks (invariant 18).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void invariant18_aNoreschedPutWakesTheOwnerWithoutPreemptingTheSender(boolean noresched) {
    Machine m = org.ipctestbed.substrate.Machine.create(org.ipctestbed.substrate.MachineConfig.builder().cpus(1)
        .engine("sim").costModel("modern-x86").policy("dragonfly").seed(7).build());
    ThreadPort port = new ThreadPort(m.cpu(0), "server.port");
    long[] servedAt = new long[1];
    m.newKernelProcess("server", 1, 1024).spawnDaemon("server", 0, self -> {
      port.bindOwner(self);
      LwktMsg msg = Lwkt.waitport(self, port, 0);
      servedAt[0] = self.now();
      Lwkt.replymsg(self, msg, 0);
    });
    long[] workDoneAt = new long[1];
    m.newProcess("client").spawn("client", 0, self -> {
      self.yieldCpu(); // the server sleeps on its port first
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, ThreadPort.of(self), noresched ? MsgFlags.NORESCHED : 0);
      Lwkt.sendmsg(self, port, msg);
      self.work(50_000);
      workDoneAt[0] = self.now();
      Lwkt.waitport(self, ThreadPort.of(self), 0);
    });
    m.run();
    if (noresched) {
      assertTrue(servedAt[0] >= workDoneAt[0], "the server waited for the sender to block: " + servedAt[0] + " vs " + workDoneAt[0]);
    } else {
      assertTrue(servedAt[0] < workDoneAt[0], "the server preempted the sender: " + servedAt[0] + " vs " + workDoneAt[0]);
    }
  }
}
