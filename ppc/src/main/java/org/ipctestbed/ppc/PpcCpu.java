package org.ipctestbed.ppc;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.ipctestbed.substrate.Cpu;
import org.ipctestbed.substrate.IpiRequest;

/**
 * The PPC kernel's per-CPU state, K42's {@code exceptionLocal} (research/k42.md 4.7: the argument
 * page, the target table, the borrow chain and the retry manager are per CPU, so the fast path touches
 * no shared data and takes no lock). Also the CPU's pool of remote IPC buffers.
 */
final class PpcCpu {
  final int index;
  final Cpu cpu;
  final PpcPage page = new PpcPage();
  final BorrowChain chain = new BorrowChain();
  final IPCTargetTable targets = new IPCTargetTable();
  final IPCRetryManager retry = new IPCRetryManager();
  final PpcStats stats = new PpcStats();
  /**
   * The user address space a PPC last switched this CPU into (null before any). A PPC into a kernel
   * process switches none: K42's kernel is mapped in every address space and runs on whatever page
   * tables are loaded (k42.md 1.1 "Kernel Process"; {@link org.ipctestbed.substrate.Process#isKernel}),
   * so a caller returning from one pays no switch back unless a user server further down the chain
   * loaded its own. Touched only on this CPU.
   */
  org.ipctestbed.substrate.Process space;

  private RemoteIPCBuffer freeBuffers;
  private final AtomicReference<RemoteIPCBuffer> returned = new AtomicReference<>();
  private final AtomicBoolean remoteRetryPending = new AtomicBoolean();
  private final IpiRequest remoteRetryIpi;

  PpcCpu(Cpu cpu) {
    this.cpu = cpu;
    this.index = cpu.index();
    this.remoteRetryIpi =
        on -> {
          remoteRetryPending.getAndSet(false);
          retry.notifyRemote();
        };
  }

  /** A remote IPC buffer of this CPU (called on this CPU): recycled, or new while the pool warms up. */
  RemoteIPCBuffer takeBuffer() {
    if (freeBuffers == null) {
      freeBuffers = returned.getAndSet(null);
    }
    RemoteIPCBuffer b = freeBuffers;
    if (b == null) {
      return new RemoteIPCBuffer(index);
    }
    freeBuffers = b.next;
    b.next = null;
    return b;
  }

  /** Gives {@code b} back to this CPU, its source (callable from any CPU; lock-free push). */
  void giveBack(RemoteIPCBuffer b) {
    RemoteIPCBuffer h;
    do {
      h = returned.get();
      b.next = h;
    } while (!returned.compareAndSet(h, b));
  }

  /** Asks this CPU to notify its sources waiting for a remote mailbox (an IPI, deduplicated). */
  void postRemoteRetry() {
    if (!remoteRetryPending.getAndSet(true)) {
      cpu.post(remoteRetryIpi);
    }
  }
}
