package org.ipctestbed.lwkt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.lwkt.Machines.CountingMsg;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** The invariants of research/lwkt.md section 6, one test each, in the simulated engine. */
class InvariantsTest {
  @Test
  void invariant01_aMessageIsOnAtMostOnePortQueueAndQueuedIsSetExactlyWhileItIs() {
    Machine m = Machines.sim(1);
    Process p = m.newProcess("p");
    p.spawn("t", 0, self -> {
      ThreadPort target = new ThreadPort(self);
      ThreadPort reply = new ThreadPort(m.cpu(0), "reply");
      reply.bindOwner(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      assertQueuedIffOnAQueue(msg);

      Lwkt.sendmsg(self, target, msg);
      assertSame(target.msgq(), msg.queue());
      assertQueuedIffOnAQueue(msg);

      ThreadPort other = new ThreadPort(m.cpu(0), "other");
      other.bindOwner(self);
      assertThrows(MsgStateException.class, () -> other.push(msg, MsgTransition.PUSH));
      assertSame(target.msgq(), msg.queue());
      assertEquals(0, other.queued());

      assertSame(msg, Lwkt.getport(self, target));
      assertNull(msg.queue());
      assertQueuedIffOnAQueue(msg);

      Lwkt.replymsg(self, msg, 0);
      assertSame(reply.msgq(), msg.queue());
      assertEquals(0, target.queued());
      assertQueuedIffOnAQueue(msg);

      assertEquals(0, Lwkt.waitmsg(self, msg, 0));
      assertNull(msg.queue());
      assertQueuedIffOnAQueue(msg);
    });
    m.run();
  }

  private static void assertQueuedIffOnAQueue(LwktMsg msg) {
    assertEquals(msg.queue() != null, msg.has(MsgFlags.QUEUED), () -> "queue " + msg.queue() + " flags " + msg);
  }

  @Test
  void invariant02_sendAndDomsgAcceptOnlyAMessageThatIsDoneAndNotQueued() {
    Machine m = Machines.sim(1);
    Process p = m.newProcess("p");
    p.spawn("t", 0, self -> {
      ThreadPort a = new ThreadPort(self);
      ThreadPort b = new ThreadPort(m.cpu(0), "b");
      b.bindOwner(self);
      LwktMsg never = new LwktMsg();
      assertThrows(MsgStateException.class, () -> Lwkt.sendmsg(self, a, never), "no reply port yet");

      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, a, 0);
      Lwkt.sendmsg(self, a, msg);
      int before = msg.flags();
      MsgStateException e = assertThrows(MsgStateException.class, () -> Lwkt.sendmsg(self, b, msg));
      assertContains(e.getMessage(), "DONE and not QUEUED");
      assertThrows(MsgStateException.class, () -> Lwkt.domsg(self, b, msg, 0));
      assertEquals(before, msg.flags(), "a refused send changes nothing");
      assertSame(a.msgq(), msg.queue());
      assertEquals(0, b.queued());
    });
    m.run();
  }

