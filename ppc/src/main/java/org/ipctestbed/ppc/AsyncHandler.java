package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * A thread that handles asynchronous PPCs for one dispatcher (research/k42.md 2.4; {@code
 * DispatcherDefault.C}, "Asynchronous Message-Handling Strategy"). On {@code ASYNC_MSG} the
 * dispatcher makes one handler "ready" if none is; a ready handler that takes a message becomes busy,
 * and if messages remain it first makes another one ready, so that the next message need not wait if
 * this one blocks. At most {@code maxBusyHandlers} (10) are busy; beyond that, messages wait in the
 * buffers. A handler drains the local buffer first, then the remote one, and returns to the idle pool
 * when both are empty. Invalid requests (bad XHandle, method, sequence number or rights) are dropped
 * silently. Handlers run in the receiving process's own domain: nothing is borrowed (invariant 9).
 */
final class AsyncHandler extends PpcThread {
  static final String IDLE = "ppc: async handler idle";

  /** A dequeued asynchronous message. */
  static final class Message {
    long badge;
    long xhandle;
    int method;
    final IpcMessage args = new IpcMessage(AsyncBuffer.MSG_LENGTH_MAX);
  }

  final Message msg = new Message();
  final IpcMessage scratch = new IpcMessage(PpcPage.LENGTH_MAX);
  boolean assigned;

  AsyncHandler(PpcKernel kernel, Dispatcher dispatcher, int key) {
    super(kernel, dispatcher, key, null);
  }

  void body(Fiber self) {
    Dispatcher d = dispatcher;
    for (;;) {
      while (!assigned) {
        self.block(IDLE);
      }
      boolean busy = false;
      while (d.takeAsync(msg)) {
        if (!busy) {
          busy = true;
          if (d.ready == this) {
            d.ready = null;
          }
          d.busy++;
          d.maxBusySeen = Math.max(d.maxBusySeen, d.busy);
        }
        d.ensureReadyHandler();
        self.charge(Cost.QUEUE_OP);
        self.charge(Cost.COPY_PER_BYTE, msg.args.length());
        scratch.clear();
        if (kernel.stubs.invoke(d.process, msg.xhandle, msg.method, msg.badge, self, msg.args, scratch)
            == Stubs.INVALID) {
          d.asyncDropped++;
        } else {
          d.asyncHandled++;
        }
      }
      if (busy) {
        d.busy--;
      }
      if (d.ready == this) {
        d.ready = null;
      }
      assigned = false;
      d.idleHandler(this);
      d.cleanYield();
    }
  }
}
