package org.ipctestbed.experiments.workload;

import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;

/**
 * The server of the call workloads: does as many nanoseconds of its own work as the request's word
 * {@value #WORK_WORD} asks for, then answers {@link Status#OK} with an empty reply that echoes the
 * request's word {@value #SEQ_WORD} (so a client can check the reply is the answer to its call).
 * Stateless, so any number of serving fibers may run it at once.
 */
final class RequestedWork implements Handler {
  /** Request word carrying the server work in nanoseconds. */
  static final int WORK_WORD = 0;

  /** Request word carrying the caller's sequence number, echoed in the reply's same word. */
  static final int SEQ_WORD = 1;

  static final RequestedWork INSTANCE = new RequestedWork();

  private RequestedWork() {}

  @Override
  public int handle(Fiber self, IpcMessage request, IpcMessage reply) {
    long ns = request.word(WORK_WORD);
    if (ns > 0) {
      self.work(ns);
    }
    reply.op(request.op()).word(SEQ_WORD, request.word(SEQ_WORD)).length(0);
    return Status.OK;
  }
}
