package org.ipctestbed.ppc;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberState;

/**
 * The dispatcher's user side, K42's {@code DispatcherDefault} (research/k42.md 0, 1.3 step 4, 1.7,
 * 1.2 step 4): the entry points the kernel launches in a dispatcher, as opposed to the kernel's
 * exception-level system calls in {@link PpcKernel} and the stub compiler's code in {@link Stubs}.
 * {@code AcceptRemoteIPC} (a remote call or reply found in the mailbox by the dispatcher's entry
 * code), {@code IPCReturnEntry} ({@link #deliverReply}: the one delivery of every reply path, with
 * its authenticity check, invariant 5), {@code IPCCallEntry}'s {@code ENOMEM} answer, and a server
 * thread going back to the free list, and the entry code that takes the soft interrupts ({@link
 * #runEntry}). The dispatcher's kernel-visible state, thread table, free list and retry lists are in
 * {@link Dispatcher}. One per machine, stateless beyond its kernel.
 */
final class DispatcherDefault {
  private final PpcKernel kernel;

  DispatcherDefault(PpcKernel kernel) {
    this.kernel = kernel;
  }

  /**
   * {@code IPCReturnEntry} on {@code d}'s CPU: the reply from {@code replierId} reaches the thread
   * named by {@code threadId} only if it exists, waits for a reply and called the replier's PID
   * (invariant 5); then its reply registers ({@code regs}, or none) and status are set and it is
   * marked ready. The one delivery of every reply path (fast and slow returns, remote replies, raw
   * returns, the remote ENOMEM answer); the caller moves the page and wakes the thread as its path
   * requires.
   *
   * @return the thread, or null when the reply was dropped (counted on {@code d})
   */
  PpcThread deliverReply(Dispatcher d, long replierId, long threadId, PpcRegisters regs, int rc) {
    PpcThread t = d.threadByKey((int) threadId);
    if (t == null || !t.awaitingReply() || !CommID.pidMatch(t.targetId, replierId)) {
      d.droppedReplies++;
      return null;
    }
    if (regs == null) {
      t.reply.clearResult(rc);
    } else {
      t.reply.copyFrom(regs);
    }
    t.replyStatus = rc;
    t.replyReady = true;
    return t;
  }

  void finish(ServerThread s) {
    s.dispatcher.cleanYield();
    s.dispatcher.freeThread(s); // last: the thread may be taken again from here on
  }

  /** Run by a dispatcher's entry fiber: {@code AcceptRemoteIPC} of a pending call or reply. */
  void acceptRemote(Dispatcher d, Fiber self) {
    RemoteIPCBuffer buf = d.pendingRemoteIPC.get();
    if (buf == null) {
      return;
    }
    d.remoteMailboxLine.write(self);
    PpcCpu pc = kernel.cpu(d.cpuIndex);
    PpcPage page = pc.page;
    if (buf.type == RemoteIPCBuffer.CALL) {
      if (!d.entryPointSet) {
        return; // stays pending until the entry point is set
      }
      ServerThread s = d.allocThread();
      d.pendingRemoteIPC.set(null);
      int waiters = d.notifyRemoteWaiters();
      if (s == null) {
        pc.stats.enomem++;
        answerEnomem(d, buf, self, waiters);
        return;
      }
      s.accept(buf.regs, buf.callerId, buf.threadId, true, true);
      chargeCopyIn(self, page, s, buf, waiters);
      Fiber sf = s.fiber;
      if (sf.state() == FiberState.BLOCKED || sf.state() == FiberState.RUNNABLE) {
        self.handoff(sf, true, null); // launch IPC_CALL_ENTRY, in this (the server's own) domain
      }
      return;
    }
    d.pendingRemoteIPC.set(null);
    int waiters = d.notifyRemoteWaiters();
    PpcThread t = deliverReply(d, buf.callerId, buf.threadId, buf.regs, buf.regs.rc);
    if (t == null) {
      kernel.cpu(buf.sourceCpu).giveBack(buf);
      return;
    }
    chargeCopyIn(self, page, t, buf, waiters);
    Fiber tf = t.fiber;
    if (!t.inUpcall && tf.process().isAlive()
        && (tf.state() == FiberState.BLOCKED || tf.state() == FiberState.RUNNABLE)) {
      self.handoff(tf, true, null); // IPC_RTN_ENTRY resumes the thread
    }
  }

