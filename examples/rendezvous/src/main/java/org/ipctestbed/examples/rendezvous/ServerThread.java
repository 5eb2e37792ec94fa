package org.ipctestbed.examples.rendezvous;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * A server thread of an {@link Endpoint}: a daemon fiber of the server process on one CPU that waits
 * in receive, serves one call on its own copies of the messages, replies and waits again (L4's
 * {@code ReplyWait}). Its {@link #assigned} call is set by whoever claims it from the endpoint (under
 * the endpoint's lock) before it is switched to or woken.
 */
final class ServerThread {
  final Endpoint endpoint;
  final int cpu;
  final IpcMessage request;
  final IpcMessage reply;
  /** The one-way message being delivered to this thread (sends do not wait: the thread holds the copy). */
  final Call oneWay = new Call();
  volatile Call assigned;
  Fiber fiber;

  ServerThread(Endpoint endpoint, int cpu, int maxPayload) {
    this.endpoint = endpoint;
    this.cpu = cpu;
    this.request = new IpcMessage(maxPayload);
    this.reply = new IpcMessage(maxPayload);
  }

  /** The fiber's body: receive, serve, reply, forever. */
  void run(Fiber self) {
    RendezvousSystem sys = endpoint.system;
    while (true) {
      Call c;
      while ((c = assigned) == null) {
        self.block(endpoint.receiveReason);
      }
      if (c == oneWay) {
        endpoint.handler.handle(self, request, reply); // the sender copied the registers in; no reply
        assigned = null;
        endpoint.nextOrFree(this);
        continue;
      }
      // Receive phase: copy the caller's message in (registers, plus a string item when longer).
      int len = c.request.length();
      self.charge(Cost.COPY_PER_BYTE, len);
      if (len > sys.mrBytes) {
        sys.stringCopies.increment();
      }
      request.copyFrom(c.request);
      int st = endpoint.handler.handle(self, request, reply);
      // Reply phase: copy the reply out and pay for the switch back, while still busy: once this
      // thread is free again a caller on another CPU may claim and wake it, so from then until it
      // blocks it calls no primitive (a charge is where an IPI could be taken and its wake lost).
      self.charge(Cost.COPY_PER_BYTE, reply.length());
      if (c.phase.get() == Call.PENDING) {
        int copied = c.reply.copyFrom(reply);
        st = copied == Status.OK ? st : copied;
        c.reply.status(st);
      }
      boolean direct = c.donated && c.client.cpu() == self.cpu();
      if (direct) {
        self.charge(Cost.THREAD_SWITCH);
        if (c.client.process() != self.process()) {
          self.charge(Cost.ADDRESS_SPACE_SWITCH);
        }
      }
      boolean next = endpoint.nextOrFree(this);
      if (c.complete(st)) {
        returnTo(self, c, direct && !next);
      }
    }
  }

  /**
   * Gives the caller its reply: straight back on this CPU when it donated its time slice and no
   * scheduling event has ended the donation (the direct switch, keeping the caller's account); through
   * the scheduler otherwise (a wake: the caller runs in its own right). The epoch check is what keeps
   * the caller's later work off the server's account (the conformance suite checks it).
   */
  private void returnTo(Fiber self, Call c, boolean direct) {
    Fiber client = c.client;
    if (direct && self.cpu().schedulingEpoch() == c.epoch) {
      try {
        self.handoff(client, true, endpoint.receiveReason);
        return;
      } catch (IllegalStateException gone) { // DeadProcessException, or the caller finished
        return; // the caller's process was killed meanwhile: nobody to return to
      }
    }
    if (c.donated) {
      endpoint.system.slowReturns.increment();
    }
    client.wake();
  }

  /** Answers the assigned call with {@code ESRCH} (the server is being killed); returns whether it did. */
  boolean abandon() {
    Call c = assigned;
    if (c != null && c != oneWay && c.complete(Status.ESRCH)) {
      c.client.wake();
      return true;
    }
    return false;
  }
}
