package org.ipctestbed.substrate;

import java.util.ArrayDeque;
import org.ipctestbed.substrate.sched.Preemption;
import org.ipctestbed.substrate.sched.RunQueue;

/**
 * One virtual CPU: its run queue, the fiber it runs, the account it charges, its preemption state and
 * its inbox of IPI requests (DESIGN.md, "The substrate"). The scheduling logic here is shared by both
 * engines; an engine only decides how time passes and how IPIs travel.
 *
 * <p>Per-CPU discipline (research/lwkt.md 4, research/k42.md 4.7): a CPU's run queue, current fiber
 * and preemption state are touched only by code running on that CPU. Another CPU reaches them only
 * by {@link #post(IpiRequest) posting} an IPI request, which this CPU carries out at its next
 * interrupt point (between fibers, or between two slices of the current fiber's work), unless the
 * current fiber is in a critical section, in which case it waits for the section to end.
 *
 * <p>Charging (research/k42.md 3.2): at every scheduling point the time elapsed since the last one is
 * added to the account the CPU holds, in the category the CPU is in. A dispatch through the
 * scheduler sets the account to the dispatched fiber's own; a hand-off that keeps the account does
 * not change it ("borrowing"); a scheduling event (quantum expiry, a wake that preempts) ends the
 * borrowing and increments the {@link #schedulingEpoch() scheduling epoch}, which K42's borrow chain
 * reads to notice that "the scheduler noticed".
 */
public final class Cpu {
  private static final ThreadLocal<Cpu[]> ON_CPU = ThreadLocal.withInitial(() -> new Cpu[1]);

  private final Machine machine;
  private final int index;
  /** The policy's queue of dispatchers and one-level fibers, with each dispatcher's ready threads. */
  final DispatcherRunQueue runQueue;

  Fiber current;
  Account account;
  Category category = Category.IDLE;
  long lastFlush;
  long idleNs;

  boolean preemptFlag;
  long preemptDeadline;
  long preemptGen;
  long quantumEnd;
  long quantumGen;
  long epoch;
  volatile long dispatches;
  /** The process whose address space this CPU has loaded (null before the first dispatch). */
  Process loadedProcess;
  /** Whether the last {@link #dispatchNext} switched address spaces (the engine charges it). */
  boolean dispatchSwitchedSpace;

  final long[] costCount = new long[Cost.values().length];
  final long[] costNs = new long[Cost.values().length];
  final ArrayDeque<IpiRequest> deferred = new ArrayDeque<>();
  private final Engine engine;
  Object engineState;
  /** The thread that runs this CPU's fibers: its carrier (real) or the driver (sim). */
  volatile Thread carrier;

  Cpu(Machine machine, int index, RunQueue runQueue, Engine engine) {
    this.machine = machine;
    this.index = index;
    this.runQueue = new DispatcherRunQueue(runQueue);
    this.engine = engine;
  }

  /**
   * The CPU whose code the calling carrier is running (a fiber or an IPI handler), or {@code null}.
   * A real-engine carrier is a {@link CarrierThread} that knows its CPU (a field read instead of a
   * thread-local look-up: this is asked on every wake, put and reply); any other thread (the
   * simulated engine's driver, a test's thread) keeps it in a thread-local.
   */
  public static Cpu current() {
    if (Thread.currentThread() instanceof CarrierThread c) {
      return c.cpu;
    }
    return ON_CPU.get()[0];
  }

  /** The thread that carries one CPU of the real engine for a whole run. */
  static final class CarrierThread extends Thread {
    final Cpu cpu;

    CarrierThread(Cpu cpu, Runnable body, String name) {
      super(body, name);
      this.cpu = cpu;
    }
  }

  static void setCurrent(Cpu cpu) {
    ON_CPU.get()[0] = cpu;
  }

  /**
   * The calling thread's one-element holder of {@link #current()}: an engine's driver loop sets
   * element 0 itself instead of paying a thread-local look-up per event.
   */
  static Cpu[] currentHolder() {
    return ON_CPU.get();
  }

