package org.ipctestbed.ppc;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.DeadProcessException;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberState;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * K42's Protected Procedure Call installed on one {@link Machine}, and its kernel: the IPC system
 * calls at exception level ({@code ExceptionLocal_IPCCallSyscall}, {@code IPCReturnSyscall}, {@code
 * IPCAsyncSyscall}, the remote send path) and the process table (research/k42.md sections 1–3). The
 * other roles live beside it: the stub compiler's code (client marshalling, the X-object entry) in
 * {@link Stubs}; the dispatcher's user-side entry points ({@code AcceptRemoteIPC}, {@code
 * IPCReturnEntry}'s reply delivery, {@code IPCCallEntry}'s ENOMEM answer) in {@link
 * DispatcherDefault}; its thread scheduling, entry code, retry lists and async handlers in {@link
 * Dispatcher} and {@link PpcProcess}. One instance
 * per machine, made by {@link #install}. Processes take part through {@link #process(Process)}.
 *
 * <p>Paths, each charging the named costs where K42 pays them, from the fiber that pays:
 *
 * <ul>
 *   <li><b>Synchronous, local</b> ({@link #call}; k42.md 1.2–1.3, {@code ExceptionExp::IPCCallSyscall}
 *       / {@code IPCReturnSyscall}): the stub marshals into the CPU's {@link PpcPage} ({@code ENOSPC}
 *       beyond 4072 bytes, before any trap), traps ({@code TRAP}), finds the target dispatcher on this
 *       CPU through the wildcard VP, refuses a disabled one ({@code EAGAIN}: the call is parked and
 *       re-issued on {@code IPC_RETRY_NOTIFY}, the thread never sees it), takes a server thread from
 *       the free list, pushes the {@link BorrowChain}, writes the badge and switches to the server
 *       ({@code ADDRESS_SPACE_SWITCH}) keeping the caller's account. The server copies the arguments
 *       out and resets the page, checks XHandle index, method number, sequence number and rights
 *       ({@code EPERM}), runs the method, marshals the reply, traps, and returns: the fast path if the
 *       chain's new top is the caller, otherwise the slow path through the scheduler.
 *   <li><b>Synchronous, remote</b> (k42.md 1.7): no dispatcher of the target on this CPU: a copy goes
 *       to the target's VP 0 through its single {@code pendingRemoteIPC} slot ({@code EAGAIN} and a
 *       retry when full), with a {@code PREEMPT} soft interrupt; the target's CPU serves it in the
 *       target's own domain and replies the same way to the caller's exact VP. Nothing is borrowed.
 *   <li><b>Asynchronous</b> ({@link #sendAsync}; k42.md 2): a deposit into the target's local or remote
 *       buffer ({@code EMSGSIZE} beyond 48 bytes, {@code EBUSY} when full), an {@code ASYNC_MSG} soft
 *       interrupt, and the trap returns to the sender.
 * </ul>
 *
 * <p>Deliberate differences: the fast path runs the server thread on the caller's stack ({@link
 * Fiber#upcall}) when the thread is blocked on the free list, and hands the CPU to it when it has never
 * run; a parked retry keeps the calling thread rather than a fresh one; remote-retry notifications are
 * driven by the consumption of the mailbox (what K42's source comment asks for) instead of every
 * yield; primitive PPC (k42.md 1.8) and page-fault paths are not modelled.
 */
public final class PpcKernel {
  static final String AWAIT_REPLY = "ppc: awaiting reply";
  static final String AWAIT_REMOTE_REPLY = "ppc: awaiting remote reply";
  static final String PARKED = "ppc: EAGAIN, parked for IPC_RETRY_NOTIFY";

  /** {@code MSG_LENGTH}: the largest async payload, 6 words, 48 bytes (k42.md 2.5). */
  public static final int ASYNC_MSG_LENGTH_MAX = AsyncBuffer.MSG_LENGTH_MAX;

  private static final int RETRY = Integer.MIN_VALUE + 1;

  private final Machine machine;
  private final PpcConfig config;
  private final PpcCpu[] cpus;
  private final ConcurrentHashMap<Process, PpcProcess> processes = new ConcurrentHashMap<>();
  private final AtomicReference<PpcProcess[]> byPid = new AtomicReference<>(new PpcProcess[0]);
  /** The stub compiler's side: client marshalling and the X-object entry. */
  final Stubs stubs = new Stubs(this);
  /** The dispatcher's user side: its entry points for remote IPCs and replies. */
  final DispatcherDefault user = new DispatcherDefault(this);

  private PpcKernel(Machine machine, PpcConfig config) {
    this.machine = machine;
    this.config = config;
    this.cpus = new PpcCpu[machine.cpuCount()];
    for (int i = 0; i < cpus.length; i++) {
      cpus[i] = new PpcCpu(machine.cpu(i));
    }
  }

  /** PPC on {@code machine} with the default limits. */
  public static PpcKernel install(Machine machine) {
    return install(machine, PpcConfig.DEFAULT);
  }

  public static PpcKernel install(Machine machine, PpcConfig config) {
    return new PpcKernel(machine, config);
  }

  public Machine machine() {
    return machine;
  }

  public PpcConfig config() {
    return config;
  }

  PpcCpu cpu(int i) {
    return cpus[i];
  }

  /** The PPC page of CPU {@code cpu}. */
  public PpcPage page(int cpu) {
    return cpus[cpu].page;
  }

  /** The borrow chain of CPU {@code cpu}. */
  public BorrowChain chain(int cpu) {
    return cpus[cpu].chain;
  }

  /** Counters summed over CPUs (exact once the run is over). */
  public PpcStats stats() {
    PpcStats s = new PpcStats();
    for (PpcCpu c : cpus) {
      s.add(c.stats);
    }
    return s;
  }

  /** The PPC view of {@code p}, made on first use. */
  public PpcProcess process(Process p) {
    if (p.machine() != machine) {
      throw new IllegalArgumentException(p + " belongs to another machine");
    }
    return processes.computeIfAbsent(p, q -> {
      PpcProcess pp = new PpcProcess(this, q);
      PpcProcess[] old;
      PpcProcess[] now;
      do {
        old = byPid.get();
        now = Arrays.copyOf(old, Math.max(old.length, q.pid() + 1));
        now[q.pid()] = pp;
      } while (!byPid.compareAndSet(old, now));
      q.onKill(() -> exitPath(q.pid()));
      q.setUserLevelScheduler(pp); // two levels: the kernel schedules dispatchers, they schedule threads
      return pp;
    });
  }

  /**
   * A process died: each CPU answers the calls its threads had outstanding to it ({@link
   * Dispatcher#reapCallsTo}), at interrupt level on that CPU. Runs in the killer's context; posts one
   * IPI per CPU (allocates: an exit path, not the hot path).
   */
  private void exitPath(int pid) {
    for (PpcCpu c : cpus) {
      c.cpu.post(on -> {
        for (Dispatcher d : c.targets.snapshot()) {
          if (d != null) {
            d.reapCallsTo(pid);
          }
        }
      });
    }
  }

  /** {@code getRefFromPID}: the process with {@code pid}, or null. */
  PpcProcess processByPid(int pid) {
    PpcProcess[] a = byPid.get();
    return pid >= 0 && pid < a.length ? a[pid] : null;
  }

  /**
   * The dispatcher a cross-CPU IPC to {@code commId} goes to, or null if there is none: the exact VP,
   * or VP 0 for the wildcard ("eventually find closest vp", k42.md 1.7, invariant 16). The one lookup
   * of every remote path (calls, replies, raw returns, async deposits, the remote ENOMEM answer).
   */
  Dispatcher remoteTarget(long commId) {
    PpcProcess p = processByPid(CommID.pid(commId));
    return p == null ? null : p.vp(CommID.isWild(commId) ? 0 : CommID.vp(commId));
  }

  /** Brings the page back to {@code t} if another thread used it meanwhile (PRESERVE/RESTORE_PPC_PAGE). */
  static void reclaim(Fiber self, PpcPage page, PpcThread t) {
    int c;
    while ((c = page.ensureOwned(t)) > 0) {
      self.charge(Cost.COPY_PER_BYTE, c);
    }
  }

  private static int fail(PpcThread t, PpcPage page, int rc) {
    page.claim(t);
    t.reply.clearResult(rc);
    return rc;
  }

  // ================================================================== synchronous PPC, caller side

  /**
   * A synchronous PPC from {@code t} (called by {@code t}'s fiber): method {@code method} of the
   * object behind {@code target}, arguments {@code in}, reply into {@code out} (its payload, op and
   * words; {@code out.status} is set to the result).
   *
   * @return the method's status, or {@link Status#ENOSPC} (argument or reply larger than the page,
   *     or than {@code out}), {@link Status#EPERM} (unknown or stale handle, bad method number,
   *     rights), {@link Status#ESRCH} (no such process or it is dead), {@link PpcStatus#ENOMEM}. Never
   *     {@code EAGAIN}: refusals are retried inside.
   */
  int call(PpcThread t, ObjectHandle target, int method, IpcMessage in, IpcMessage out) {
    Fiber self = t.fiber;
    t.regs.load(target.xhandle(), method, in);
    t.regs.threadId = t.threadId;
    if (stubs.marshal(t, in) != Status.OK) {
      return Status.ENOSPC; // the stub's overflow check, before any trap
    }
    PpcCpu pc = cpus[t.dispatcher.cpuIndex];
    PpcPage page = pc.page;
    t.replyReady = false;
    t.targetId = target.commId(); // PPC_BLOCKED
    int rc = ipcCall(t, self, pc, page);
    t.targetId = CommID.NULL;
    if (t.aborted) {
      t.aborted = false;
      page.claim(t); // answered by the target's exit path: nothing on the page
    }
    return stubs.unmarshalReply(t, page, out, rc);
  }

  /** The {@code IPC_CALL} trap and what follows until the reply (or an error) is back. */
  private int ipcCall(PpcThread t, Fiber self, PpcCpu pc, PpcPage page) {
    for (;;) {
      self.charge(Cost.TRAP);
      reclaim(self, page, t);
      Dispatcher target = pc.targets.lookupWild(t.targetId);
      if (target == null) {
        int rc = remoteCall(t, self, pc, page);
        if (rc == RETRY) {
          continue;
        }
        return rc;
      }
      if (!target.process.process().isAlive()) {
        return fail(t, page, Status.ESRCH);
      }
      if (target.isDisabled()) {
        pc.stats.refusals++;
        if (!target.entryPointSet) {
          pc.chain.clear(); // refusal at a null entry point clears the chain (k42.md 3.2)
        }
        int id = pc.retry.requestNotification(t.dispatcher, target);
        t.dispatcher.park(t, id);
        waitForRetry(t, self, page, pc);
        continue;
      }
      ServerThread s = target.allocThread();
      if (s == null) {
        pc.stats.enomem++;
        return fail(t, page, PpcStatus.ENOMEM);
      }
      Fiber sf = s.fiber;
      boolean upcall = config.upcall() && sf.state() == FiberState.BLOCKED;
      s.accept(t.regs, t.dispatcher.commId, t.threadId, false, !upcall);
      page.handOver(s);
      pc.chain.push(t.dispatcher, target, self.cpu().schedulingEpoch());
      pc.stats.localCalls++;
      Process callerSpace = t.dispatcher.process.process();
      if (!callerSpace.isKernel()) {
        pc.space = callerSpace; // the caller runs in its own address space
      }
      try {
        if (upcall) {
          pc.stats.upcalls++;
          t.divert = false;
          t.inUpcall = true;
          try {
            self.upcall(sf, s);
          } finally {
            t.inUpcall = false;
          }
          if (t.divert) {
            t.divert = false;
            if (self.cpu().schedulingEpoch() == t.divertEpoch) {
              self.yieldCpu(); // the slow return: wait to be dispatched in our own right
            }
          }
        } else {
          pc.stats.handoffCalls++;
          self.handoff(sf, true, AWAIT_REPLY);
        }
      } catch (DeadProcessException e) {
        return fail(t, page, Status.ESRCH);
      }
      while (!t.replyReady) {
        self.block(AWAIT_REPLY);
      }
      if (!callerSpace.isKernel() && pc.space != callerSpace) {
        self.charge(Cost.ADDRESS_SPACE_SWITCH); // back into the caller's address space
        pc.space = callerSpace;
      }
      return t.replyStatus;
    }
  }

  /** {@code IPCFaultOnThread}: park with the page preserved until {@code IPC_RETRY_NOTIFY}. */
  private static void waitForRetry(PpcThread t, Fiber self, PpcPage page, PpcCpu pc) {
    int c = page.release(t);
    if (c > 0) {
      self.charge(Cost.COPY_PER_BYTE, c);
    }
    while (t.parked) {
      self.block(PARKED);
    }
    pc.stats.retries++;
  }

  private int remoteCall(PpcThread t, Fiber self, PpcCpu pc, PpcPage page) {
    Dispatcher td = remoteTarget(t.targetId);
    if (td == null || !td.process.process().isAlive()) {
      return fail(t, page, Status.ESRCH);
    }
    int rc = postRemote(t, self, pc, page, td, RemoteIPCBuffer.CALL, t.dispatcher.commId, t.threadId, t.regs);
    if (rc == RETRY) {
      return RETRY;
    }
    pc.stats.remoteCalls++;
    while (!t.replyReady) {
      self.block(AWAIT_REMOTE_REPLY);
    }
    return t.replyStatus;
  }

  /**
   * Posts the page and registers into {@code td}'s single mailbox ({@code sendRemoteIPC}); on a full
   * slot restores the page, parks for a remote retry and returns {@link #RETRY}.
   */
  private int postRemote(
      PpcThread sender, Fiber self, PpcCpu pc, PpcPage page, Dispatcher td, int type, long callerId, long threadId,
      PpcRegisters regs) {
    RemoteIPCBuffer buf = pc.takeBuffer();
    buf.fill(type, callerId, threadId, regs, page);
    int n = buf.length;
    page.reset();
    sender.dispatcher.reserved++; // disabled while its reserved thread sends remotely
    self.charge(Cost.COPY_PER_BYTE, n);
    td.remoteMailboxLine.write(self);
    boolean posted = td.pendingRemoteIPC.compareAndSet(null, buf);
    sender.dispatcher.reserved--;
    if (!posted) {
      pc.stats.remoteRefusals++;
      page.claim(sender);
      page.write(buf.data, n);
      pc.giveBack(buf);
      int id = pc.retry.requestNotificationRemote(sender.dispatcher);
      sender.dispatcher.park(sender, id);
      td.addRemoteWaiter(pc.index);
      if (td.pendingRemoteIPC.get() == null) {
        pc.retry.notifyRemote(); // consumed meanwhile: retry at once
      }
      self.charge(Cost.ATOMIC);
      waitForRetry(sender, self, page, pc);
      return RETRY;
    }
    boolean woke = td.raise(SoftInterrupts.PREEMPT);
    self.charge(Cost.ATOMIC);
    self.charge(Cost.SOFT_INTERRUPT);
    if (woke && td.cpuIndex != pc.index) {
      self.chargeIpiSend(td.cpuIndex);
    }
    return Status.OK;
  }

  /** The server thread's {@code IPC_RTN}: fast path, slow path, refusal and retry, or remote reply. */
  void returnFromServer(ServerThread s, Fiber self, int rc) {
    PpcCpu pc = cpus[s.dispatcher.cpuIndex];
    PpcPage page = pc.page;
    for (;;) {
      self.charge(Cost.TRAP);
      reclaim(self, page, s);
      long epoch = self.cpu().schedulingEpoch();
      Dispatcher target;
      boolean fast = false;
      if (s.remote) {
        pc.chain.clear();
        target = pc.targets.lookupExact(s.callerId);
        if (target == null) {
          Dispatcher cd = remoteTarget(s.callerId);
          if (cd == null || !cd.process.process().isAlive()) {
            page.reset();
            user.finish(s);
            return;
          }
          if (postRemote(s, self, pc, page, cd, RemoteIPCBuffer.RTN, s.dispatcher.commId, s.callerThreadId, s.regs) == RETRY) {
            continue;
          }
          pc.stats.remoteReturns++;
          user.finish(s);
          return;
        }
      } else {
        Dispatcher top = pc.chain.pop(epoch);
        fast = top != null && top.commId == s.callerId;
        if (fast) {
          target = top;
        } else {
          pc.chain.clear();
          target = pc.targets.lookupExact(s.callerId);
        }
      }
      if (target == null || !target.process.process().isAlive()) {
        page.reset(); // the caller is gone: the reply is discarded
        user.finish(s);
        return;
      }
      if (target.isDisabled()) {
        pc.stats.replyRefusals++;
        int id = pc.retry.requestNotification(s.dispatcher, target);
        s.dispatcher.park(s, id);
        waitForRetry(s, self, page, pc);
        continue;
      }
      PpcThread t = user.deliverReply(target, s.dispatcher.commId, s.callerThreadId, s.regs, rc);
      if (t == null) {
        page.reset();
        user.finish(s);
        return;
      }
      page.handOver(t);
      if (fast) {
        pc.stats.fastReturns++;
      } else {
        pc.stats.slowReturns++;
      }
      boolean upcalled = s.upcalled;
      Fiber tf = t.fiber;
      user.finish(s);
      if (upcalled) {
        if (!fast) {
          t.divert = true;
          t.divertEpoch = epoch;
        }
        return; // the upcall returns into the caller's frame
      }
      if (!t.inUpcall && (tf.state() == FiberState.BLOCKED || tf.state() == FiberState.RUNNABLE)) {
        self.handoff(tf, fast, ServerThread.FREE_LIST); // slow: through the scheduler
      }
      return;
    }
  }

  /** The raw {@code IPC_RTN} of {@link PpcThread#ipcReturn}: always the exact (slow) route. */
  int rawReturn(PpcThread t, long callerId, long threadId, IpcMessage result, int rc) {
    Fiber self = t.fiber;
    t.regs.loadResult(result, rc);
    if (stubs.marshal(t, result) != Status.OK) {
      return Status.ENOSPC;
    }
    PpcCpu pc = cpus[t.dispatcher.cpuIndex];
    PpcPage page = pc.page;
    self.charge(Cost.TRAP);
    reclaim(self, page, t);
    pc.chain.clear();
    Dispatcher target = pc.targets.lookupExact(callerId);
    if (target == null) {
      Dispatcher cd = remoteTarget(callerId);
      if (cd == null) {
        page.reset();
        return Status.ESRCH;
      }
      while (postRemote(t, self, pc, page, cd, RemoteIPCBuffer.RTN, t.dispatcher.commId, threadId, t.regs) == RETRY) {
        self.charge(Cost.TRAP);
        reclaim(self, page, t);
      }
      return Status.OK;
    }
    PpcThread w = user.deliverReply(target, t.dispatcher.commId, threadId, t.regs, rc);
    if (w == null) {
      page.reset();
      return Status.OK;
    }
    page.handOver(w);
    if (!w.inUpcall) {
      w.fiber.wake();
    }
    return Status.OK;
  }

  // ================================================================== asynchronous PPC

  /**
   * An asynchronous PPC from {@code t}: deposits method {@code method} of {@code target} with the
   * payload of {@code in} (at most 48 bytes; its op and non-zero inline words travel with it, see
   * {@link AsyncBuffer}) and returns at once. The sender keeps its CPU.
   *
   * @return {@link Status#OK} (deposited), {@link Status#EBUSY} (buffer full, nothing stored),
   *     {@link Status#EMSGSIZE} (payload over 48 bytes), {@link Status#ENOSPC} (over the page), {@link
   *     Status#ESRCH} (no such process)
   */
  int sendAsync(PpcThread t, ObjectHandle target, int method, IpcMessage in) {
    Fiber self = t.fiber;
    int len = in.length();
    if (stubs.marshal(t, in) != Status.OK) {
      return Status.ENOSPC;
    }
    PpcCpu pc = cpus[t.dispatcher.cpuIndex];
    PpcPage page = pc.page;
    self.charge(Cost.TRAP);
    reclaim(self, page, t);
    long id = target.commId();
    Dispatcher td = pc.targets.lookupWild(id);
    boolean local = td != null;
    if (!local) {
      td = remoteTarget(id);
    }
    if (td == null || !td.process.process().isAlive()) {
      page.reset();
      return Status.ESRCH;
    }
    if (len > AsyncBuffer.MSG_LENGTH_MAX) {
      page.reset();
      pc.stats.asyncTooBig++;
      return Status.EMSGSIZE;
    }
    long badge = t.dispatcher.commId;
    int rc;
    if (local) {
      rc = td.asyncLocal.deposit(badge, target.xhandle(), method, in, page.data(), len);
    } else {
      td.remoteAsyncLock.acquire(self);
      td.lockRemote();
      try {
        rc = td.asyncRemote.deposit(badge, target.xhandle(), method, in, page.data(), len);
      } finally {
        td.unlockRemote();
      }
    }
    page.reset();
    if (rc != Status.OK) {
      pc.stats.asyncBusy++;
      if (!local) {
        self.charge(Cost.ATOMIC);
      }
      return Status.EBUSY;
    }
    pc.stats.asyncDeposits++;
    boolean woke = td.raise(SoftInterrupts.ASYNC_MSG);
    if (!local) {
      self.charge(Cost.ATOMIC);
    }
    self.charge(Cost.COPY_PER_BYTE, len);
    self.charge(Cost.QUEUE_OP);
    self.charge(Cost.SOFT_INTERRUPT);
    if (woke && !local) {
      self.chargeIpiSend(td.cpuIndex);
    }
    return Status.OK;
  }
}
