package org.ipctestbed.ppc;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;
import org.ipctestbed.substrate.UserLevelScheduler;

/**
 * A process as K42's PPC sees it (research/k42.md sections 0, 1.2, 4.1): a substrate {@link Process}
 * (one resource domain, RD 0) with its dispatchers, one per CPU it runs on, numbered VP 0, 1, ... in
 * creation order, and its table of exported X-objects with their sequence numbers.
 *
 * <p>Set-up methods ({@link #createDispatcher}, {@link #export}, {@link #revoke}) may allocate and
 * may be called before the run or from a fiber; the tables they change are copy-on-write, so the hot
 * path reads them without locks.
 */
public final class PpcProcess implements UserLevelScheduler {
  /** A slot of the exported-object table: the object (null once revoked) and its sequence number. */
  record Entry(XObject object, int seq) {}

  /** A thread body run with its PPC thread state. */
  @FunctionalInterface
  public interface Body {
    void run(PpcThread self) throws Exception;
  }

  private final PpcKernel kernel;
  private final Process process;
  private final AtomicReference<Dispatcher[]> vps = new AtomicReference<>(new Dispatcher[0]);
  private final AtomicReference<Entry[]> xtable = new AtomicReference<>(new Entry[0]);
  /** This process's dispatcher by CPU index (null where it has none): the hooks' O(1) lookup. */
  private final AtomicReferenceArray<Dispatcher> onCpu;

  PpcProcess(PpcKernel kernel, Process process) {
    this.kernel = kernel;
    this.process = process;
    this.onCpu = new AtomicReferenceArray<>(kernel.machine().cpuCount());
  }

  // ------------------------------------------------------------------ two-level scheduling hooks

  /** The dispatcher on {@code f}'s CPU picks its next ready thread at user level (k42.md 4.1). */
  @Override
  public Fiber nextReady(Fiber from) {
    Dispatcher d = onCpu.get(from.cpu().index());
    return d == null ? null : d.nextReady(from);
  }

  /**
   * Quantum expiry or a better dispatcher woke: the kernel raises {@code PREEMPT} in the running
   * dispatcher's soft-interrupt word, with the warning deadline. A 0 → non-0 change makes the
   * dispatcher's entry code ready, as any soft interrupt does: should the running thread be stopped
   * hard instead of yielding, that code is what yields cleanly later and sends the retry
   * notifications (a bit left set without it would swallow the wake of a later refusal).
   */
  @Override
  public void preemptWarning(Fiber running) {
    Dispatcher d = onCpu.get(running.cpu().index());
    if (d != null) {
      d.raise(SoftInterrupts.PREEMPT);
    }
  }

  /**
   * Soft: the dispatcher honoured the warning, saved its thread at user level and yields cleanly,
   * which clears {@code PREEMPT} and sends the retry notifications it owes (k42.md 1.6 step 4). Hard:
   * the kernel stopped it; the bit stays until it runs again and yields.
   */
  @Override
  public void preempted(Fiber f, boolean hard) {
    PpcStats s = kernel.cpu(f.cpu().index()).stats;
    if (hard) {
      s.hardPreemptions++;
      return;
    }
    s.softPreemptions++;
    Dispatcher d = onCpu.get(f.cpu().index());
    if (d != null) {
      d.interrupts.clear(SoftInterrupts.PREEMPT);
      d.cleanYield();
    }
  }

  @Override
  public void hardPreempted(Fiber f, boolean on) {
    Dispatcher d = onCpu.get(f.cpu().index());
    if (d != null) {
      d.hardPreemptChanged(on);
    }
  }

  public Process process() {
    return process;
  }

  public int pid() {
    return process.pid();
  }

  public PpcKernel kernel() {
    return kernel;
  }

  /** Creates this process's dispatcher on {@code cpu}, with its {@code IPC_CALL} entry point set. */
  public Dispatcher createDispatcher(int cpu) {
    return createDispatcher(cpu, true);
  }

