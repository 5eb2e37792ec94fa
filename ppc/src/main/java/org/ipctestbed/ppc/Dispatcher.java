package org.ipctestbed.ppc;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.ipctestbed.substrate.ContendedLock;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberState;
import org.ipctestbed.substrate.SharedLine;

/**
 * A K42 dispatcher (VP) of one process on one CPU: the kernel's {@code ProcessAnnex} and the state of
 * the user-level {@code DispatcherDefault}, whose code is in {@link DispatcherDefault} (research/k42.md
 * sections 0, 1.2–1.7, 2, 4.3). It holds the
 * soft-interrupt word, the IPC entry point, the thread table and the LIFO free list of server threads,
 * the per-source retry lists, the single {@code pendingRemoteIPC} slot, the two async buffers and the
 * async handler pool.
 *
 * <p>The dispatcher's own code (its RUN/INTERRUPT entry, {@link DispatcherDefault#runEntry}) runs in an
 * "entry" fiber of the process,
 * which sleeps until the soft-interrupt word goes from 0 to non-0, then takes the interrupts: accepts
 * a pending remote IPC, wakes threads parked for a retry, makes an async handler ready, and honours
 * {@code PREEMPT} by yielding cleanly. Being a fiber of the process, it runs in the process's own
 * domain, as a K42 dispatcher made runnable by a soft interrupt does.
 *
 * <p>Disabled (k42.md 1.5, 4.4): a dispatcher refuses synchronous PPCs while it has no entry point, or
 * has a "reserved thread": a fiber of its process on its CPU was stopped by hard preemption and has
 * not run since, or it is sending a remote IPC. Both are counters kept as the events happen (the
 * substrate reports hard-preempted state changes to the process's {@code UserLevelScheduler}), so
 * {@link #isDisabled()} is O(1) whatever the number of threads. K42's user-level disabled windows
 * have no safe point here (the code between two substrate primitives is atomic on its CPU), so they
 * need no flag.
 *
 * <p>Two levels (k42.md 4.1, 4.3): the kernel's run queue holds this dispatcher, not its threads,
 * while it has work; its ready threads are its own FIFO in the substrate ({@code hasWork}). When one
 * of them blocks, exits or yields, the dispatcher switches at user level: its entry code first
 * ({@link #nextReady}), otherwise the head of that FIFO. Idle server threads beyond {@code
 * keptServerThreads} are retired, coldest first.
 *
 * <p>"Yields cleanly" (k42.md 1.6 step 4, {@code ExceptionLocal_GetNextProcess}): the substrate has
 * no hook on its scheduler, so the yield points are the ones this module sees: the entry fiber going
 * back to sleep or honouring {@code PREEMPT}, a server thread finishing a call, a handler going idle,
 * a thread exiting, {@link PpcThread#yieldDispatcher()}. The {@code PREEMPT} bit that a refusal sets on
 * the target makes its entry fiber run after the preempted thread has run again, so a notification
 * always follows.
 */
public final class Dispatcher {
  static final String AWAIT_SOFT_INTERRUPT = "ppc: dispatcher awaiting a soft interrupt";

  final PpcKernel kernel;
  final PpcProcess process;
  final int cpuIndex;
  final int vp;
  final long commId;
  final SoftInterrupts interrupts = new SoftInterrupts();
  Fiber entry;
  volatile boolean entryPointSet;

  // thread table (threadArray) and thread lookup by fiber
  private volatile PpcThread[] threadArray = new PpcThread[0];
  private final ConcurrentHashMap<Fiber, PpcThread> byFiber = new ConcurrentHashMap<>();

  // keys of retired threads, reused by the next thread made
  private int[] freeKeys = new int[4];
  private int freeKeyCount;

  // free list of server threads (LIFO)
  private ServerThread[] free = new ServerThread[4];
  private int freeCount;
  private int serverThreads;
  private long serverThreadsRetired;