  public int index() {
    return index;
  }

  public Machine machine() {
    return machine;
  }

  /** The fiber running or dispatched on this CPU, or {@code null} when idle. Exact only on this CPU. */
  public Fiber currentFiber() {
    return current;
  }

  /** The account this CPU charges now, or {@code null} when idle. Exact only on this CPU. */
  public Account chargedAccount() {
    return account;
  }

  /** Whether the CPU charges an account other than its current fiber's own (a K42 borrowed domain). */
  public boolean isBorrowing() {
    return current != null && account != current.account();
  }

  /**
   * Incremented at every scheduling event on this CPU: a dispatch, a quantum expiry, a preempting
   * wake. A mechanism that remembers it can tell whether the scheduler has noticed something since.
   */
  public long schedulingEpoch() {
    return epoch;
  }

  /**
   * K42's {@code hasWork} (research/k42.md 4.3) of {@code p}'s dispatcher on this CPU: a fiber of that
   * two-level process is ready here (false for a process without a {@link UserLevelScheduler}). O(1).
   * Exact only on this CPU.
   */
  public boolean dispatcherHasWork(Process p) {
    return runQueue.hasWork(p);
  }

  /** Number of runnable fibers queued on this CPU. Exact only on this CPU. */
  public int runQueueLength() {
    return runQueue.size();
  }

  /**
   * Runs {@code request} on this CPU at interrupt level {@code delayNs} from now: a timer callout or
   * a device's completion interrupt (the request has {@link IpiRequest}'s calling conventions). Must
   * be called on this CPU (from one of its fibers or interrupt handlers). The request object is the
   * caller's and is not copied, so arming one allocates nothing in the simulated engine.
   */
  public void callout(long delayNs, IpiRequest request) {
    if (delayNs < 0) {
      throw new IllegalArgumentException("callout delay must be >= 0 ns, got " + delayNs);
    }
    if (current() != this) {
      throw new IllegalStateException("a callout on " + this + " must be armed on that CPU, not on " + current());
    }
    engine.callout(this, engine.now(this) + delayNs, request);
  }

  /**
   * Posts {@code request} to this CPU; it runs on this CPU at its next interrupt point. From another
   * CPU it goes through the bounded (source, target) IPI FIFO ({@link IpiQueues}, research/lwkt.md
   * section 7). Callable from any fiber, IPI handler or thread. Does not charge: a fiber that wants
   * the sender's cost modelled calls {@link Fiber#chargeIpiSend} first, which also waits while the
   * FIFO is more than half full.
   */
  public void post(IpiRequest request) {
    engine.post(this, request);
  }

  // ------------------------------------------------------------------ scheduling, on this CPU only

  void tallyCost(Cost cost, long units, long ns) {
    costCount[cost.ordinal()] += units;
    costNs[cost.ordinal()] += ns;
  }

  /** Charges the time since the last scheduling point to the held account (or idle). */
  void flush(long now) {
    long delta = now - lastFlush;
    if (delta <= 0) {
      return;
    }
    lastFlush = now;
    Account a = account;
    if (a == null) {
      idleNs += delta;
    } else {
      a.add(index, category, delta);
      runQueue.charged(a.process(), delta, now);
    }
  }

  /**
   * Carries out a callout or an external post now, or defers it while the current fiber is in a
   * critical section (requests from other CPUs wait in their IPI FIFOs instead: {@link IpiQueues}).
   */
  void deliverIpi(IpiRequest request) {
    if (current != null && current.critDepth > 0) {
      deferred.addLast(request);
    } else {
      request.deliver(this);
    }
  }

  /**
   * At the end of a critical section: runs the requests it held back, those waiting in the IPI
   * FIFOs to this CPU and the deferred callouts and external posts. Returns how many came from the
   * FIFOs (the caller charges them).
   */
  int runDeferredIpis() {
    int n = 0;
    if (ipiPending) {
      ipiPending = false;
      n = machine.ipiQueues().drainAll(this);
    }
    IpiRequest r;
    while ((r = deferred.pollFirst()) != null) {
      r.deliver(this);
    }
    return n;
  }

