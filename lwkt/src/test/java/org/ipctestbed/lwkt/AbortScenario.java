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

  /** When the abort is requested. */
  enum Mode {
    /** abortmsg while the victim is queued behind a long request. */
    QUEUED,
    /** abortmsg right after sendmsg, while the victim travels to the server's CPU. */
    IN_TRANSIT,
    /** domsg with PCATCH, interrupted twice by a signal while the victim is queued. */
    SIGNALLED
  }

  final WorkMsg victim = new WorkMsg();
  int abortFnCalls;
  MsgState stateAtAbort;
  boolean abortFnCalled;
  int victimError = -1;
  int abortReqError = -1;

  void run(Mode mode) {
    boolean queued = mode != Mode.IN_TRANSIT;
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
    ThreadPort reply = new ThreadPort(m.cpu(0), "client.msgport");
    Process client = m.newProcess("client");
    client.spawn("client", 0, self -> {
      reply.bindOwner(self);
      LwktMsg.AbortFunction abortFn = (s, msg) -> {
        abortFnCalled = true;
        abortFnCalls++;
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
      if (mode == Mode.SIGNALLED) {
        victimError = Lwkt.domsg(self, port, victim, Lwkt.PCATCH);
      } else {
        Lwkt.sendmsg(self, port, victim);
        if (queued) {
          self.sleep(5_000);
        }
        stateAtAbort = victim.state();
        Lwkt.abortmsg(self, victim);
        victimError = Lwkt.waitmsg(self, victim, 0);
      }
      if (queued) {
        Lwkt.waitmsg(self, blocker, 0);
      }
    });
    if (mode == Mode.SIGNALLED) {
      client.spawn("signaller", 0, self -> {
        self.sleep(5_000);
        stateAtAbort = victim.state();
        reply.signal();
        self.sleep(5_000);
        reply.signal(); // a second signal: the wait is no longer interruptible
      });
    }
    m.run();
  }
}