  /**
   * {@code IPCCallEntry} found no free server thread and cannot allocate one: it answers the remote
   * caller with {@code ENOMEM} straight away, as it does a local one (k42.md 1.2 step 4, invariant
   * 9 as amended): the call does not wait in the mailbox. The answer carries no page, so it travels
   * as an IPI to the caller's CPU, where {@link #deliverReply} checks it like any reply. (K42 issues
   * an {@code IPC_RTN} that takes the remote route through the caller's mailbox; a rare error path,
   * so the model does not make it wait for that slot.) Allocates one IPI request: not a hot path.
   */
  private void answerEnomem(Dispatcher server, RemoteIPCBuffer buf, Fiber self, int waiters) {
    long callerId = buf.callerId;
    long threadId = buf.threadId;
    long replier = server.commId;
    kernel.cpu(buf.sourceCpu).giveBack(buf);
    if (waiters > 0) {
      self.charge(Cost.IPI_SEND, waiters);
    }
    Dispatcher cd = kernel.remoteTarget(callerId);
    if (cd == null) {
      return;
    }
    self.charge(Cost.TRAP); // the dispatcher's IPC_RTN
    self.charge(Cost.IPI_SEND);
    kernel.cpu(cd.cpuIndex).cpu.post(on -> {
      PpcThread t = deliverReply(cd, replier, threadId, null, PpcStatus.ENOMEM);
      if (t != null) {
        t.aborted = true; // no page travels with it
        t.fiber.wake();
      }
    });
  }

  /**
   * Copies a remote buffer into this CPU's page for {@code owner}, returns the buffer to its CPU, and
   * charges the copy and the IPIs that told {@code waiters} CPUs the mailbox is free.
   */
  private void chargeCopyIn(Fiber self, PpcPage page, PpcThread owner, RemoteIPCBuffer buf, int waiters) {
    int copied = page.claim(owner);
    page.write(buf.data, buf.length);
    int n = buf.length;
    kernel.cpu(buf.sourceCpu).giveBack(buf);
    self.charge(Cost.COPY_PER_BYTE, n + copied);
    if (waiters > 0) {
      self.charge(Cost.IPI_SEND, waiters);
    }
  }

  /**
   * The dispatcher {@code d}'s own code, its RUN/INTERRUPT entry, run by its entry fiber {@code self}:
   * sleeps until the soft-interrupt word goes from 0 to non-0, then takes the interrupts: accepts a
   * pending remote IPC, wakes threads parked for a retry, makes an async handler ready, and honours
   * {@code PREEMPT} by yielding cleanly (k42.md 1.6, 1.7, 2.4, 4.3, 4.4).
   */
  void runEntry(Dispatcher d, Fiber self) {
    for (;;) {
      int bits = d.interrupts.takeAll();
      if (bits == 0 && d.pendingRemoteIPC.get() != null) {
        // A soft preemption honoured meanwhile cleared PREEMPT, the bit that announced this deposit:
        // the mailbox itself says there is work, so it is served rather than left behind a block.
        bits = SoftInterrupts.PREEMPT;
      }
      if (bits == 0) {
        d.cleanYield();
        self.block(Dispatcher.AWAIT_SOFT_INTERRUPT);
        continue;
      }
      self.charge(Cost.SOFT_INTERRUPT);
      acceptRemote(d, self);
      if (SoftInterrupts.has(bits, SoftInterrupts.IPC_RETRY_NOTIFY)) {
        wakeRetried(d);
      }
      if (SoftInterrupts.has(bits, SoftInterrupts.ASYNC_MSG)) {
        d.ensureReadyHandler();
      }
      if (SoftInterrupts.has(bits, SoftInterrupts.PREEMPT) && d.reservedThread()) {
        // Still disabled: ask again and let the preempted thread run first.
        d.interrupts.raise(SoftInterrupts.PREEMPT);
        self.yieldCpu();
      }
    }
  }

  private static void wakeRetried(Dispatcher d) {
    long bits = d.ipcRetry;
    d.ipcRetry = 0;
    while (bits != 0) {
      int b = Long.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      PpcThread t = d.ipcRetryList[b];
      d.ipcRetryList[b] = null;
      while (t != null) {
        PpcThread next = t.retryNext;
        t.retryNext = null;
        t.parked = false;
        t.fiber.wake();
        t = next;
      }
    }
  }
}