  /** Whether the current fiber's critical section held back an IPI interrupt (the FIFOs keep the requests). */
  boolean ipiPending;

  /** Whether IPI requests must wait: the current fiber is in a critical section. */
  boolean inCriticalSection() {
    return current != null && current.critDepth > 0;
  }

  /** Wakes {@code f}, a fiber of this CPU; called on this CPU. */
  void wakeLocal(Fiber f) {
    wakeLocal(f, false);
  }

  /**
   * Wakes {@code f}, a fiber of this CPU; called on this CPU. With {@code noResched} the running
   * fiber is not preempted even if {@code f} would win (DragonFly's {@code MSGF_NORESCHED},
   * research/lwkt.md section 7, invariant 18): {@code f} waits for the next scheduling point.
   */
  void wakeLocal(Fiber f, boolean noResched) {
    switch (f.state) {
      case NEW, BLOCKED -> {
        if (f.killed) {
          return;
        }
        FiberState.check(f.state, FiberState.RUNNABLE);
        f.state = FiberState.RUNNABLE;
        f.blockReason = null;
        f.sleepGen++;
        runQueue.enqueue(f);
        if (current == null) {
          engine.kick(this);
        } else if (current.process() == f.process() && f.process().userLevelScheduler() != null) {
          // Made ready inside the running dispatcher: a user-level ready-queue operation the
          // kernel policy does not see (UserLevelScheduler).
        } else if (!noResched) {
          long now = engine.now(this); // read only here: a clock read is not free (about 30 ns on a VM)
          flush(now); // the policy compares usage: bring the running domain's up to now first
          Preemption p = runQueue.onWake(f, account == null ? null : account.process());
          if (p != Preemption.NONE) {
            requestPreempt(p, now);
          }
        }
      }
      case RUNNING, RUNNABLE -> f.wakePermit = true;
      case DONE -> {
        // A late wake of a finished fiber is harmless.
      }
    }
  }

  void killLocal(Fiber f) {
    if (f.killed || f.state == FiberState.DONE) {
      return;
    }
    f.killed = true;
    if (f.upcallee != null) {
      // Its stack is running a server it called (an upcall): that server's code must finish on it
      // first. The fiber unwinds or stops when the upcall returns (Fiber.upcall); finishing it here
      // would count it done twice, and resuming it would run the server's frames as this fiber.
      return;
    }
    if (f.upcallCaller != null) {
      // It runs on a caller's stack: let it be dispatched once more to unwind (Fiber.suspend).
      if (f.state == FiberState.BLOCKED) {
        f.state = FiberState.RUNNABLE;
        f.blockReason = null;
        runQueue.enqueue(f);
        if (current == null) {
          engine.kick(this);
        }
      }
      return;
    }
    if (f.state == FiberState.RUNNABLE) {
      runQueue.remove(f);
    }
    if (f.state != FiberState.RUNNING) {
      finish(f);
    }
  }

  void finish(Fiber f) {
    f.setHardPreempted(false);
    f.state = FiberState.DONE;
    machine.fiberFinished(f);
  }

  /**
   * Raises a preemption of the current fiber: soft (flag plus a deadline {@code preemptGraceNs}
   * away) or hard (deadline now). A scheduling event: it ends any borrowing.
   */
  void requestPreempt(Preemption kind, long now) {
    flush(now);
    endBorrowing();
    long deadline = kind == Preemption.HARD ? now : now + machine.config().preemptGraceNs();
    if (preemptFlag && preemptDeadline <= deadline) {
      return;
    }
    preemptFlag = true;
    preemptDeadline = deadline;
    preemptGen++;
    engine.armPreemptDeadline(this);
    if (kind == Preemption.SOFT && current != null) {
      UserLevelScheduler u = current.process().userLevelScheduler();
      if (u != null) {
        u.preemptWarning(current);
      }
    }
  }

