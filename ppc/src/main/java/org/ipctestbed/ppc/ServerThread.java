package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Fiber;

/**
 * A server thread of a dispatcher's free list (research/k42.md 1.2 steps 4–6, 1.3 step 1; {@code
 * DispatcherDefault_IPCCallEntry}, {@code DispatcherDefaultExp::PPCServerOnThread}). One thread serves
 * one call at a time; an incoming call takes a thread from the LIFO free list, so N outstanding calls
 * hold N threads (invariant 3).
 *
 * <p>How it runs: on the local fast path a thread that is blocked on the free list runs the call on
 * the caller's stack through {@link Fiber#upcall} (the "run the method on the caller's
 * carrier stack": no continuation switch, no scheduler decision, the caller's account kept; if the
 * server blocks, the caller's stack waits with it, which is right since the caller waits for the reply
 * anyway). A thread that has never run yet (just created to grow the free list) and every remote call
 * run on the thread's own stack, reached by a hand-off ({@link #body}).
 */
final class ServerThread extends PpcThread implements Fiber.Upcall {
  static final String FREE_LIST = "ppc: server thread on the free list";

  /** The server's own copy of the arguments (the page is reset once they are copied). */
  final IpcMessage args = new IpcMessage(PpcPage.LENGTH_MAX);
  final IpcMessage result = new IpcMessage(PpcPage.LENGTH_MAX);
  /** The registers of the incoming call, badge in {@code callerId}. */
  final PpcRegisters in = new PpcRegisters();
  boolean hasCall;
  boolean upcalled;
  boolean remote;
  long callerId;
  long callerThreadId;

  ServerThread(PpcKernel kernel, Dispatcher dispatcher, int key) {
    super(kernel, dispatcher, key, null);
  }

  /**
   * The kernel launches {@code IPC_CALL_ENTRY} on this thread: a local call, or a remote one the
   * target's CPU accepted ({@code AcceptRemoteIPC}); {@code onOwnStack} when the thread will run it in
   * its {@link #body} rather than in an upcall.
   */
  void accept(PpcRegisters call, long badge, long callerThread, boolean remoteCall, boolean onOwnStack) {
    in.copyFrom(call);
    in.callerId = badge;
    in.threadId = callerThread;
    callerId = badge;
    callerThreadId = callerThread;
    remote = remoteCall;
    hasCall = onOwnStack;
  }

  /** The fast path: serves the call on the caller's stack, as this thread. */
  @Override
  public int run(Fiber server) {
    upcalled = true;
    int rc = kernel.stubs.serve(this, server);
    kernel.returnFromServer(this, server, rc);
    return rc;
  }

  /** The thread's own stack: waits on the free list, serves calls handed to it. */
  void body(Fiber self) {
    for (;;) {
      while (!hasCall) {
        self.block(FREE_LIST);
      }
      hasCall = false;
      upcalled = false;
      int rc = kernel.stubs.serve(this, self);
      kernel.returnFromServer(this, self, rc);
    }
  }
}