  // kernel-visible state (k42.md 4.3): the reserved-thread count that makes the dispatcher disabled
  /** Threads sending a remote IPC on their reserved kernel thread. */
  int reserved;
  /** Fibers of this process on this CPU the kernel stopped hard and has not re-dispatched. */
  private int hardPreempted;

  // IPC retry (ProcessAnnex fields and the library's ipcRetryList)
  long ipcRetrySources;
  long ipcDeferredRetrySources;
  long ipcRetryTargets;
  long ipcRetry;
  Dispatcher ipcRetryNext;
  final PpcThread[] ipcRetryList = new PpcThread[64];

  // remote IPC
  final AtomicReference<RemoteIPCBuffer> pendingRemoteIPC = new AtomicReference<>();
  /** The slot's cache line: written by every remote sender and by this CPU when it accepts (issue 12). */
  final SharedLine remoteMailboxLine = new SharedLine("pendingRemoteIPC");
  /** Prices {@link #lockRemote()} in the simulated engine: senders on other CPUs serialise on it. */
  final ContendedLock remoteAsyncLock = new ContendedLock("remote async buffer lock", Cost.QUEUE_OP);
  private final AtomicLongArray remoteWaiters;

  // async PPC
  final AsyncBuffer asyncLocal;
  final AsyncBuffer asyncRemote;
  private final AtomicBoolean remoteLock = new AtomicBoolean();
  private AsyncHandler[] idle = new AsyncHandler[4];
  private int idleCount;
  private int handlerCount;
  AsyncHandler ready;
  int busy;
  int maxBusySeen;
  long asyncDropped;
  long asyncHandled;

  final AtomicLong wakeups = new AtomicLong();
  long droppedReplies;

  Dispatcher(PpcKernel kernel, PpcProcess process, int cpuIndex, int vp) {
    this.kernel = kernel;
    this.process = process;
    this.cpuIndex = cpuIndex;
    this.vp = vp;
    this.commId = CommID.of(process.pid(), 0, vp);
    this.remoteWaiters = new AtomicLongArray((kernel.machine().cpuCount() + 63) / 64);
    this.asyncLocal = new AsyncBuffer(kernel.config().asyncBufferWords());
    this.asyncRemote = new AsyncBuffer(kernel.config().asyncBufferWords());
  }

  void start(boolean withEntryPoint) {
    entry = process.process().spawnDaemon(
        "ppc-dispatcher-" + CommID.toString(commId), cpuIndex, self -> kernel.user.runEntry(this, self));
    for (int i = 0; i < kernel.config().initialServerThreads(); i++) {
      freeThread(newServerThread());
    }
    entryPointSet = withEntryPoint;
  }

  // ------------------------------------------------------------------ identity

  public long commId() {
    return commId;
  }

  public int vp() {
    return vp;
  }

  public int cpu() {
    return cpuIndex;
  }

  public PpcProcess process() {
    return process;
  }

  /** Whether the {@code IPC_CALL} entry point is registered. */
  public boolean hasEntryPoint() {
    return entryPointSet;
  }

  /** Server threads this dispatcher holds now (free or serving). */
  public int serverThreads() {
    return serverThreads;
  }

  /** Idle server threads retired so far because more than the kept number were free. */
  public long serverThreadsRetired() {
    return serverThreadsRetired;
  }

  /** Size of the thread table (live threads plus reusable slots). */
  public int threadTableSize() {
    return threadArray.length;
  }

  /** Server threads on the free list now. */
  public int freeServerThreads() {
    return freeCount;
  }

  /** How often the soft-interrupt word went from 0 to non-0 (each one made the dispatcher runnable). */
  public long wakeups() {
    return wakeups.get();
  }

  /** Replies this dispatcher dropped because they failed the authenticity check (invariant 5). */
  public long droppedReplies() {
    return droppedReplies;
  }

  /** Async requests handled, and dropped as invalid. */
  public long asyncHandled() {
    return asyncHandled;
  }

  public long asyncDropped() {
    return asyncDropped;
  }

  /** The most async handlers that were busy at once. */
  public int maxBusyHandlers() {
    return maxBusySeen;
  }

