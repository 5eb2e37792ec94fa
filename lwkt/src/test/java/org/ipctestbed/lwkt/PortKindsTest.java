package org.ipctestbed.lwkt;

import static org.ipctestbed.lwkt.InvariantsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.lwkt.Machines.CountingMsg;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** The spin and serializer ports (research/lwkt.md section 3) beside the thread port. */
class PortKindsTest {
  private static void serveSpin(org.ipctestbed.substrate.Fiber self, SpinPort work, int[] handledBy) {
    while (true) {
      LwktMsg msg = Lwkt.waitport(self, work, 0);
      ((CountingMsg) msg).replies++;
      handledBy[self.cpu().index()]++;
      self.work(3_000);
      Lwkt.replymsg(self, msg, 0);
    }
  }

  @Test
  void aSpinPortIsAWorkQueueServedByThreadsOnSeveralCpus() {
    for (String engine : new String[] {"sim", "real"}) {
      Machine m = engine.equals("sim") ? Machines.sim(2) : Machines.real(2);
      Process servers = m.newProcess("servers");
      SpinPort work = new SpinPort("work", null);
      int[] handledBy = new int[2];
      servers.spawnDaemon("s0", 0, self -> serveSpin(self, work, handledBy));
      servers.spawnDaemon("s1", 1, self -> serveSpin(self, work, handledBy));
      int n = 200;
      CountingMsg[] msgs = new CountingMsg[8];
      m.newProcess("client").spawn("c", 0, self -> {
        SpinPort reply = new SpinPort("reply", self);
        for (int i = 0; i < msgs.length; i++) {
          msgs[i] = new CountingMsg();
        }
        for (int i = 0; i < n; i++) {
          CountingMsg msg = msgs[i % msgs.length];
          Lwkt.initmsg(msg, reply, 0);
          if (i % 2 == 0) {
            assertEquals(0, Lwkt.domsg(self, work, msg, 0)); // SYNC: sleeps on the message
            assertEquals(0, reply.queued());
          } else {
            Lwkt.sendmsg(self, work, msg);
            assertSame(msg, Lwkt.waitport(self, reply, 0)); // async: queued on the reply port
          }
        }
      });
      m.run();
      int total = 0;
      for (CountingMsg msg : msgs) {
        total += msg.replies;
      }
      assertEquals(n, total, engine + ": every message handled once");
      assertEquals(n, handledBy[0] + handledBy[1]);
    }
  }

  @Test
  void onlyTheOwnerOfASpinPortMayDropAndAnUnownedSpinPortCannotDrop() {
    Machine m = Machines.sim(1);
    m.newProcess("p").spawn("t", 0, self -> {
      SpinPort owned = new SpinPort("owned", self);
      SpinPort unowned = new SpinPort("unowned", null);
      ThreadPort reply = new ThreadPort(self);
      LwktMsg a = new LwktMsg();
      Lwkt.initmsg(a, reply, MsgFlags.DROPABLE);
      Lwkt.sendmsg(self, owned, a);
      assertEquals(0, Lwkt.dropmsg(self, a));
      assertEquals(MsgState.OWNED, a.state());
      Lwkt.initmsg(a, reply, MsgFlags.DROPABLE);
      Lwkt.sendmsg(self, unowned, a);
      assertContains(assertThrows(PortException.class, () -> Lwkt.dropmsg(self, a)).getMessage(), "without an owner");
      assertSame(a, Lwkt.getport(self, unowned));
      assertNull(Lwkt.getport(self, unowned));
    });
    m.run();
  }

  @Test
  void aSerializerPortRequiresTheSerializerAndReleasesItWhileWaiting() {
    Machine m = Machines.sim(2);
    LwktSerializer slz = new LwktSerializer("if_em0");
    SerializerPort port = new SerializerPort("em0", slz);
    Process drv = m.newProcess("driver");
    int[] enteredWhileDriverWaited = new int[1];
    drv.spawn("ithread", 0, self -> {
      LwktMsg msg = new LwktMsg();
      assertContains(assertThrows(PortException.class, () -> Lwkt.getport(self, port)).getMessage(), "ASSERT_SERIALIZED");
      slz.enter(self);
      assertNull(Lwkt.getport(self, port));
      LwktMsg got = Lwkt.waitport(self, port, 0); // releases the serializer while asleep
      assertTrue(slz.isHeldBy(self), "taken back on wake-up");
      assertEquals(1, enteredWhileDriverWaited[0]);
      Lwkt.replymsg(self, got, 5);
      slz.exit(self);
      assertThrows(PortException.class, () -> port.dropmsg(self, msg), "drop is illegal on a serializer port");
    });
    drv.spawn("netisr", 1, self -> {
      self.sleep(10_000);
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, reply, 0);
      slz.enter(self);
      enteredWhileDriverWaited[0]++;
      Lwkt.sendmsg(self, port, msg);
      slz.exit(self);
      assertEquals(5, Lwkt.waitmsg(self, msg, 0));
    });
    m.run();
  }
}