  private void endBorrowing() {
    epoch++;
    if (current != null && account != current.account()) {
      account = current.account();
    }
  }

  /** The quantum of the held domain has ended (research/k42.md 3.2 "what clears the chain"). */
  void onQuantumExpiry(long now) {
    if (current == null) {
      return;
    }
    flush(now);
    endBorrowing();
    if (runQueue.hasCompetitor(account.process())) {
      requestPreempt(Preemption.SOFT, now);
    }
    quantumEnd = now + runQueue.quantumNs(account.process());
    quantumGen++;
    engine.armQuantum(this);
  }

  /**
   * Picks the next fiber through the scheduler and makes it current with its own account, or goes
   * idle. The engine then charges a scheduler decision, a thread switch and, when the fiber belongs
   * to another process than the one whose address space is loaded, an address-space switch: a
   * normal context switch between protection domains pays for it, whatever the IPC mechanism.
   */
  Fiber dispatchNext(long now) {
    flush(now);
    Fiber f;
    while ((f = runQueue.poll()) != null && (f.killed || !f.process().isAlive())) {
      f.killed = true;
      if (f.upcallCaller != null) {
        f.workRemaining = 0;
        break; // dispatched once more, only to unwind from its caller's stack
      }
      finish(f);
    }
    preemptFlag = false;
    preemptGen++;
    if (f == null) {
      current = null;
      account = null;
      category = Category.IDLE;
      return null;
    }
    FiberState.check(f.state, FiberState.RUNNING);
    f.state = FiberState.RUNNING;
    f.setHardPreempted(false);
    if (f.process().isKernel()) {
      dispatchSwitchedSpace = false; // a kernel thread runs on whatever page tables are loaded
    } else {
      dispatchSwitchedSpace = loadedProcess != null && loadedProcess != f.process();
      loadedProcess = f.process();
    }
    current = f;
    account = f.account();
    category = Category.MECHANISM;
    epoch++;
    dispatches++;
    quantumEnd = now + runQueue.quantumNs(f.process());
    quantumGen++;
    engine.armQuantum(this);
    machine.trace(now, index, 1, f.id());
    return f;
  }

  /**
   * Settles what a fiber asked for when it gave the CPU back (its {@link Fiber.Op}): returns the
   * fiber to run next without a scheduler decision (a hand-off that keeps the account), or {@code
   * null} when the CPU must {@link #dispatchNext dispatch}.
   */
  Fiber afterSuspend(Fiber f, boolean done, long now) {
    flush(now);
    category = Category.MECHANISM;
    if (done || f.op == Fiber.Op.EXIT) {
      f.state = FiberState.RUNNING;
      finish(f);
      current = null;
      machine.trace(now, index, 2, f.id());
      return userLevelSwitch(f, now);
    }
    if (f.killed || !f.process().isAlive()) {
      f.killed = true;
      if (f.upcallCaller != null) {
        f.workRemaining = 0;
        return f; // resume it at once: it unwinds to the upcall on its caller's stack
      }
      finish(f);
      current = null;
      return null;
    }
    switch (f.op) {
      case BLOCK -> {
        FiberState.check(f.state, FiberState.BLOCKED);
        f.state = FiberState.BLOCKED;
        current = null;
        machine.trace(now, index, 3, f.id());
        return userLevelSwitch(f, now);
      }
      case USER_YIELD -> {
        f.state = FiberState.RUNNABLE;
        runQueue.enqueue(f);
        current = null;
        machine.trace(now, index, 4, f.id());
        Fiber n = userLevelSwitch(f, now);
        if (n != null || preemptFlag || !runQueue.remove(f)) {
          return n; // a sibling at user level, or (a preemption came meanwhile) the kernel decides
        }
        f.state = FiberState.RUNNING; // no other ready thread: the yield stays inside the dispatcher
        current = f;
        return f;
      }
      case YIELD, PREEMPT -> {
        f.state = FiberState.RUNNABLE;
        runQueue.enqueue(f);
        current = null;
        machine.trace(now, index, 4, f.id());
        return null;
      }
      case HANDOFF -> {
        Fiber t = f.handoffTarget;
        f.handoffTarget = null;
        if (f.blockReason != null) {
          f.state = FiberState.BLOCKED;
        } else {
          f.state = FiberState.RUNNABLE;
          runQueue.enqueue(f);
        }
        machine.trace(now, index, 5, t.id());
        if (f.handoffKeepAccount) {
          if (t.state == FiberState.RUNNABLE) {
            runQueue.remove(t); // it runs now, not when the scheduler gets to it
          }
          loadedProcess = t.process(); // the mechanism charges its own address-space switch
          FiberState.check(t.state, FiberState.RUNNING);
          t.state = FiberState.RUNNING;
          t.blockReason = null;
          t.setHardPreempted(false);
          current = t;
          return t;
        }
        if (t.state == FiberState.BLOCKED) {
          t.state = FiberState.RUNNABLE;
          t.blockReason = null;
          t.sleepGen++;
          runQueue.enqueue(t);
        }
        current = null;
        return null;
      }
      default -> throw new IllegalStateException("unexpected fiber op " + f.op + " of " + f.describe());
    }
  }

