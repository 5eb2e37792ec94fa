package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Fiber;

/**
 * The PPC state of one thread of a process on one dispatcher: K42's {@code Thread} as the PPC code
 * sees it (research/k42.md 1.2 step 2, 1.3 step 4, 1.6): its key in the dispatcher's thread table and
 * its 64-bit thread ID (which encodes VP and key), its {@code targetID} (non-null while it is blocked in
 * a PPC), the registers of its call and of the reply, and a save area for the PPC page.
 *
 * <p>Client-side native API: {@link #call} (synchronous PPC), {@link #sendAsync} (asynchronous PPC),
 * {@link #ipcReturn} (the raw {@code IPC_RTN} system call, as a misbehaving process could issue it)
 * and {@link #yieldDispatcher()}. Every method must be called by the thread's own fiber; none
 * allocates. Server threads ({@link ServerThread}) and asynchronous handlers are threads too, so that
 * a server can make nested calls.
 *
 * <p>Difference from K42: a refused call is parked on the calling thread itself with the page saved
 * in its save area, where K42's library parks a freshly allocated thread carrying the call; the
 * calling thread sees neither way an {@code EAGAIN}.
 */
public class PpcThread {
  final PpcKernel kernel;
  final Dispatcher dispatcher;
  final int key;
  final long threadId;
  Fiber fiber;

  /** The registers of this thread's outgoing call (or, for a server thread, of its reply). */
  final PpcRegisters regs = new PpcRegisters();
  /** The registers of the reply to this thread's call. */
  final PpcRegisters reply = new PpcRegisters();
  /** K42 {@code targetID}: the CommID called, {@link CommID#NULL} when not in a PPC. */
  volatile long targetId = CommID.NULL;
  volatile boolean replyReady;
  int replyStatus;
  /** Set by a slow return that was decided while the server ran on this thread's stack. */
  boolean divert;
  /** The call was answered by the exit path of a dead target ({@code ESRCH}); the page holds nothing. */
  boolean aborted;
  /** The thread is blocked in an upcall: its stack is running its server; it must not be woken. */
  boolean inUpcall;
  long divertEpoch;

  // PRESERVE_PPC_PAGE area
  final byte[] save = new byte[PpcPage.LENGTH_MAX];
  int saveLength;
  boolean saved;

  // ipcRetryList link (IPCFaultOnThread)
  PpcThread retryNext;
  boolean parked;

  PpcThread(PpcKernel kernel, Dispatcher dispatcher, int key, Fiber fiber) {
    this.kernel = kernel;
    this.dispatcher = dispatcher;
    this.key = key;
    this.threadId = ((long) dispatcher.vp() << 32) | key;
    this.fiber = fiber;
  }

  /** Synchronous PPC; see {@link PpcKernel#call}. */
  public int call(ObjectHandle target, int method, IpcMessage in, IpcMessage out) {
    return kernel.call(this, target, method, in, out);
  }

  /** Asynchronous PPC; see {@link PpcKernel#sendAsync}. */
  public int sendAsync(ObjectHandle target, int method, IpcMessage in) {
    return kernel.sendAsync(this, target, method, in);
  }

  /**
   * The raw {@code IPC_RTN} system call with an explicit return address: what a process that was not
   * called could issue to forge a reply (research/k42.md 1.3 step 4, invariant 5). The client
   * dispatcher accepts it only if the thread key exists and that thread's target PID is this
   * process's; otherwise the reply is dropped and the waiting thread stays blocked.
   *
   * @return {@link org.ipctestbed.ipc.Status#OK} when the kernel carried the reply to the named
   *     dispatcher (which may still drop it), {@link org.ipctestbed.ipc.Status#ESRCH} if there is none
   */
  public int ipcReturn(long callerCommId, long callerThreadId, IpcMessage result, int rc) {
    return kernel.rawReturn(this, callerCommId, callerThreadId, result, rc);
  }

  /**
   * The dispatcher yields cleanly ({@code SYSCALL_PROC_YIELD}): pending retry notifications for callers
   * this dispatcher refused are sent (research/k42.md 1.6 step 4), then the fiber yields its CPU.
   */
  public void yieldDispatcher() {
    dispatcher.cleanYield();
    fiber.yieldCpu();
  }

  /**
   * The thread yields to its dispatcher's other ready threads, at user level (k42.md 4.1): no kernel
   * scheduling decision, one {@code USER_THREAD_SWITCH}; with none ready it goes on. See {@link
   * Fiber#yieldThread()}; the dispatcher itself stays on the CPU (unlike {@link #yieldDispatcher()}).
   */
  public void yieldThread() {
    fiber.yieldThread();
  }

  public Fiber fiber() {
    return fiber;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** K42's 64-bit thread ID: {@code VP << 32 | key}. */
  public long threadId() {
    return threadId;
  }

  /** The CommID of this thread's dispatcher: what a server sees as the badge of this thread's calls. */
  public long commId() {
    return dispatcher.commId();
  }

  /** Whether the thread is blocked in a PPC waiting for its reply. */
  public boolean awaitingReply() {
    return targetId != CommID.NULL && !replyReady;
  }

  @Override
  public String toString() {
    return "thread " + key + " (" + (fiber == null ? "unstarted" : fiber.name()) + ") of dispatcher " + CommID.toString(dispatcher.commId());
  }
}
