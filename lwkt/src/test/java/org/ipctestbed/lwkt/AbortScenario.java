package org.ipctestbed.lwkt;

import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * The abort protocol research/lwkt.md section 2 describes, between a client on CPU 0 and a server
 * thread on CPU 1: the victim's abort function sends a separate, PRIORITY abort request
 * synchronously to the target; the target marks the victim if it is still queued there; when it
 * pulls the victim, it replies it with {@code EINTR} instead of doing the work. Either way the victim
 * is replied exactly once.
 */
final class AbortScenario {
  static final int EINTR = Status.EINTR;

  static final class WorkMsg extends Machines.CountingMsg {
    boolean abortRequested;
    final AbortReq req = new AbortReq();
  }

  static final class AbortReq extends LwktMsg {
    WorkMsg victim;
  }

  final WorkMsg victim = new WorkMsg();
  MsgState stateAtAbort;
  boolean abortFnCalled;
  int victimError = -1;
  int abortReqError = -1;

  /** @param queued abort once the victim is queued behind a long request; else while it is in transit */
  void run(boolean queued) {
    Machine m = Machines.sim(2);
    Process sp = m.newProcess("server");
    ThreadPort port = new ThreadPort(m.cpu(1), "server");
    sp.spawnDaemon("server", 1, self -> {
      port.bindOwner(self);
      while (true) {
        LwktMsg msg = Lwkt.waitport(self, port, 0);
        if (msg instanceof AbortReq a) {
          WorkMsg v = a.victim;
          boolean found = v.queue() != null && v.targetPort() == port && !v.has(MsgFlags.REPLY);
          if (found) {
            v.abortRequested = true;
          }
          Lwkt.replymsg(self, a, found ? 0 : Lwkt.ENOENT);
        } else {
          WorkMsg w = (WorkMsg) msg;
          w.replies++;
          if (w.abortRequested) {
            Lwkt.replymsg(self, w, EINTR);
          } else {
            self.work(w.cmd);
            Lwkt.replymsg(self, w, 0);
          }
        }
      }
    });
    m.newProcess("client").spawn("client", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg.AbortFunction abortFn = (s, msg) -> {
        abortFnCalled = true;
        WorkMsg w = (WorkMsg) msg;
        w.req.victim = w;
        Lwkt.initmsg(w.req, reply, MsgFlags.PRIORITY);
        abortReqError = Lwkt.domsg(s, port, w.req, 0);
      };
      WorkMsg blocker = new WorkMsg();
      blocker.cmd = 50_000;
      if (queued) {
        Lwkt.initmsg(blocker, reply, 0);
        Lwkt.sendmsg(self, port, blocker);
      }
      victim.cmd = 10_000;
      Lwkt.initmsgAbortable(victim, reply, 0, abortFn);
      Lwkt.sendmsg(self, port, victim);
      if (queued) {
        self.sleep(5_000);
      }
      stateAtAbort = victim.state();
      Lwkt.abortmsg(self, victim);
      victimError = Lwkt.waitmsg(self, victim, 0);
      if (queued) {
        Lwkt.waitmsg(self, blocker, 0);
      }
    });
    m.run();
  }
}