  /**
   * Creates this process's dispatcher on {@code cpu} ({@code ProgExec::CreateVP}); the next VP number.
   * Without an entry point it refuses calls ({@code EAGAIN}, retried once {@link
   * Dispatcher#setEntryPoint()} is called).
   *
   * @throws IllegalArgumentException if the CPU does not exist or already has a dispatcher of this
   *     process
   */
  public Dispatcher createDispatcher(int cpu, boolean withEntryPoint) {
    kernel.machine().cpu(cpu); // validates
    if (dispatcherOn(cpu) != null) {
      throw new IllegalArgumentException(process + " already has a dispatcher on CPU " + cpu);
    }
    Dispatcher[] old;
    Dispatcher[] now;
    Dispatcher d;
    do {
      old = vps.get();
      d = new Dispatcher(kernel, this, cpu, old.length);
      now = Arrays.copyOf(old, old.length + 1);
      now[old.length] = d;
    } while (!vps.compareAndSet(old, now));
    onCpu.set(cpu, d);
    d.start(withEntryPoint);
    kernel.cpu(cpu).targets.add(d);
    return d;
  }

  /** This process's dispatcher on {@code cpu}, or null. */
  public Dispatcher dispatcherOn(int cpu) {
    return cpu >= 0 && cpu < onCpu.length() ? onCpu.get(cpu) : null;
  }

  /** The dispatcher numbered {@code vp}, or null. */
  public Dispatcher vp(int vp) {
    Dispatcher[] a = vps.get();
    return vp >= 0 && vp < a.length ? a[vp] : null;
  }

  /** Exports {@code object}; returns its XHandle (a free slot is reused with the next sequence number). */
  public long export(XObject object) {
    for (;;) {
      Entry[] old = xtable.get();
      int idx = -1;
      for (int i = 0; i < old.length; i++) {
        if (old[i].object() == null) {
          idx = i;
          break;
        }
      }
      Entry[] now = Arrays.copyOf(old, idx < 0 ? old.length + 1 : old.length);
      int seq = idx < 0 ? 0 : (old[idx].seq() + 1) & 0xFF;
      if (idx < 0) {
        idx = old.length;
      }
      now[idx] = new Entry(object, seq);
      if (xtable.compareAndSet(old, now)) {
        return XHandle.of(idx, seq);
      }
    }
  }

  /**
   * Revokes the object behind {@code xhandle}: its slot's sequence number moves on, so every handle to
   * it becomes stale ({@code EPERM}).
   */
  public void revoke(long xhandle) {
    int idx = XHandle.index(xhandle);
    for (;;) {
      Entry[] old = xtable.get();
      if (idx >= old.length || old[idx].seq() != XHandle.seq(xhandle)) {
        return;
      }
      Entry[] now = old.clone();
      now[idx] = new Entry(null, (old[idx].seq() + 1) & 0xFF);
      if (xtable.compareAndSet(old, now)) {
        return;
      }
    }
  }

  Entry[] xtable() {
    return xtable.get();
  }

  /** The handle a client uses to call {@code xhandle} of this process (wildcard VP). */
  public ObjectHandle handle(long xhandle) {
    return ObjectHandle.of(pid(), xhandle);
  }

  /**
   * Spawns a thread of this process on {@code cpu} whose body gets its {@link PpcThread}; the process
   * must have a dispatcher there. The thread's exit is a clean yield of the dispatcher.
   */
  public Fiber spawn(String name, int cpu, Body body) {
    Dispatcher d = requireDispatcher(cpu);
    return process.spawn(name, cpu, self -> {
      PpcThread t = d.register(self);
      try {
        body.run(t);
      } finally {
        d.cleanYield();
      }
    });
  }

  /**
   * The PPC thread state of {@code fiber}, a fiber of this process, registered with the dispatcher of
   * its CPU on first use (creating that dispatcher if there is none).
   */
  public PpcThread attach(Fiber fiber) {
    if (fiber.process() != process) {
      throw new IllegalArgumentException("fiber '" + fiber.name() + "' belongs to " + fiber.process() + ", not " + process);
    }
    Dispatcher d = dispatcherOn(fiber.cpu().index());
    if (d == null) {
      d = createDispatcher(fiber.cpu().index());
    }
    return d.register(fiber);
  }

  private Dispatcher requireDispatcher(int cpu) {
    Dispatcher d = dispatcherOn(cpu);
    if (d == null) {
      throw new IllegalArgumentException(process + " has no dispatcher on CPU " + cpu + "; create one first");
    }
    return d;
  }

  @Override
  public String toString() {
    return "PpcProcess[" + process + ", " + vps.get().length + " VPs]";
  }
}