  /**
   * The dispatcher of a two-level process switches from {@code from} (just blocked, finished or
   * yielded at user level) to
   * another of its ready fibers on this CPU at user level, without a scheduler decision: same
   * account, same scheduling epoch, no address-space change; the fiber switched to pays {@link
   * Cost#USER_THREAD_SWITCH}. Returns it, or {@code null} for a kernel dispatch (no user-level
   * scheduler, a preemption pending, or no eligible fiber). See {@link UserLevelScheduler}.
   */
  private Fiber userLevelSwitch(Fiber from, long now) {
    UserLevelScheduler u = from.process().userLevelScheduler();
    if (u == null || preemptFlag || !from.process().isAlive()) {
      return null;
    }
    Fiber n = u.nextReady(from); // the dispatcher's own preference (its soft-interrupt code first)
    if (n == null || n == from || n.cpu() != this || n.process() != from.process() || n.state != FiberState.RUNNABLE
        || n.killed || n.hardPreempted || !runQueue.remove(n)) {
      n = runQueue.takeUserLevel(from.process(), from); // otherwise the head of its ready queue
      if (n == null) {
        return null;
      }
    }
    n.state = FiberState.RUNNING;
    n.owe(Cost.USER_THREAD_SWITCH);
    current = n;
    machine.trace(now, index, 8, n.id());
    return n;
  }

  /** A hard preemption of the current fiber at its deadline. */
  void hardPreempt(Fiber f, long now) {
    flush(now);
    f.hardPreemptions++;
    f.setHardPreempted(true);
    f.state = FiberState.RUNNABLE;
    runQueue.enqueue(f);
    current = null;
    category = Category.MECHANISM;
    machine.trace(now, index, 6, f.id());
  }

  /**
   * The kernel's save of {@code f}'s full context at its hard-preemption deadline (research/k42.md
   * 4.4): for a two-level process, one {@link Cost#HARD_PREEMPT_SAVE}, tallied now and returned in ns
   * (0 in the real engine, whose time is measured): the engine keeps the CPU on the preempted
   * account, as mechanism time, that long before its next dispatch. One-level processes pay nothing.
   */
  long hardPreemptSave(Fiber f) {
    if (f.process().userLevelScheduler() == null) {
      return 0;
    }
    long ns = machine.isSimulated() ? machine.drawCost(Cost.HARD_PREEMPT_SAVE, 1) : 0;
    tallyCost(Cost.HARD_PREEMPT_SAVE, 1, ns);
    return ns;
  }

  @Override
  public String toString() {
    return "CPU " + index;
  }
}
