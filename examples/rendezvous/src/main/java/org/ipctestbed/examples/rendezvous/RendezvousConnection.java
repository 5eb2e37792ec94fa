package org.ipctestbed.examples.rendezvous;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.DeadProcessException;
import org.ipctestbed.substrate.Fiber;

/**
 * A client's connection to a rendezvous {@link Endpoint}: the SPI's hot path. Allocation-free: the
 * call record and the scratch arrays are made once, at connect.
 *
 * <p>A call: trap; claim a waiting server thread (this CPU's first) or queue; on this CPU switch to
 * it directly ({@code handoff}: keeping this fiber's account with {@code donate}, through the
 * scheduler without); on another CPU wake it (an IPI); then wait, blocked, until the call is done.
 */
final class RendezvousConnection implements Connection {
  private final Endpoint endpoint;
  private final RendezvousSystem system;
  private final Call call;
  private final ServerThread[] claimed = new ServerThread[1];
  private final int[] refusal = new int[1];
  private final String callReason;

  RendezvousConnection(Endpoint endpoint, Call call) {
    this.endpoint = endpoint;
    this.system = endpoint.system;
    this.call = call;
    this.callReason = "in call to rendezvous endpoint '" + endpoint.spec.name() + "'";
  }

  @Override
  public int call(Fiber self, IpcMessage request, IpcMessage reply) {
    if (!endpoint.server.isAlive()) {
      return Status.ESRCH;
    }
    if (request.length() > endpoint.spec.maxPayload()) {
      return Status.ENOSPC;
    }
    self.charge(Cost.TRAP);
    call.start(self, request, reply);
    int where = endpoint.claim(self.cpu().index(), call, claimed);
    if (where == Endpoint.DEAD) {
      call.complete(Status.ESRCH);
      return Status.ESRCH;
    }
    if (where == Endpoint.QUEUED) {
      system.queuedCalls.increment(); // a server thread finishing its call will take it
    } else if (where == self.cpu().index()) {
      system.directSwitches.increment();
      Fiber server = claimed[0].fiber;
      claimed[0] = null;
      try {
        if (system.donate) {
          // Direct switch keeping this account. No primitive between the claim and the switch: a
          // charge is a safe point where this fiber could be preempted with the server claimed.
          call.epoch = self.cpu().schedulingEpoch();
          call.donated = true;
          self.handoff(server, true, callReason);
          // The substrate charged nothing for that switch (only dispatches are charged implicitly), so
          // the mechanism charges it, on the caller's account, once it is back.
          self.charge(Cost.THREAD_SWITCH);
          if (server.process() != self.process()) {
            self.charge(Cost.ADDRESS_SPACE_SWITCH);
          }
        } else {
          self.handoff(server, false, callReason); // the scheduler's dispatch is charged by the engine
        }
      } catch (DeadProcessException killed) {
        // the server died between the claim and the switch: its exit path answers the call
      }
    } else {
      system.crossCpuCalls.increment();
      Fiber server = claimed[0].fiber;
      claimed[0] = null;
      self.charge(Cost.IPI_SEND);
      server.wake();
    }
    while (!call.done()) {
      self.block(callReason);
    }
    return call.status;
  }

  @Override
  public int send(Fiber self, IpcMessage request) {
    if (!endpoint.server.isAlive()) {
      return Status.ESRCH;
    }
    if (request.length() > maxSendPayload()) {
      return Status.EMSGSIZE;
    }
    self.charge(Cost.TRAP);
    ServerThread t = endpoint.claimForSend(self.cpu().index(), request, refusal);
    if (t == null) {
      if (refusal[0] == Status.EBUSY) {
        system.busySends.increment();
      }
      return refusal[0];
    }
    self.charge(Cost.COPY_PER_BYTE, request.length()); // the registers, copied at the claim
    if (t.cpu != self.cpu().index()) {
      self.charge(Cost.IPI_SEND);
    }
    t.fiber.wake();
    return Status.OK;
  }

  @Override
  public int receive(Fiber self, IpcMessage completion, boolean wait) {
    return Status.ENOTSUP; // L4 sends have no completion
  }

  @Override
  public int maxSendPayload() {
    return Math.min(system.mrBytes, endpoint.spec.maxPayload());
  }
}
