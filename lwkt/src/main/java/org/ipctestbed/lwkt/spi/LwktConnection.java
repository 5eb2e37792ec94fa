package org.ipctestbed.lwkt.spi;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.lwkt.LwktMsg;
import org.ipctestbed.lwkt.ThreadPort;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * A client's binding to an LWKT service: the server's thread port it sends to, the client thread's
 * own reply port, one message for synchronous calls and a bounded pool of preallocated messages for
 * asynchronous sends. See {@link LwktIpcSystem} for the mapping of each operation.
 *
 * <p>The connection belongs to one client fiber: the first fiber that uses it becomes the owner of
 * its reply port and must run on the connection's CPU; a use by another fiber is a programming error
 * and throws {@link IllegalStateException}. Everything else returns a {@link Status} and allocates
 * nothing.
 */
final class LwktConnection implements Connection {
  private final LwktService service;
  private final Process client;
  private final int clientCpu;
  private final ThreadPort target;
  private final ThreadPort replyPort;
  private final int maxPayload;
  private final RpcMsg callMsg;
  private final RpcMsg[] free;
  private int freeCount;
  private Fiber owner;

  LwktConnection(LwktService service, Process client, int clientCpu, int poolSize, int replyCapacity) {
    this.service = service;
    this.client = client;
    this.clientCpu = clientCpu;
    this.target = service.portFor(clientCpu);
    this.replyPort = new ThreadPort(client.machine().cpu(clientCpu),
        client.name() + "->" + service.spec().name() + ".replyport");
    this.maxPayload = service.spec().maxPayload();
    this.callMsg = new RpcMsg(maxPayload, replyCapacity);
    this.free = new RpcMsg[poolSize];
    for (int i = 0; i < poolSize; i++) {
      free[i] = new RpcMsg(maxPayload, replyCapacity);
    }
    this.freeCount = poolSize;
  }

  private void bind(Fiber self) {
    if (owner == self) {
      return;
    }
    if (owner != null) {
      throw new IllegalStateException("connection of " + client + " to '" + service.spec().name()
          + "' belongs to fiber '" + owner.name() + "', not '" + self.name() + "'");
    }
    if (self.cpu().index() != clientCpu || self.process() != client) {
      throw new IllegalStateException("connection of " + client + " on CPU " + clientCpu + " used by fiber '"
          + self.name() + "' of " + self.process() + " on " + self.cpu());
    }
    replyPort.bindOwner(self);
    owner = self;
  }

  private int load(Fiber self, RpcMsg m, IpcMessage req) {
    if (req.length() > maxPayload) {
      return Status.EMSGSIZE;
    }
    self.charge(Cost.COPY_PER_BYTE, req.length());
    m.request.copyFrom(req);
    m.reply.clear();
    Lwkt.initmsg(m, replyPort, 0);
    return Status.OK;
  }

  private int unload(Fiber self, RpcMsg m, IpcMessage out, int status) {
    self.charge(Cost.COPY_PER_BYTE, m.reply.length());
    if (out.copyFrom(m.reply) != Status.OK) {
      return Status.ENOSPC;
    }
    out.status(status);
    return Status.OK;
  }

  @Override
  public int call(Fiber self, IpcMessage request, IpcMessage reply) {
    bind(self);
    if (!service.server().isAlive()) {
      return Status.ESRCH;
    }
    RpcMsg m = callMsg;
    int st = load(self, m, request);
    if (st != Status.OK) {
      return st;
    }
    self.charge(Cost.TRAP); // a user process reaches a port only through a system call
    int status = Lwkt.domsg(self, target, m, 0);
    int copied = unload(self, m, reply, status);
    return copied != Status.OK ? copied : status;
  }

  @Override
  public int send(Fiber self, IpcMessage request) {
    bind(self);
    if (!service.server().isAlive()) {
      return Status.ESRCH;
    }
    if (request.length() > maxPayload) {
      return Status.EMSGSIZE;
    }
    if (freeCount == 0) {
      return Status.EBUSY;
    }
    RpcMsg m = free[--freeCount];
    load(self, m, request);
    self.charge(Cost.TRAP);
    Lwkt.sendmsg(self, target, m);
    return Status.OK;
  }

  @Override
  public int receive(Fiber self, IpcMessage completion, boolean wait) {
    bind(self);
    self.charge(Cost.TRAP);
    LwktMsg got = Lwkt.getport(self, replyPort);
    if (got == null) {
      if (!wait || freeCount == free.length) {
        return Status.EWOULDBLOCK; // nothing outstanding: waiting would never end
      }
      if (!service.server().isAlive()) {
        return Status.ESRCH;
      }
      got = Lwkt.waitport(self, replyPort, 0);
    }
    RpcMsg m = (RpcMsg) got;
    int st = unload(self, m, completion, m.error());
    free[freeCount++] = m;
    return st;
  }

  @Override
  public int maxSendPayload() {
    return maxPayload;
  }

  /** Messages of the send pool not yet received back. */
  int outstanding() {
    return free.length - freeCount;
  }

  ThreadPort target() {
    return target;
  }

  ThreadPort replyPort() {
    return replyPort;
  }
}