  /** Async handler threads created. */
  public int asyncHandlerThreads() {
    return handlerCount;
  }

  // ------------------------------------------------------------------ entry point, disabled state

  /**
   * Registers the {@code IPC_CALL} entry point ({@code ExceptionLocal_SetEntryPoint}); callers refused
   * meanwhile are notified (their deferred retries fire). Call from a fiber on this dispatcher's CPU,
   * or before the machine runs.
   */
  public void setEntryPoint() {
    entryPointSet = true;
    if (ipcDeferredRetrySources != 0) {
      ipcRetrySources |= ipcDeferredRetrySources;
      ipcDeferredRetrySources = 0;
      kernel.cpu(cpuIndex).retry.notify(this);
    }
    if (pendingRemoteIPC.get() != null) {
      raise(SoftInterrupts.PREEMPT);
    }
  }

  /**
   * K42's {@code reservedThread != NULL}, in O(1): a fiber of this dispatcher was stopped by hard
   * preemption and has not run since (the kernel holds its context), or a thread is sending a remote
   * IPC. Kept by the substrate's {@link org.ipctestbed.substrate.UserLevelScheduler} callbacks.
   */
  boolean reservedThread() {
    return reserved > 0 || hardPreempted > 0;
  }

  /** Whether a synchronous PPC or reply to this dispatcher is refused now (k42.md 1.5). O(1). */
  public boolean isDisabled() {
    return !entryPointSet || reservedThread();
  }

  /** Whether the kernel holds a hard-preempted context of this dispatcher (k42.md 4.4). */
  public boolean isHardPreempted() {
    return hardPreempted > 0;
  }

  /** The kernel stopped ({@code on}) or re-dispatched a fiber of this dispatcher; on its CPU. */
  void hardPreemptChanged(boolean on) {
    // Never below 0: a fiber stopped before this dispatcher existed is re-dispatched after.
    hardPreempted = on ? hardPreempted + 1 : Math.max(0, hardPreempted - 1);
  }

  /**
   * K42's {@code hasWork} (k42.md 4.3): whether a thread of this dispatcher is ready, i.e. whether the
   * kernel keeps it runnable. Kept by the substrate's run queue of this CPU, which holds this
   * dispatcher (not its threads) while it has work. O(1); exact on this dispatcher's CPU.
   */
  public boolean hasWork() {
    return kernel.machine().cpu(cpuIndex).dispatcherHasWork(process.process());
  }

  /** The soft-interrupt bits pending now (k42.md 4.3; a snapshot). */
  public int softInterrupts() {
    return interrupts.pending();
  }

  /**
   * The dispatcher's preference when it switches threads at user level (k42.md 4.1): its own entry
   * code first when it is ready (soft interrupts are taken before any thread resumes), otherwise null,
   * and the substrate takes the head of this dispatcher's ready queue. O(1).
   */
  Fiber nextReady(Fiber from) {
    if (entry != null && entry != from && entry.state() == FiberState.RUNNABLE && !entry.isHardPreempted()) {
      return entry;
    }
    return null;
  }

  /** The dispatcher yields cleanly: notify the callers it refused (k42.md 1.6 step 4). */
  void cleanYield() {
    if (ipcRetrySources != 0 && !reservedThread()) {
      kernel.cpu(cpuIndex).retry.notify(this);
    }
  }