  @Test
  void invariant03_theSenderDoesNotOwnTheMessageBetweenSendAndCompletionAndOwnsItAfterDone() {
    Machine m = Machines.sim(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 5_000);
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      assertEquals(MsgState.OWNED, msg.state());
      Lwkt.sendmsg(self, server, msg);
      assertFalse(Lwkt.checkmsg(msg));
      assertNotEquals(MsgState.OWNED, msg.state());
      assertThrows(MsgStateException.class, () -> Lwkt.initmsg(msg, reply, 0), "re-init of a message in flight");
      Lwkt.waitmsg(self, msg, 0);
      assertTrue(Lwkt.checkmsg(msg));
      assertEquals(MsgState.OWNED, msg.state());
      Lwkt.initmsg(msg, reply, 0); // owned again: may be reused
      assertEquals(0, Lwkt.domsg(self, server, msg, 0));
    });
    m.run();
  }

  @Test
  void invariant04_aReplyAlwaysGoesToTheReplyPortNeverToTheTargetPort() {
    Machine m = Machines.sim(3);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 1_000);
    Process p = m.newProcess("p");
    ThreadPort collectorPort = new ThreadPort(m.cpu(2), "collector");
    CountingMsg[] msgs = new CountingMsg[4];
    for (int i = 0; i < msgs.length; i++) {
      msgs[i] = new CountingMsg();
      msgs[i].cmd = i;
    }
    p.spawn("collector", 2, self -> {
      collectorPort.bindOwner(self);
      for (int i = 0; i < msgs.length; i++) {
        LwktMsg r = Lwkt.waitport(self, collectorPort, 0);
        assertTrue(r.has(MsgFlags.REPLY | MsgFlags.DONE));
        assertSame(collectorPort, r.replyPort());
        assertSame(server, r.targetPort());
        assertEquals(r.cmd + 1, r.result);
      }
    });
    p.spawn("sender", 0, self -> {
      for (CountingMsg msg : msgs) {
        Lwkt.initmsg(msg, collectorPort, 0);
        Lwkt.sendmsg(self, server, msg);
      }
    });
    m.run();
    assertEquals(0, server.queued());
    assertEquals(msgs.length, collectorPort.repliesQueued());
    assertEquals(0, server.repliesQueued());
  }

  @Test
  void invariant05_domsgNeverReturnsBeforeDone() {
    Machine m = Machines.sim(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 20_000);
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      CountingMsg msg = new CountingMsg();
      for (int i = 0; i < 10; i++) {
        Lwkt.initmsg(msg, reply, 0);
        msg.cmd = i;
        long t0 = self.now();
        assertEquals(0, Lwkt.domsg(self, server, msg, 0));
        assertTrue(msg.has(MsgFlags.DONE | MsgFlags.REPLY));
        assertEquals(MsgState.OWNED, msg.state());
        assertEquals(i + 1, msg.result);
        assertTrue(self.now() - t0 >= 20_000 + 2 * 1_000, "at least " + (20_000 + 2 * 1_000)); // work + two IPI latencies
      }
      assertEquals(10, msg.replies);
    });
    m.run();
  }

  @Test
  void invariant05_domsgFastPathReturnsWithoutAnyThreadSwitchAndEndsDoneReply() {
    Machine m = Machines.sim(1);
    m.newProcess("client").spawn("c", 0, self -> {
      LwktPort sync = LwktPort.putOnly("sync", (s, port, msg) -> {
        msg.result = 42;
        return 0;
      });
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      long epoch = self.cpu().schedulingEpoch();
      long switches = m.ledger().costCount(Cost.THREAD_SWITCH);
      assertEquals(0, Lwkt.domsg(self, sync, msg, 0));
      assertEquals(epoch, self.cpu().schedulingEpoch(), "no scheduling event");
      assertEquals(switches, m.ledger().costCount(Cost.THREAD_SWITCH), "no thread switch");
      assertEquals(MsgFlags.DONE | MsgFlags.REPLY | MsgFlags.SYNC, msg.flags());
      assertEquals(42, msg.result);
      assertEquals(0, reply.queued());
    });
    m.run();
  }

  @Test
  void invariant06_sendmsgToAPortThatCompletesSynchronouslyStillQueuesTheReplyOnTheReplyPort() {
    Machine m = Machines.sim(1);
    m.newProcess("client").spawn("c", 0, self -> {
      LwktPort sync = LwktPort.putOnly("sync", (s, port, msg) -> 7);
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      Lwkt.sendmsg(self, sync, msg);
      assertEquals(MsgState.REPLY_QUEUED, msg.state());
      assertSame(reply.msgq(), msg.queue());
      assertSame(msg, Lwkt.getport(self, reply));
      assertEquals(7, msg.error());
      assertEquals(MsgFlags.DONE | MsgFlags.REPLY, msg.flags());
    });
    m.run();
  }

  @Test
  void invariant07_aSyncReplyIsNeverQueuedOnTheReplyPortAnAsyncReplyAlwaysIsWithReplyDone() {
    Machine m = Machines.sim(2);
    ThreadPort remote = Machines.echoServer(m.newProcess("remote"), 1, 1_000);
    ThreadPort local = Machines.echoServer(m.newProcess("local"), 0, 1_000);
    ThreadPort[] replyHolder = new ThreadPort[1];
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      replyHolder[0] = reply;
      LwktMsg msg = new LwktMsg();
      for (ThreadPort target : new ThreadPort[] {remote, local}) {
        for (int i = 0; i < 5; i++) {
          Lwkt.initmsg(msg, reply, 0);
          Lwkt.domsg(self, target, msg, 0);
        }
      }
      assertEquals(0, reply.repliesQueued(), "SYNC replies are never queued");
      for (ThreadPort target : new ThreadPort[] {remote, local}) {
        for (int i = 0; i < 5; i++) {
          Lwkt.initmsg(msg, reply, 0);
          Lwkt.sendmsg(self, target, msg);
          LwktMsg r = Lwkt.waitport(self, reply, 0);
          assertSame(msg, r);
          assertEquals(MsgFlags.DONE | MsgFlags.REPLY, r.flags());
        }
      }
      assertEquals(10, reply.repliesQueued(), "every async reply is queued");
    });
    m.run();
  }

  @Test
  void invariant08_aCrossCpuPutIsQueuedByTheOwnersCpuAndIsInTransitExactlyWhileItTravels() {
    Machine m = Machines.sim(2);
    Process sp = m.newProcess("server");
    ThreadPort port = new ThreadPort(m.cpu(1), "server");
    long[] arrival = new long[1];
    int[] flagsAtArrival = new int[1];
    sp.spawnDaemon("server", 1, self -> {
      port.bindOwner(self);
      LwktMsg msg = Lwkt.waitport(self, port, 0);
      arrival[0] = self.now();
      flagsAtArrival[0] = msg.flags();
      Lwkt.replymsg(self, msg, 0);
    });
    long[] sent = new long[1];
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      self.work(10_000); // the server is asleep in waitport by now
      Lwkt.sendmsg(self, port, msg);
      sent[0] = self.now();
      assertEquals(MsgState.IN_TRANSIT, msg.state());
      assertTrue(msg.has(MsgFlags.INTRANSIT));
      assertFalse(msg.has(MsgFlags.QUEUED));
      assertEquals(0, port.queued(), "the sender's CPU does not queue it");
      assertEquals(0, port.remotePuts());
      self.sleep(500); // half the IPI latency: still travelling
      assertEquals(MsgState.IN_TRANSIT, msg.state());
      Lwkt.waitmsg(self, msg, 0);
      assertFalse(msg.has(MsgFlags.INTRANSIT));
    });
    m.run();
    assertEquals(1, port.remotePuts());
    assertEquals(0, port.localPuts());
    assertEquals(1, port.lastQueueingCpu());
    assertEquals(0, flagsAtArrival[0] & MsgFlags.INTRANSIT);
    assertTrue(arrival[0] - sent[0] >= 1_000, "at least " + (1_000)); // one IPI latency at least
  }

  @Test
  void invariant09_onlyTheOwnerOfAThreadPortMayGetFromWaitOnOrDropFromIt() {
    Machine m = Machines.sim(1);
    Process p = m.newProcess("p");
    ThreadPort port = new ThreadPort(m.cpu(0), "owned");
    LwktMsg msg = new LwktMsg();
    int[] served = new int[1];
    p.spawn("owner", 0, self -> {
      port.bindOwner(self);
      LwktMsg got = Lwkt.waitport(self, port, 0);
      served[0]++;
      Lwkt.replymsg(self, got, 0);
    });
    p.spawn("intruder", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      Lwkt.initmsg(msg, reply, MsgFlags.DROPABLE);
      Lwkt.sendmsg(self, port, msg);
      assertContains(assertThrows(PortException.class, () -> Lwkt.getport(self, port)).getMessage(), "only its owner 'owner'");
      assertThrows(PortException.class, () -> Lwkt.waitport(self, port, 0));
      assertThrows(PortException.class, () -> Lwkt.dropmsg(self, msg));
      assertThrows(PortException.class, () -> port.bindOwner(self));
      assertSame(port.msgq(), msg.queue(), "the refused operations left the message queued");
      while (!Lwkt.checkmsg(msg)) {
        self.yieldCpu(); // a DROPABLE message is not waited on: poll for its reply
      }
      assertSame(msg, Lwkt.getport(self, reply));
    });
    m.run();
    assertEquals(1, served[0], "the owner went on running and served the message");
  }

  @Test
  void invariant10_aMessageIsRepliedExactlyOnceAndASecondReplyIsRefused() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      ThreadPort port = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, port, 0);
      assertThrows(MsgStateException.class, () -> Lwkt.replymsg(self, msg, 0), "reply of a message never sent");
      Lwkt.sendmsg(self, port, msg);
      assertThrows(MsgStateException.class, () -> Lwkt.replymsg(self, msg, 0), "reply of a queued message");
      Lwkt.getport(self, port);
      Lwkt.replymsg(self, msg, 3);
      MsgStateException e = assertThrows(MsgStateException.class, () -> Lwkt.replymsg(self, msg, 4));
      assertContains(e.getMessage(), "only a message in progress may be replied");
      assertEquals(3, msg.error(), "the refused reply changed nothing");
      assertEquals(1, port.repliesQueued());
    });
    m.run();
  }

  @Test
  void invariant10_abortOfADoneOrRepliedOrNonAbortableMessageDoesNothing() {
    Machine m = Machines.sim(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 10_000);
    int[] aborts = new int[1];
    LwktMsg.AbortFunction fn = (s, msg) -> aborts[0]++;
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      CountingMsg msg = new CountingMsg();
      Lwkt.initmsgAbortable(msg, reply, 0, fn);
      assertFalse(Lwkt.abortmsg(self, msg), "DONE (never sent)");
      Lwkt.domsg(self, server, msg, 0);
      assertFalse(Lwkt.abortmsg(self, msg), "DONE (completed)");

      Lwkt.initmsgAbortable(msg, reply, 0, fn);
      Lwkt.sendmsg(self, server, msg);
      while (msg.state() != MsgState.REPLY_IN_TRANSIT) {
        self.sleep(100);
      }
      assertFalse(Lwkt.abortmsg(self, msg), "REPLY set, travelling back");
      Lwkt.waitmsg(self, msg, 0);

      CountingMsg plain = new CountingMsg();
      Lwkt.initmsg(plain, reply, 0);
      Lwkt.sendmsg(self, server, plain);
      assertFalse(Lwkt.abortmsg(self, plain), "not ABORTABLE");
      Lwkt.waitmsg(self, plain, 0);
      assertEquals(0, aborts[0]);
      assertEquals(2, msg.replies);
      assertEquals(1, plain.replies);
    });
    m.run();
  }

  @Test
  void invariant10_abortOfAQueuedMessageIsARequestAndTheMessageIsStillRepliedOnce() {
    AbortScenario s = new AbortScenario();
    s.run(AbortScenario.Mode.QUEUED);
    assertEquals(MsgState.QUEUED, s.stateAtAbort);
    assertTrue(s.abortFnCalled);
    assertEquals(1, s.victim.replies);
    assertEquals(AbortScenario.EINTR, s.victimError);
    assertEquals(0, s.abortReqError, "the target found the victim queued");
  }

  @Test
  void invariant10_abortOfAnInTransitMessageFollowsItThroughTheSameIpiQueue() {
    AbortScenario s = new AbortScenario();
    s.run(AbortScenario.Mode.IN_TRANSIT);
    assertEquals(MsgState.IN_TRANSIT, s.stateAtAbort);
    assertTrue(s.abortFnCalled);
    assertEquals(1, s.victim.replies);
    assertEquals(AbortScenario.EINTR, s.victimError);
  }

  @Test
  void invariant10_anInterruptedPcatchWaitRequestsOneAbortAndStillWaitsForTheSingleReply() {
    AbortScenario s = new AbortScenario();
    s.run(AbortScenario.Mode.SIGNALLED);
    assertEquals(MsgState.QUEUED, s.stateAtAbort);
    assertEquals(1, s.abortFnCalls, "one abort despite two signals");
    assertEquals(1, s.victim.replies);
    assertEquals(AbortScenario.EINTR, s.victimError);
    assertTrue(s.victim.has(MsgFlags.DONE | MsgFlags.REPLY));
  }

  @Test
  void anInterruptedPcatchWaitportReturnsNullAndAnUninterruptibleOneKeepsWaiting() {
    Machine m = Machines.sim(2);
    ThreadPort port = new ThreadPort(m.cpu(0), "waiter");
    LwktMsg[] got = new LwktMsg[2];
    Process p = m.newProcess("p");
    p.spawn("waiter", 0, self -> {
      port.bindOwner(self);
      got[0] = Lwkt.waitport(self, port, Lwkt.PCATCH);
      got[1] = Lwkt.waitport(self, port, 0);
    });
    p.spawn("other", 1, self -> {
      self.sleep(1_000);
      port.signal();
      self.sleep(10_000);
      port.signal();
      self.sleep(10_000);
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      Lwkt.sendmsg(self, port, msg);
    });
    m.run();
    assertNull(got[0]);
    assertTrue(got[1] != null, "the second signal did not interrupt a wait without PCATCH");
  }

  @Test
  void invariant11_dropmsgRemovesOnlyAQueuedNotRepliedMessageAndMarksItDone() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      ThreadPort port = new ThreadPort(self);
      ThreadPort reply = new ThreadPort(m.cpu(0), "reply");
      reply.bindOwner(self);
      LwktMsg a = new LwktMsg();
      Lwkt.initmsg(a, reply, MsgFlags.DROPABLE);
      Lwkt.sendmsg(self, port, a);
      assertEquals(0, Lwkt.dropmsg(self, a));
      assertEquals(MsgFlags.DONE | MsgFlags.DROPABLE, a.flags(), "DONE, not replied");
      assertNull(a.queue());
      assertEquals(Lwkt.ENOENT, Lwkt.dropmsg(self, a), "no longer queued");
      assertEquals(0, reply.queued() + reply.repliesQueued());

      LwktMsg b = new LwktMsg();
      Lwkt.initmsg(b, reply, MsgFlags.DROPABLE);
      Lwkt.sendmsg(self, port, b);
      Lwkt.getport(self, port);
      assertEquals(Lwkt.ENOENT, Lwkt.dropmsg(self, b), "in progress");
      Lwkt.replymsg(self, b, 0);
      assertEquals(Lwkt.ENOENT, Lwkt.dropmsg(self, b), "a queued reply is not dropped");
      assertEquals(MsgState.REPLY_QUEUED, b.state());
      assertThrows(PortException.class, () -> Lwkt.waitmsg(self, a, 0), "a DROPABLE message cannot be waited on");
    });
    m.run();
  }

  @Test
  void invariant12_thePriorityQueueIsPolledFirstAndEachQueueIsFifo() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      ThreadPort port = new ThreadPort(self);
      ThreadPort reply = new ThreadPort(m.cpu(0), "reply");
      reply.bindOwner(self);
      LwktMsg[] msgs = new LwktMsg[6];
      for (int i = 0; i < msgs.length; i++) {
        msgs[i] = new LwktMsg();
        msgs[i].cmd = i;
        Lwkt.initmsg(msgs[i], reply, i % 2 == 1 ? MsgFlags.PRIORITY : 0);
        Lwkt.sendmsg(self, port, msgs[i]);
      }
      int[] order = new int[msgs.length];
      for (int i = 0; i < msgs.length; i++) {
        order[i] = Lwkt.getport(self, port).cmd;
      }
      assertArrayEquals(new int[] {1, 3, 5, 0, 2, 4}, order);
      assertNull(Lwkt.getport(self, port));
    });
    m.run();
  }

  @Test
  void invariant13_aBurstOfPutsToASleepingOwnerSchedulesItOncePerSleep() {
    Machine m = Machines.simZero(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 0);
    int k = 8; // half the IPI FIFO: a larger burst makes the sender wait mid-burst (research/lwkt.md 7)
    long[] schedulesAfterFirstBurst = new long[1];
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg[] burst = new LwktMsg[k];
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < k; i++) {
          burst[i] = burst[i] == null ? new LwktMsg() : burst[i];
          Lwkt.initmsg(burst[i], reply, 0);
          Lwkt.sendmsg(self, server, burst[i]);
        }
        for (int i = 0; i < k; i++) {
          Lwkt.waitport(self, reply, 0);
        }
        if (round == 0) {
          schedulesAfterFirstBurst[0] = server.schedules();
        }
      }
    });
    m.run();
    assertEquals(2 * k, server.remotePuts());
    assertEquals(1, schedulesAfterFirstBurst[0], "K puts, one wake-up");
    assertEquals(2, server.schedules());
    assertTrue(server.schedules() <= server.sleeps(), "at most " + (server.sleeps()));
  }

  @Test
  void invariant13_aBurstFromTheSameCpuAlsoSchedulesTheOwnerOnce() {
    Machine m = Machines.sim(1);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 0, 0);
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      self.yieldCpu(); // let the server go to sleep in waitport
      LwktMsg[] burst = new LwktMsg[8];
      for (int i = 0; i < burst.length; i++) {
        burst[i] = new LwktMsg();
        Lwkt.initmsg(burst[i], reply, 0);
        Lwkt.sendmsg(self, server, burst[i]);
      }
      assertEquals(1, server.schedules());
      for (int i = 0; i < burst.length; i++) {
        Lwkt.waitport(self, reply, 0);
      }
    });
    m.run();
    assertEquals(8, server.localPuts());
    assertTrue(server.schedules() <= server.sleeps(), "at most " + (server.sleeps()));
  }

  @Test
  void invariant14_operationsThatReplyOnlyPutOnlyAndPanicPortsMarkIllegalAreRefused() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      LwktPort nullPort = LwktPort.replyOnlyNull("null");
      LwktPort replyFn = LwktPort.replyOnly("fn", (s, port, msg) -> Lwkt.nullReply(msg));
      LwktPort putOnly = LwktPort.putOnly("put", (s, port, msg) -> 0);
      LwktPort panic = LwktPort.panic("panic");
      for (LwktPort p : new LwktPort[] {nullPort, replyFn, panic}) {
        LwktMsg msg = new LwktMsg();
        Lwkt.initmsg(msg, nullPort, 0);
        PortException e = assertThrows(PortException.class, () -> Lwkt.sendmsg(self, p, msg));
        assertContains(e.getMessage(), "illegal on " + p.kind() + " '" + p.name() + "'");
        assertEquals(MsgState.OWNED, msg.state(), "refused before anything changed");
        assertThrows(PortException.class, () -> Lwkt.domsg(self, p, msg, 0));
      }
      for (LwktPort p : new LwktPort[] {nullPort, replyFn, putOnly, panic}) {
        LwktMsg msg = new LwktMsg();
        assertThrows(PortException.class, () -> Lwkt.getport(self, p), p.kind());
        assertThrows(PortException.class, () -> Lwkt.waitport(self, p, 0), p.kind());
        assertThrows(PortException.class, () -> p.dropmsg(self, msg), p.kind());
        Lwkt.initmsg(msg, p, 0);
        msg.apply(MsgTransition.SEND);
        assertThrows(PortException.class, () -> Lwkt.waitmsg(self, msg, 0), p.kind());
      }
      for (LwktPort p : new LwktPort[] {putOnly, panic}) {
        LwktMsg msg = new LwktMsg();
        Lwkt.initmsg(msg, p, 0);
        msg.apply(MsgTransition.SEND);
        assertThrows(PortException.class, () -> Lwkt.replymsg(self, msg, 0), p.kind());
        assertEquals(MsgState.IN_PROGRESS, msg.state());
      }
      // and what they allow works
      for (LwktPort p : new LwktPort[] {nullPort, replyFn}) {
        LwktMsg msg = new LwktMsg();
        Lwkt.initmsg(msg, p, 0);
        Lwkt.sendmsg(self, putOnly, msg);
        assertEquals(MsgFlags.DONE | MsgFlags.REPLY, msg.flags(), "marked done, queued nowhere");
        assertNull(msg.queue());
      }
    });
    m.run();
  }

  @Test
  void invariant15_aServerThreadsHandlingIsChargedToTheServersProcess() {
    Machine m = Machines.sim(2);
    Process server = m.newProcess("server");
    Process client = m.newProcess("client");
    ThreadPort port = Machines.echoServer(server, 1, 7_000);
    int n = 20;
    client.spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      for (int i = 0; i < n; i++) {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(self, port, msg, 0);
      }
    });
    m.run();
    assertEquals(n * 7_000L, m.ledger().processNs(server, Category.USER));
    assertEquals(0, m.ledger().processNs(client, Category.USER));
    assertEquals(0, m.ledger().identityError());
  }

  @Test
  void invariant15_aPutOnlyPortsSynchronousCompletionIsChargedToTheSender() {
    Machine m = Machines.sim(1);
    Process client = m.newProcess("client");
    Process owner = m.newProcess("port-owner");
    owner.spawn("idle", 0, self -> {});
    LwktPort sync = LwktPort.putOnly("sync", (self, port, msg) -> {
      self.work(3_000);
      return 0;
    });
    int n = 10;
    client.spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      for (int i = 0; i < n; i++) {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(self, sync, msg, 0);
      }
    });
    m.run();
    assertEquals(n * 3_000L, m.ledger().processNs(client, Category.USER));
    assertEquals(0, m.ledger().processNs(owner, Category.USER));
  }

  static void assertContains(String actual, String expected) {
    assertTrue(actual != null && actual.contains(expected), () -> "expected \"" + expected + "\" in: " + actual);
  }
}
