package org.ipctestbed.experiments.baseline;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * A client's connection to a {@link DirectCallService}: {@link #call} and {@link #send} run the
 * service's handler in the caller's fiber, on the caller's CPU, charged to the caller (the {@link
 * DirectCallProvider lower bound}).
 *
 * <p>Each connection owns the server-side copies of the request and the reply (so the handler never
 * sees the client's objects, as with a real protection boundary) and, from its first send on, a
 * {@link CompletionQueue} of {@value #COMPLETION_CAPACITY} completions. Hot paths allocate nothing and
 * take no lock; a connection belongs to one client fiber, and handlers of one service may run
 * concurrently in several callers' fibers (real engine).
 *
 * <p>Where it deliberately differs from a mechanism: a waiting {@link #receive} with no completion
 * queued returns {@link Status#EWOULDBLOCK} instead of blocking, because completions are produced
 * synchronously by this connection's own sends, so nothing could ever arrive to end the wait. A
 * server killed while its handler runs cannot stop that handler (it runs in the client's fiber): the
 * call then returns {@link Status#ESRCH} and drops the reply, and a send queues a completion with
 * status {@link Status#ESRCH}.
 */
final class DirectCallConnection implements Connection {
  /** Completions one connection holds before {@link #send} answers {@link Status#EBUSY}. */
  static final int COMPLETION_CAPACITY = 64;

  private final DirectCallService service;
  private final Process server;
  private final int maxPayload;
  private final IpcMessage serverRequest;
  private final IpcMessage serverReply;
  private CompletionQueue completions;

  DirectCallConnection(DirectCallService service) {
    this.service = service;
    this.server = service.server();
    this.maxPayload = service.spec().maxPayload();
    this.serverRequest = new IpcMessage(maxPayload);
    this.serverReply = new IpcMessage(maxPayload);
  }

  @Override
  public int call(Fiber self, IpcMessage request, IpcMessage reply) {
    if (!server.isAlive()) {
      return Status.ESRCH;
    }
    if (request.length() > maxPayload) {
      return Status.ENOSPC;
    }
    int status = invoke(self, request);
    if (!server.isAlive()) {
      return Status.ESRCH;
    }
    if (serverReply.length() > reply.capacity()) {
      return Status.ENOSPC;
    }
    copy(self, serverReply, reply);
    reply.status(status);
    return status;
  }

  @Override
  public int send(Fiber self, IpcMessage request) {
    if (!server.isAlive()) {
      return Status.ESRCH;
    }
    if (request.length() > maxPayload) {
      return Status.EMSGSIZE;
    }
    if (completions == null) {
      completions = new CompletionQueue(COMPLETION_CAPACITY, maxPayload); // once per connection
    }
    if (completions.isFull()) {
      return Status.EBUSY; // back-pressure: the handler is not run, nothing is stored
    }
    int status = invoke(self, request);
    if (!server.isAlive()) {
      status = Status.ESRCH;
    }
    self.charge(Cost.QUEUE_OP);
    int st = completions.offer(serverReply, status);
    if (st != Status.OK) {
      throw new IllegalStateException("direct-call completion queue refused a reply: " + Status.name(st));
    }
    if (serverReply.length() > 0) {
      self.charge(Cost.COPY_PER_BYTE, serverReply.length());
    }
    return Status.OK;
  }

  @Override
  public int receive(Fiber self, IpcMessage completion, boolean wait) {
    if (completions == null || completions.isEmpty()) {
      return Status.EWOULDBLOCK;
    }
    int length = completions.headLength();
    int st = completions.poll(completion);
    if (st == Status.OK) {
      self.charge(Cost.QUEUE_OP);
      if (length > 0) {
        self.charge(Cost.COPY_PER_BYTE, length);
      }
    }
    return st;
  }

  @Override
  public int maxSendPayload() {
    return maxPayload;
  }

  /** Copies the request into the server's copy and runs the handler in the caller's fiber. */
  private int invoke(Fiber self, IpcMessage request) {
    self.charge(Cost.PROCEDURE_CALL); // the call itself: without it a simulated null call takes no time
    copy(self, request, serverRequest);
    serverReply.clear();
    return service.handler().handle(self, serverRequest, serverReply);
  }

  private static void copy(Fiber self, IpcMessage from, IpcMessage to) {
    to.copyFrom(from); // fits: lengths were checked by the caller
    if (from.length() > 0) {
      self.charge(Cost.COPY_PER_BYTE, from.length());
    }
  }
}