  /**
   * Sets soft interrupt {@code bit}; on the word's 0 → non-0 transition, makes the dispatcher runnable
   * (a local wake, or an IPI from another CPU). Callable from any fiber or IPI handler; charges
   * nothing (the caller charges {@code SOFT_INTERRUPT}/{@code IPI_SEND}).
   *
   * @return whether this was the 0 → non-0 transition
   */
  boolean raise(int bit) {
    if (interrupts.raise(bit)) {
      wakeups.incrementAndGet();
      entry.wake();
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ threads

  /**
   * The thread state of {@code f}, registered on first use. The thread table is written only by code
   * on this dispatcher's CPU or before the machine runs (set-up, not the hot path).
   */
  PpcThread register(Fiber f) {
    PpcThread t = byFiber.get(f);
    if (t != null) {
      return t;
    }
    return addThread(new PpcThread(kernel, this, nextKey(), f));
  }

  /** The key of the next thread: a retired thread's, or a new slot at the end of the table. */
  private int nextKey() {
    return freeKeyCount > 0 ? freeKeys[--freeKeyCount] : threadArray.length;
  }

  private <T extends PpcThread> T addThread(T t) {
    PpcThread[] a = t.key < threadArray.length ? threadArray : Arrays.copyOf(threadArray, t.key + 1);
    a[t.key] = t;
    threadArray = a;
    if (t.fiber != null) {
      byFiber.put(t.fiber, t);
    }
    return t;
  }

  /** Ends idle server thread {@code s} (on the free list, blocked) and frees its key. */
  private void retire(ServerThread s) {
    s.fiber.retire();
    byFiber.remove(s.fiber);
    threadArray[s.key] = null;
    if (freeKeyCount == freeKeys.length) {
      freeKeys = Arrays.copyOf(freeKeys, freeKeys.length * 2);
    }
    freeKeys[freeKeyCount++] = s.key;
    serverThreads--;
    serverThreadsRetired++;
  }

  PpcThread threadOf(Fiber f) {
    return byFiber.get(f);
  }

  /** The thread with key {@code key}, or null if the key is out of range ({@code IPCReturnEntry}). */
  PpcThread threadByKey(int key) {
    PpcThread[] a = threadArray;
    return key >= 0 && key < a.length ? a[key] : null;
  }

  private ServerThread newServerThread() {
    ServerThread s = addThread(new ServerThread(kernel, this, nextKey()));
    serverThreads++;
    // Parked: growing the free list is invisible to the scheduler, as in K42 (a call that grows it
    // keeps its borrowed domain); the thread starts when first handed the CPU.
    s.fiber =
        process.process().spawnParked(
            "ppc-server-" + CommID.toString(commId) + "-" + s.key, cpuIndex, ServerThread.FREE_LIST, s::body);
    byFiber.put(s.fiber, s);
    return s;
  }

  /**
   * {@code allocThread}: a server thread from the LIFO free list, or a new one when it is empty (the
   * free list grows by one thread per call that finds it empty, up to {@code maxServerThreads};
   * threads are never destroyed), or {@code null} (ENOMEM) beyond the limit.
   */
  ServerThread allocThread() {
    if (freeCount > 0) {
      ServerThread s = free[--freeCount];
      free[freeCount] = null;
      return s;
    }
    if (serverThreads >= kernel.config().maxServerThreads()) {
      return null;
    }
    return newServerThread();
  }

  /**
   * Puts {@code s} back on the free list. Beyond {@code keptServerThreads} idle threads, the coldest
   * one (the bottom of the LIFO list, blocked there longest) is retired, when it is blocked.
   */
  void freeThread(ServerThread s) {
    if (freeCount >= kernel.config().keptServerThreads() && free[0].fiber.state() == FiberState.BLOCKED
        && Fiber.current() != null && Fiber.current().cpu().index() == cpuIndex && Fiber.current() != free[0].fiber) {
      ServerThread cold = free[0];
      System.arraycopy(free, 1, free, 0, freeCount - 1);
      free[--freeCount] = null;
      retire(cold);
    }
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = s;
    if (pendingRemoteIPC.get() != null) {
      raise(SoftInterrupts.PREEMPT); // a remote call may have waited for a thread
    }
  }

  // ------------------------------------------------------------------ remote IPC

  void addRemoteWaiter(int cpu) {
    int w = cpu >>> 6;
    long bit = 1L << (cpu & 63);
    long v;
    do {
      v = remoteWaiters.get(w);
    } while ((v & bit) == 0 && !remoteWaiters.compareAndSet(w, v, v | bit));
  }

  /** The slot was consumed: tell the CPUs whose sources found it full. */
  int notifyRemoteWaiters() {
    int n = 0;
    for (int w = 0; w < remoteWaiters.length(); w++) {
      long bits = remoteWaiters.getAndSet(w, 0);
      while (bits != 0) {
        int b = Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        kernel.cpu(w * 64 + b).postRemoteRetry();
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ async PPC

  void lockRemote() {
    while (!remoteLock.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
  }

  void unlockRemote() {
    remoteLock.set(false);
  }

  boolean hasAsync() {
    return !asyncLocal.isEmpty() || !asyncRemote.isEmpty();
  }

  /** Dequeues the next message: local buffer first, then remote (k42.md 2.4 step 2). */
  boolean takeAsync(AsyncHandler.Message m) {
    if (asyncLocal.take(m)) {
      return true;
    }
    if (asyncRemote.isEmpty()) {
      return false;
    }
    lockRemote();
    try {
      return asyncRemote.take(m);
    } finally {
      unlockRemote();
    }
  }

  /** Makes one handler ready if none is, messages wait and fewer than the maximum are busy. */
  void ensureReadyHandler() {
    if (ready != null || busy >= kernel.config().maxBusyHandlers() || !hasAsync()) {
      return;
    }
    AsyncHandler h;
    if (idleCount > 0) {
      h = idle[--idleCount];
      idle[idleCount] = null;
    } else {
      h = addThread(new AsyncHandler(kernel, this, nextKey()));
      handlerCount++;
      h.fiber = process.process().spawnDaemon("ppc-async-" + CommID.toString(commId) + "-" + h.key, cpuIndex, h::body);
      byFiber.put(h.fiber, h);
    }
    ready = h;
    h.assigned = true;
    h.fiber.wake();
  }

  void idleHandler(AsyncHandler h) {
    if (idleCount == idle.length) {
      idle = Arrays.copyOf(idle, idle.length * 2);
    }
    idle[idleCount++] = h;
  }

  // ------------------------------------------------------------------ exit path, retry lists
  // (the dispatcher's own code, its RUN/INTERRUPT entry, is DispatcherDefault.runEntry)

  /**
   * The exit path of a dead process {@code pid}, on this dispatcher's CPU: every thread waiting for a
   * reply from it, or parked to retry a call to it, is answered with {@code ESRCH} (k42.md 1.6 step
   * 6: a fault other than EAGAIN resumes the caller with the error). A thread whose stack runs the
   * dead server (an upcall) is left to the substrate, which unwinds it.
   */
  void reapCallsTo(int pid) {
    for (PpcThread t : threadArray) {
      if (t == null || t.inUpcall || CommID.pid(t.targetId) != pid) {
        continue;
      }
      if (t.awaitingReply()) {
        t.reply.clearResult(org.ipctestbed.ipc.Status.ESRCH);
        t.replyStatus = org.ipctestbed.ipc.Status.ESRCH;
        t.aborted = true;
        t.replyReady = true;
      }
      if (t.parked) {
        unlinkRetry(t); // a parked retry re-issues the call and finds the target dead
        t.parked = false;
      }
      if (t.fiber != null) {
        t.fiber.wake();
      }
    }
  }

  private void unlinkRetry(PpcThread t) {
    for (int b = 0; b < ipcRetryList.length; b++) {
      PpcThread prev = null;
      for (PpcThread x = ipcRetryList[b]; x != null; prev = x, x = x.retryNext) {
        if (x == t) {
          if (prev == null) {
            ipcRetryList[b] = t.retryNext;
          } else {
            prev.retryNext = t.retryNext;
          }
          t.retryNext = null;
          return;
        }
      }
    }
  }

  void park(PpcThread t, int retryId) {
    t.retryNext = ipcRetryList[retryId];
    ipcRetryList[retryId] = t;
    t.parked = true;
  }

  @Override
  public String toString() {
    return "dispatcher " + CommID.toString(commId) + " of " + process.process() + " on CPU " + cpuIndex;
  }
}
