package org.ipctestbed.lwkt;

import static org.ipctestbed.lwkt.InvariantsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ipctestbed.lwkt.Machines.CountingMsg;
import org.ipctestbed.substrate.FiberFailedException;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/**
 * Misuse is refused with a clear error where DragonFly would assert or panic, before anything
 * changes, and the other threads go on: a reply to a message that is not in progress, a send of a
 * message still queued elsewhere, a wait on a port one does not own.
 */
class BadInputTest {
  @Test
  void misuseByOneFiberIsRefusedAndTheOtherThreadsKeepExchangingMessages() {
    Machine m = Machines.sim(2);
    ThreadPort server = Machines.echoServer(m.newProcess("server"), 1, 2_000);
    Process p = m.newProcess("app");
    int n = 50;
    int[] completed = new int[1];
    String[] errors = new String[3];
    p.spawn("worker", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      CountingMsg msg = new CountingMsg();
      for (int i = 0; i < n; i++) {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(self, server, msg, 0);
        completed[0]++;
      }
    });
    p.spawn("rogue", 0, self -> {
      ThreadPort mine = new ThreadPort(self);
      CountingMsg queued = new CountingMsg();
      Lwkt.initmsg(queued, mine, 0);
      Lwkt.sendmsg(self, mine, queued); // sits on the rogue's own port
      errors[0] = assertThrows(MsgStateException.class, () -> Lwkt.replymsg(self, queued, 0)).getMessage();
      errors[1] = assertThrows(MsgStateException.class, () -> Lwkt.sendmsg(self, server, queued)).getMessage();
      errors[2] = assertThrows(PortException.class, () -> Lwkt.waitport(self, server, 0)).getMessage();
      assertEquals(MsgState.QUEUED, queued.state());
      assertEquals(mine.msgq(), queued.queue());
      assertEquals(0, queued.replies);
    });
    m.run();
    assertEquals(n, completed[0]);
    assertContains(errors[0], "COMPLETE of CountingMsg needs state IN_PROGRESS but it is QUEUED");
    assertContains(errors[1], "SEND of CountingMsg needs state OWNED but it is QUEUED (flags QUEUED)");
    assertContains(errors[2], "waitport on thread port 'server@1' by fiber 'rogue': only its owner 'server@1' may waitport");
  }

  @Test
  void anUncaughtMisuseFailsTheRunNamingTheFiberAndTheRule() {
    Machine m = Machines.sim(1);
    m.newProcess("app").spawn("careless", 0, self -> {
      ThreadPort port = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsg(msg, port, 0);
      Lwkt.sendmsg(self, port, msg);
      Lwkt.sendmsg(self, port, msg);
    });
    FiberFailedException e = assertThrows(FiberFailedException.class, m::run);
    assertInstanceOf(MsgStateException.class, e.getCause());
    assertContains(e.getMessage(), "careless");
    assertContains(e.getCause().getMessage(), "a message may be sent only when it is DONE and not QUEUED");
  }
}
