package org.ipctestbed.substrate;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A user-level thread of a {@link Process}, bound to one {@link Cpu}, run as a {@link Coroutine}
 * (DESIGN.md, "The substrate": the suggested name {@code Fiber} keeps it apart from {@link
 * java.lang.Thread}). Its states are those of {@link FiberState}.
 *
 * <p>The scheduling primitives the mechanisms use are methods of the fiber that calls them: {@link
 * #work}, {@link #charge}, {@link #block}, {@link #yieldCpu}, {@link #handoff}, {@link #sleep}, {@link
 * #safePoint}, {@link #critEnter}/{@link #critExit}. Each must be called by the fiber itself, from
 * inside its body; {@link #current()} finds it. {@link #wake()} may be called from anywhere: another
 * fiber on any CPU, an IPI handler, or outside the machine.
 *
 * <p>Safe points, where a pending soft preemption is honoured: the return from {@link #work} and
 * {@link #charge}, {@link #safePoint()}, and the outermost {@link #critExit()}. Between two calls of
 * these primitives a fiber's code takes no virtual time in the simulated engine.
 *
 * <p>Wake-ups carry a permit, as {@link java.util.concurrent.locks.LockSupport} does: a wake that
 * arrives while the fiber is running or runnable is remembered, and its next {@link #block} returns
 * at once. Callers therefore block in a loop that re-checks their condition.
 */
public final class Fiber {
  /** Code a fiber runs on another fiber's stack; see {@link Fiber#upcall}. */
  @FunctionalInterface
  public interface Upcall {
    /** Runs as {@code server}; returns a status for the caller. */
    int run(Fiber server);
  }

  /** A fiber's code. {@code self} is the fiber it runs in. */
  @FunctionalInterface
  public interface Body {
    void run(Fiber self) throws Exception;
  }

  /** Why a fiber handed control back to its CPU. */
  enum Op {
    WORK,
    BLOCK,
    YIELD,
    /** A user-level thread yield ({@link #yieldThread}): the dispatcher picks, not the kernel. */
    USER_YIELD,
    PREEMPT,
    HANDOFF,
    EXIT
  }

  private final int id;
  private final String name;
  private final Process process;
  private final Cpu cpu;
  private final boolean daemon;
  private final Account account;
  private Coroutine coroutine;
  private final Machine machine;
  private final boolean simulated;
  private final AtomicBoolean wakeIpiPending = new AtomicBoolean();
  private final IpiRequest wakeIpi;
  private final IpiRequest killIpi;

  // Touched only by the fiber's own CPU.
  FiberState state = FiberState.NEW;
  String blockReason;
  boolean wakePermit;
  Op op;
  Fiber handoffTarget;
  boolean handoffKeepAccount;
  long workRemaining;
  Category workCategory = Category.USER;
  int critDepth;
  private Object attachment;
  boolean hardPreempted;
  boolean killed;
  long sleepGen;
  long sleepUntil;
  /** The fiber whose stack this one runs on during an {@link #upcall}, or {@code null}. */
  Fiber upcallCaller;
  /** The fiber running on this one's stack during an {@link #upcall} it made, or {@code null}. */
  Fiber upcallee;
  long softPreemptions;
  long hardPreemptions;
  /** Costs (bits by ordinal) this fiber pays when it next runs: user-level switch, preemption saves. */
  long pendingCosts;

  Fiber(int id, String name, Process process, Cpu cpu, boolean daemon, Body body) {
    this.id = id;
    this.name = name;
    this.process = process;
    this.cpu = cpu;
    this.daemon = daemon;
    this.machine = process.machine();
    this.simulated = machine.isSimulated();
    this.account = new Account(this, machine.cpuCount());
    this.coroutine = new Coroutine(() -> runBody(body));
    this.wakeIpi =
        on -> {
          // A read-modify-write, not a plain write: a waker whose getAndSet saw "pending" is then
          // ordered before this one, so what it wrote before wake() is visible to the woken fiber.
          wakeIpiPending.getAndSet(false);
          on.wakeLocal(this);
        };
    this.killIpi = on -> on.killLocal(this);
  }

  private void runBody(Body body) {
    try {
      payPendingCosts();
      body.run(this);
    } catch (Throwable t) {
      machine.fail(this, t);
    }
    op = Op.EXIT;
  }

  // ------------------------------------------------------------------ identity and state

  /** The fiber whose code is running on the calling carrier, or {@code null} outside any fiber. */
  public static Fiber current() {
    Cpu c = Cpu.current();
    if (c == null || !Coroutine.inCoroutine()) {
      return null;
    }
    return c.current;
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  /** The CPU this fiber is bound to. */
  public Cpu cpu() {
    return cpu;
  }

  public Machine machine() {
    return machine;
  }

  /** Whether the run ends without waiting for this fiber (a server loop). */
  public boolean isDaemon() {
    return daemon;
  }

  /** The account charged when this fiber's CPU holds it. */
  public Account account() {
    return account;
  }

  /** Current state; exact from the fiber's own CPU or after the run, an estimate elsewhere. */
  public FiberState state() {
    return state;
  }

  /** The reason given to the last {@link #block}, while blocked; {@code null} otherwise. */
  public String blockReason() {
    return blockReason;
  }

  /**
   * Whether the fiber was stopped by hard preemption and has not run since (K42: a hard-preempted
   * dispatcher refuses synchronous PPCs until it is re-dispatched, research/k42.md 4.4).
   */
  public boolean isHardPreempted() {
    return hardPreempted;
  }

  /** How often this fiber honoured a soft preemption at a safe point. */
  public long softPreemptions() {
    return softPreemptions;
  }

  /** How often this fiber was preempted hard. */
  public long hardPreemptions() {
    return hardPreemptions;
  }

  /** The current time on this fiber's CPU: virtual (sim) or {@link System#nanoTime()} (real). */
  public long now() {
    return machine.engine().now(cpu);
  }

  // ------------------------------------------------------------------ primitives (self only)

  private void checkSelf(String what) {
    // Cheap on the hot path: the CPU's current fiber and its carrier thread (Thread.currentThread is
    // an intrinsic; the thread-local and continuation lookups cost more than a PPC fast path).
    if (cpu.current != this || Thread.currentThread() != cpu.carrier) {
      throw new IllegalStateException(
          what + " on fiber '" + name + "' must be called by that fiber itself, from its body");
    }
  }

  void suspend(Op why) {
    op = why;
    Coroutine.suspend();
    if (killed && upcallCaller != null) {
      // Killed while running on a caller's stack: unwind the server's frames back to the upcall,
      // which gives the caller its stack back (see upcall).
      throw UpcallAbort.INSTANCE;
    }
    if (pendingCosts != 0) {
      payPendingCosts();
    }
  }

  /** {@link Cost#values()} once: the enum's values() clones its array on every call. */
  private static final Cost[] COSTS = Cost.values();

  /** Charges what was left to pay when this fiber runs again (two-level processes only). */
  private void payPendingCosts() {
    while (pendingCosts != 0) {
      int ordinal = Long.numberOfTrailingZeros(pendingCosts);
      pendingCosts &= pendingCosts - 1;
      payNow(COSTS[ordinal]);
    }
  }

  /** One {@code c}, paid now by this (running) fiber as mechanism time, with no safe point after it. */
  private void payNow(Cost c) {
    if (simulated) {
      long ns = machine.drawCost(c, 1);
      cpu.tallyCost(c, 1, ns);
      if (ns > 0) {
        machine.engine().work(this, ns, Category.MECHANISM);
      }
    } else {
      cpu.tallyCost(c, 1, 0);
    }
  }

  void owe(Cost c) {
    pendingCosts |= 1L << c.ordinal();
  }

  /**
   * Records that the kernel stopped this fiber and holds its context ({@code on}), or that it runs
   * again or ended; a two-level process's scheduler is told (K42's reserved thread, k42.md 4.4).
   */
  void setHardPreempted(boolean on) {
    if (hardPreempted == on) {
      return;
    }
    hardPreempted = on;
    UserLevelScheduler u = process.userLevelScheduler();
    if (u != null) {
      if (on) {
        u.preempted(this, true); // the kernel's save is charged by the CPU at the deadline (Cpu.hardPreemptSave)
      }
      u.hardPreempted(this, on);
    }
  }

  /** Unwinds a killed server's frames from a borrowed stack; an Error so that handlers don't catch it. */
  static final class UpcallAbort extends Error {
    private static final long serialVersionUID = 1L;
    static final UpcallAbort INSTANCE = new UpcallAbort();

    private UpcallAbort() {
      super("the server was killed during an upcall", null, false, false);
    }
  }

  /**
   * Does {@code ns} nanoseconds of the fiber's own work (category {@link Category#USER}): the
   * simulated engine advances virtual time, the real engine spins for that long in slices, polling
   * for IPIs and hard preemption between slices. Returns at a safe point.
   *
   * @throws IllegalArgumentException if {@code ns} is negative
   */
  public void work(long ns) {
    checkSelf("work");
    if (ns < 0) {
      throw new IllegalArgumentException("work must be >= 0 ns, got " + ns);
    }
    if (ns > 0) {
      machine.engine().work(this, ns, Category.USER);
    } else if (simulated) {
      machine.engine().zeroTimeStep(this);
    }
    safePoint();
  }

  /** Charges one unit of a named mechanism cost; see {@link #charge(Cost, long)}. */
  public void charge(Cost cost) {
    charge(cost, 1);
  }

  /**
   * Charges {@code units} of a named mechanism cost (category {@link Category#MECHANISM}): the
   * simulated engine advances virtual time by the cost model's figure, the real engine only counts
   * it. Either way the ledger tallies it by name. Returns at a safe point.
   */
  public void charge(Cost cost, long units) {
    checkSelf("charge");
    if (!simulated) {
      cpu.tallyCost(cost, units, 0); // real time is measured: only count it
      safePoint();
      return;
    }
    long ns = machine.drawCost(cost, units);
    cpu.tallyCost(cost, units, ns);
    if (ns > 0) {
      machine.engine().work(this, ns, Category.MECHANISM);
    } else {
      machine.engine().zeroTimeStep(this);
    }
    safePoint();
  }

  /**
   * Charges {@link Cost#IPI_SEND} for an IPI to CPU {@code target} and writes that CPU's IPI queue
   * tail ({@link Machine#ipiQueueLine}): senders on several CPUs contend for it (research/lwkt.md,
   * IPI FIFOs; issue 12). If the FIFO to {@code target} is more than half full, processes this CPU's
   * own incoming IPIs and waits until it is not ({@link IpiQueues}, research/lwkt.md section 7).
   * Call it before posting, holding no spin lock. Returns at a safe point.
   */
  public void chargeIpiSend(int target) {
    charge(Cost.IPI_SEND);
    machine.ipiQueueLine(target).write(this);
    machine.ipiQueues().awaitRoom(this, target);
  }

  /** How long one wait for room in an IPI FIFO spins in the simulated engine before looking again. */
  static final long IPI_STALL_SPIN_NS = 50;

  /**
   * Waits a little for room in an IPI FIFO ({@link IpiQueues#awaitRoom}): the simulated engine spins
   * {@value #IPI_STALL_SPIN_NS} ns tallied as {@link Cost#CONTENTION_WAIT}; the real one spins once.
   */
  void stallForIpiQueue() {
    if (!simulated) {
      if (machine.engine().stopping()) {
        // The target's carrier may be gone: give the CPU back so that this carrier leaves too,
        // instead of waiting for room that never comes (a hang of the whole run).
        suspend(Op.PREEMPT);
      }
      Thread.onSpinWait();
      return;
    }
    cpu.tallyCost(Cost.CONTENTION_WAIT, 1, IPI_STALL_SPIN_NS);
    machine.engine().work(this, IPI_STALL_SPIN_NS, Category.MECHANISM);
  }

  /**
   * Simulated engine: spends {@code waitNs} tallied as {@link Cost#CONTENTION_WAIT}, then {@code ns}
   * tallied as {@code units} of {@code cost}, as one stretch of mechanism time ({@link SharedLine},
   * {@link ContendedLock}: the figures are computed by the caller from the shared state). Returns at a
   * safe point.
   */
  void spendContended(long waitNs, Cost cost, long units, long ns) {
    checkSelf("charge");
    if (waitNs > 0) {
      cpu.tallyCost(Cost.CONTENTION_WAIT, 1, waitNs);
    }
    cpu.tallyCost(cost, units, ns);
    if (waitNs + ns > 0) {
      machine.engine().work(this, waitNs + ns, Category.MECHANISM);
    }
    safePoint();
  }

  /**
   * Blocks until {@link #wake()}: the CPU goes to the next runnable fiber. Returns at once, consuming
   * it, if a wake permit is pending.
   *
   * @param reason what the fiber waits for, printed by deadlock reports (keep it a constant string:
   *     no allocation on hot paths)
   */
  public void block(String reason) {
    checkSelf("block");
    if (wakePermit) {
      wakePermit = false;
      return;
    }
    blockReason = reason;
    suspend(Op.BLOCK);
  }

  /** Gives the CPU to the next runnable fiber, if any, and stays runnable (a scheduling point). */
  public void yieldCpu() {
    checkSelf("yield");
    suspend(Op.YIELD);
  }

  /**
   * A thread's voluntary yield at user level (K42's thread library, research/k42.md 4.1: the
   * dispatcher schedules its own threads). In a process with a {@link UserLevelScheduler}, another
   * ready fiber of the process on this CPU runs, switched to at user level: one {@link
   * Cost#USER_THREAD_SWITCH}, no scheduler decision, the account and the scheduling epoch kept; with
   * none ready this fiber goes on at once, and the kernel never hears of it. A pending preemption is
   * honoured instead (a safe point: the dispatcher yields to the kernel). Without a user-level
   * scheduler this is {@link #yieldCpu()}.
   */
  public void yieldThread() {
    checkSelf("yieldThread");
    if (process.userLevelScheduler() == null) {
      suspend(Op.YIELD);
      return;
    }
    if (cpu.preemptFlag && critDepth == 0) {
      safePoint();
      return;
    }
    if (simulated) {
      machine.engine().zeroTimeStep(this); // two threads yielding to each other at no cost still end
    }
    suspend(Op.USER_YIELD);
  }

  /**
   * Hands this CPU straight to {@code target}, a fiber bound to the same CPU, and blocks with {@code
   * reason} (or stays runnable if {@code reason} is {@code null}) until woken or handed back to.
   *
   * <p>With {@code keepAccount}, the CPU goes on charging the account it holds (K42's borrowed
   * domain, research/k42.md 3.1 (c)): no scheduler decision, no change of charge; the target's work
   * lands on that account until a scheduling event (quantum expiry, a preempting wake) ends the
   * borrowing and moves the rest to the target's own account; nothing is charged for the switch (the
   * mechanism charges its own). Without it, the hand-off goes through the scheduler: the target is made
   * runnable and the CPU dispatches normally, charging a scheduler decision, a thread switch and, when
   * the process changes, an address-space switch to the dispatched fiber, as after {@link #block} and
   * {@link #wake()}. A pending wake permit is not consumed: a fiber that hands off with a reason and
   * was woken just before stays blocked, so publish what a waker reads and switch with no primitive in
   * between.
   *
   * @throws IllegalArgumentException if {@code target} is on another CPU or is this fiber
   * @throws DeadProcessException if {@code target}'s process has been killed
   * @throws IllegalStateException if {@code target} has finished or is running
   */
  public void handoff(Fiber target, boolean keepAccount, String reason) {
    checkSelf("handoff");
    if (target == this) {
      throw new IllegalArgumentException("fiber '" + name + "' cannot hand off to itself");
    }
    if (target.cpu != cpu) {
      throw new IllegalArgumentException(
          "hand-off from fiber '" + name + "' on CPU " + cpu.index() + " to fiber '" + target.name + "' on CPU "
              + target.cpu.index() + ": a hand-off stays on one CPU; wake a fiber on another CPU instead");
    }
    if (!target.process.isAlive() || target.killed) {
      throw new DeadProcessException("hand-off from fiber '" + name + "'", target);
    }
    if (target.state == FiberState.DONE || target.state == FiberState.RUNNING) {
      throw new IllegalStateException(
          "hand-off to fiber '" + target.name + "', which is " + target.state);
    }
    handoffTarget = target;
    handoffKeepAccount = keepAccount;
    blockReason = reason;
    suspend(Op.HANDOFF);
  }

  /**
   * Runs {@code code} as {@code server}, a blocked fiber on this CPU, on this fiber's own stack: the
   * CPU's current fiber becomes {@code server} (so its primitives, {@link #current()} and wake-ups
   * address the server) while this fiber is blocked "in call", with no continuation switch and no
   * scheduler decision; the CPU keeps charging the account it holds. This is K42's PPC fast path as
   * the issue describes it: the server thread runs the method on the caller's stack and needs a
   * stack of its own only if it blocks (research/k42.md 1.2, 3.1 (c)). Here it need not even then:
   * if the server blocks, sleeps or is preempted, this fiber's continuation is suspended with it, and
   * resumes when the server is dispatched again, which is correct because the caller waits for the
   * reply anyway.
   *
   * <p>On return, if a scheduling event ended the borrowing during the upcall (the CPU no longer
   * charges the account it charged at entry), the return is diverted through the scheduler: this
   * fiber yields and continues when dispatched in its own right (k42.md 3.1, "the server's eventual
   * return is diverted through the scheduler"). The server goes back to its blocked state with its
   * block reason. Upcalls nest (a server calling another server).
   *
   * <p>If the server's process is killed during the upcall, the server's frames are unwound from this
   * stack at its next scheduling point (by an {@link Error} that handler code must not catch), the
   * server thread is finished, and this method throws {@link DeadProcessException}: the caller keeps
   * running and can answer with a status code.
   *
   * @return what {@code code} returned
   * @throws IllegalArgumentException if {@code server} is on another CPU or is this fiber
   * @throws DeadProcessException if {@code server}'s process has been killed, before or during the
   *     upcall
   * @throws IllegalStateException if {@code server} is not blocked
   */
  public int upcall(Fiber server, Upcall code) {
    checkSelf("upcall");
    if (server == this) {
      throw new IllegalArgumentException("fiber '" + name + "' cannot upcall itself");
    }
    if (server.cpu != cpu) {
      throw new IllegalArgumentException(
          "upcall from fiber '" + name + "' on CPU " + cpu.index() + " to fiber '" + server.name
              + "' on CPU " + server.cpu.index() + ": an upcall stays on one CPU");
    }
    if (!server.process.isAlive() || server.killed) {
      throw new DeadProcessException("upcall from fiber '" + name + "'", server);
    }
    if (server.state != FiberState.BLOCKED) {
      throw new IllegalStateException("upcall to fiber '" + server.name + "', which is " + server.state);
    }
    Account entryAccount = cpu.account;
    Coroutine own = server.coroutine;
    String serverReason = server.blockReason;
    server.coroutine = coroutine;
    state = FiberState.BLOCKED;
    blockReason = "in call (upcall)";
    server.state = FiberState.RUNNING;
    server.blockReason = null;
    server.setHardPreempted(false);
    server.upcallCaller = this;
    upcallee = server;
    cpu.current = server;
    int result = 0;
    boolean aborted = false;
    try {
      result = code.run(server);
    } catch (UpcallAbort a) {
      aborted = true;
    } finally {
      // The server is current again here: whatever happened in between, this stack only runs when
      // its logical owner (the server) is dispatched.
      cpu.current = this;
      server.state = FiberState.BLOCKED;
      server.blockReason = serverReason;
      server.coroutine = own;
      server.upcallCaller = null;
      upcallee = null;
      state = FiberState.RUNNING;
      blockReason = null;
    }
    if (server.killed || !server.process.isAlive()) {
      server.killed = true;
      if (server.state != FiberState.DONE) {
        cpu.finish(server); // its own (parked) stack is dropped: the thread is gone
      }
      if (aborted) {
        throw new DeadProcessException("upcall from fiber '" + name + "'", server);
      }
    }
    if (killed || !process.isAlive()) {
      // This fiber was killed while its stack ran the server (Cpu.killLocal left it alone then):
      // unwind too, to the upcall that lent this stack, or stop here if the stack is its own.
      killed = true;
      if (upcallCaller != null) {
        throw UpcallAbort.INSTANCE;
      }
      suspend(Op.YIELD);
    }
    if (cpu.account != entryAccount) {
      suspend(Op.YIELD); // slow return: through the scheduler, in this fiber's own account
    }
    return result;
  }

  /**
   * Ends this fiber without running it again: a thread library freeing an idle thread (K42's
   * dispatcher returning a server thread's stack). Called by another fiber running on the same CPU;
   * this fiber must be blocked and take no part in an upcall. Does not allocate.
   *
   * @throws IllegalStateException if called from elsewhere or the fiber is not blocked
   */
  public void retire() {
    Fiber caller = current();
    if (caller == null || caller == this || caller.cpu != cpu) {
      throw new IllegalStateException("retire of fiber '" + name + "' must be called by another fiber on CPU " + cpu.index());
    }
    if (state != FiberState.BLOCKED || upcallCaller != null || upcallee != null) {
      throw new IllegalStateException("retire of fiber '" + name + "', which is " + state + " or in an upcall");
    }
    cpu.finish(this);
  }

  /** Blocks for {@code ns} nanoseconds (a timer on this fiber's CPU wakes it), or until woken. */
  public void sleep(long ns) {
    checkSelf("sleep");
    if (ns < 0) {
      throw new IllegalArgumentException("sleep must be >= 0 ns, got " + ns);
    }
    wakePermit = false;
    sleepUntil = now() + ns;
    sleepGen++;
    machine.engine().armSleep(this);
    blockReason = "sleeping";
    suspend(Op.BLOCK);
  }

  /**
   * A safe point: if a soft preemption is pending and the fiber is not in a critical section, it
   * yields now (research/k42.md 4.4: "finishes its critical section ... and yields").
   */
  public void safePoint() {
    if (cpu.preemptFlag && critDepth == 0 && cpu.current == this) {
      softPreemptions++;
      UserLevelScheduler u = process.userLevelScheduler();
      if (u != null) {
        // The dispatcher saves its thread at user level now, before it yields: its own time, charged
        // to the account the CPU holds (research/k42.md 4.4).
        payNow(Cost.SOFT_PREEMPT_SAVE);
        u.preempted(this, false);
      }
      suspend(Op.YIELD);
    }
  }

  /**
   * Enters a critical section: IPI requests to this CPU and soft preemption are deferred until the
   * matching {@link #critExit()} (DragonFly's {@code crit_enter}, research/lwkt.md 4; K42's disabled
   * dispatcher). Hard preemption is not deferred. Sections nest.
   */
  public void critEnter() {
    checkSelf("critEnter");
    critDepth++;
  }

  /** Leaves a critical section; the outermost exit runs deferred IPIs and is a safe point. */
  public void critExit() {
    checkSelf("critExit");
    if (critDepth == 0) {
      throw new IllegalStateException("critExit without critEnter on fiber '" + name + "'");
    }
    if (--critDepth == 0) {
      int n = cpu.runDeferredIpis();
      if (n > 0) {
        charge(Cost.IPI_REQUEST, n); // the requests the section held back in the IPI FIFOs ran now
      }
      safePoint();
    }
  }

  /**
   * The object a mechanism keeps with this thread (LWKT's {@code td_msgport}, the thread's own
   * port), or {@code null}. One slot: the mechanism that runs the thread owns it.
   */
  public Object attachment() {
    return attachment;
  }

  /** Sets {@link #attachment()}; only the fiber itself may (it is read without synchronisation). */
  public void attach(Object a) {
    checkSelf("attach");
    attachment = a;
  }

  /** Whether this fiber is inside a critical section. */
  public boolean inCritical() {
    return critDepth > 0;
  }

  // ------------------------------------------------------------------ wake (from anywhere)

  /**
   * Makes this fiber runnable if it is blocked, or leaves a permit if it is not. From this fiber's
   * own CPU the wake is immediate; from anywhere else it travels as an IPI to that CPU (never
   * touching another CPU's run queue), deduplicated while one is in flight. Does not allocate.
   */
  public void wake() {
    if (Cpu.current() == cpu) {
      cpu.wakeLocal(this);
    } else if (!wakeIpiPending.getAndSet(true)) {
      cpu.post(wakeIpi);
    }
  }

  /**
   * As {@link #wake()} from this fiber's own CPU, but never preempts the running fiber (DragonFly's
   * {@code MSGF_NORESCHED} hint: the woken thread runs at the next scheduling point). From another
   * CPU it is a plain {@link #wake()}.
   */
  public void wakeNoResched() {
    if (Cpu.current() == cpu) {
      cpu.wakeLocal(this, true);
    } else {
      wake();
    }
  }

  IpiRequest killIpi() {
    return killIpi;
  }

  Coroutine coroutine() {
    return coroutine;
  }

  /** One line for reports: name, process, CPU, state and block reason. */
  public String describe() {
    return String.format(
        "fiber '%s' of %s on CPU %d: %s%s%s",
        name,
        process,
        cpu.index(),
        state,
        state == FiberState.BLOCKED && blockReason != null ? " (" + blockReason + ")" : "",
        daemon ? " [daemon]" : "");
  }

  @Override
  public String toString() {
    return name;
  }
}
