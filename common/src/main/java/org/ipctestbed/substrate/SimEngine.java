package org.ipctestbed.substrate;

/**
 * The simulated engine: discrete events in virtual time, one driver thread for all CPUs (DESIGN.md,
 * "Two engines, one code path").
 *
 * <p>Every CPU is in one of four modes: idle; dispatching (paying {@link Cost#SCHED_DECISION} plus an
 * {@link Cost#ADDRESS_SPACE_SWITCH} when the process changes, plus
 * {@link Cost#THREAD_SWITCH} after a scheduler decision); working (its fiber is inside {@code work}
 * or {@code charge} until a known virtual time); or running fiber code, which takes no virtual time.
 * Events are ordered by (time, sequence number), the sequence number being the order in which they
 * were scheduled, so that the same configuration replays bit for bit; they wait in an {@link
 * EventHeap} of primitive arrays, so that a steady-state run allocates nothing per event. IPIs between CPUs wait in the
 * (source, target) FIFOs of {@link IpiQueues}; the interrupt that makes the target drain one is an
 * event at {@code now + IPI_LATENCY}, raised once per batch, and its handling stretches the target's
 * work by {@code INTERRUPT} plus {@code IPI_REQUEST} per request; they interrupt a working fiber at that exact instant (unless it
 * is in a critical section), and a hard preemption stops it at its exact deadline, keeping the rest
 * of its work for later.
 *
 * <p>The driver's stack stays flat: a CPU runs fiber code, hands-off and dispatches that cost nothing
 * in one loop ({@code runFiber}), never by recursion, so a zero-cost model cannot overflow it. And
 * since virtual time advances only when something costs time, a run can go on at one instant
 * forever (a daemon calling at zero cost, whose quantum never ends); the engine counts the steps at
 * one instant and ends such a run as a livelock ({@link #STALL_STEP_LIMIT}). Neither changes the
 * order of events: the same seed gives the same trace as before.
 */
final class SimEngine extends Engine {
  private static final int KICK = 0;
  private static final int DISPATCH_DONE = 1;
  private static final int WORK_DONE = 2;
  private static final int IPI = 3;
  private static final int QUANTUM = 4;
  private static final int PREEMPT = 5;
  private static final int SLEEP = 6;
  private static final int NOISE = 7;
  /** The hardware interrupt of an IPI FIFO arriving at its target (obj: the FIFO). */
  private static final int IPI_INTERRUPT = 8;
  /** An idle CPU has taken an IPI interrupt: run the FIFO's requests now (obj: the FIFO). */
  private static final int IPI_DRAIN = 9;
  /** The interrupt that stretched a fiber's work is over: its time was mechanism time, the rest is the work's. */
  private static final int INTERRUPT_END = 10;

  private static final int IDLE = 0;
  private static final int DISPATCHING = 1;
  private static final int WORKING = 2;
  private static final int RUNNING = 3;

  private static final class SimCpu {
    int mode = IDLE;
    long workEnd;
    long workGen;
    long dispatchGen;
    boolean kickPending;
    long quantumEventAt = -1;
    /** Handle of the pending PREEMPT event in the heap, or -1. */
    int preemptEvent = -1;
    long quantumEventGen;
    /** When the interrupt time stretching the current work ends. */
    long interruptEnd;
    long interruptGen;
    long dispatchEnd;
    /** Per noise source: whether an event is pending for this CPU, and the periodic phase. */
    final boolean[] noiseArmed;
    final long[] noisePhase;

    SimCpu(int noiseSources) {
      noiseArmed = new boolean[noiseSources];
      noisePhase = new long[noiseSources];
    }
  }

  /**
   * How many scheduling steps (events handled and fiber resumptions) may follow each other at one
   * virtual instant, with no non-daemon fiber returning, before the run is declared a livelock.
   * Virtual time advances only when something costs time; with a zero-cost model and zero work a
   * loop of calls can go on at one instant forever (a daemon client that never lets its quantum
   * end), and no time limit fires. A finite run at one instant takes as many steps as its calls, so
   * the limit is far above what the catalogue's workloads take there.
   */
  static final long STALL_STEP_LIMIT = 50_000_000L;

  private final EventHeap events = new EventHeap();
  private long seq;
  private long now;
  private boolean running;
  private boolean done;
  private final NoiseSource[] noise;
  /** {@link #STALL_STEP_LIMIT}, lowered by tests. */
  long stallStepLimit = STALL_STEP_LIMIT;
  private long stallSteps;
  private long stallAt = -1;
  private long stallReturned = -1;
  private long returned;
  private boolean livelocked;

  SimEngine(Machine machine) {
    super(machine);
    noise = machine.config().costModel().noise().toArray(new NoiseSource[0]);
  }

  @Override
  boolean isSimulated() {
    return true;
  }

  @Override
  long now(Cpu cpu) {
    return now;
  }

  private static SimCpu sc(Cpu cpu) {
    return (SimCpu) cpu.engineState;
  }

  private int schedule(long time, int kind, Cpu cpu, Object obj, long gen) {
    return events.add(time, seq++, kind, cpu, obj, gen);
  }

  @Override
  void work(Fiber f, long ns, Category category) {
    f.workRemaining = ns;
    f.workCategory = category;
    if (!workAhead(f, ns, category)) {
      f.suspend(Fiber.Op.WORK);
    }
  }

  /**
   * Lookahead: when no pending event comes at or before the end of this work, the WORK_DONE event
   * the work would schedule is the very next the driver would take, and nothing can happen on any
   * CPU in between. Then the fiber does not suspend: this method does, in the same order, what
   * suspending, scheduling WORK_DONE, taking it and resuming the fiber would do (flush, category,
   * sequence number, virtual time, the two scheduling steps), and returns true. The trace, the
   * ledger and every later event are the same bit for bit; a continuation switch is saved, which is
   * most of the cost of a simulated {@code charge}. Returns false (nothing done) otherwise.
   */
  private boolean workAhead(Fiber f, long ns, Category category) {
    long end = now + ns;
    Cpu cpu = f.cpu();
    SimCpu s = sc(cpu);
    if (s.mode != RUNNING || cpu.current != f || f.killed || f.pendingCosts != 0 || done || livelocked
        || (!events.isEmpty() && events.peekTime() <= end) || end > machine.config().timeLimitNs()
        || machine.failure() != null) {
      return false;
    }
    // startWork
    cpu.flush(now);
    cpu.category = category;
    s.workEnd = end;
    s.workGen++;
    seq++; // the WORK_DONE event's sequence number
    // the driver takes WORK_DONE
    now = end;
    step();
    cpu.flush(now);
    f.workRemaining = 0;
    // runFiber resumes the fiber
    step();
    cpu.category = Category.MECHANISM;
    return true;
  }

  /**
   * A fiber that calls and is served without ever suspending (a PPC call on its own CPU with a
   * zero-cost model) runs on at one instant without returning to the event loop; count its steps
   * too, and when they reach the livelock limit take the CPU from it so that the run can end.
   */
  @Override
  void zeroTimeStep(Fiber f) {
    if (!step()) {
      f.suspend(Fiber.Op.YIELD);
    }
  }

  @Override
  void armSleep(Fiber f) {
    schedule(f.sleepUntil, SLEEP, f.cpu(), f, f.sleepGen);
  }

  @Override
  void callout(Cpu cpu, long at, IpiRequest request) {
    schedule(at, IPI, cpu, request, 0);
  }

  /**
   * A post from another CPU goes into the (source, target) FIFO ({@link IpiQueues}) and raises the
   * target's interrupt, {@code IPI_LATENCY} later, only when none is pending for that FIFO; a post
   * to the own CPU runs at once (as an event now), one from outside the machine after the latency.
   */
  @Override
  void post(Cpu target, IpiRequest request) {
    Cpu from = Cpu.current();
    if (from == target) {
      schedule(now, IPI, target, request, 0);
      return;
    }
    long latency = machine.drawCost(Cost.IPI_LATENCY, 1);
    if (from == null) {
      schedule(now + latency, IPI, target, request, 0);
      return;
    }
    IpiQueues queues = machine.ipiQueues();
    IpiQueues.Fifo q = queues.fifo(from.index(), target.index());
    if (!q.offer(request)) {
      // Full, and the sender could not wait (interrupt level, or a wake under a lock): sent apart.
      queues.overflow(from.index());
      schedule(now + latency, IPI, target, request, 0);
      return;
    }
    if (q.raise()) {
      queues.interruptSent(from.index());
      schedule(now + latency, IPI_INTERRUPT, target, q, 0);
    }
  }

  /**
   * The target takes an IPI interrupt ({@link Cost#INTERRUPT}) and runs the FIFO's requests ({@link
   * Cost#IPI_REQUEST} each), stretching what it was doing by that time. In a critical section the
   * requests stay in the FIFO until it ends; an idle CPU runs them once the interrupt is taken (its
   * time is idle time in the ledger, tallied under the two names).
   */
  private void ipiInterrupt(Cpu cpu, SimCpu s, IpiQueues.Fifo q) {
    long c = machine.drawCost(Cost.INTERRUPT, 1);
    cpu.tallyCost(Cost.INTERRUPT, 1, c);
    if (cpu.inCriticalSection()) {
      cpu.ipiPending = true;
      stretch(cpu, s, c);
      return;
    }
    if (s.mode == IDLE) {
      long r = machine.drawCost(Cost.IPI_REQUEST, q.size());
      cpu.tallyCost(Cost.IPI_REQUEST, q.size(), r);
      s.kickPending = true; // no dispatch while the interrupt is taken
      schedule(now + c + r, IPI_DRAIN, cpu, q, 0);
      return;
    }
    int n = machine.ipiQueues().drain(cpu, q);
    long r = machine.drawCost(Cost.IPI_REQUEST, n);
    cpu.tallyCost(Cost.IPI_REQUEST, n, r);
    interruptWork(cpu, s, c + r);
  }

  /**
   * Stretches the work in progress by {@code d} ns of interrupt time, which the ledger charges as
   * {@link Category#MECHANISM} to the account the CPU holds (DragonFly's tick-based accounting charges
   * the thread the interrupt lands on), not as the fiber's work.
   */
  private void interruptWork(Cpu cpu, SimCpu s, long d) {
    if (d <= 0) {
      return;
    }
    if (s.mode == WORKING) {
      cpu.flush(now);
      cpu.category = Category.MECHANISM;
      s.interruptEnd = Math.max(s.interruptEnd, now) + d;
      schedule(s.interruptEnd, INTERRUPT_END, cpu, null, ++s.interruptGen);
    }
    stretch(cpu, s, d);
  }

  /** Makes the work or dispatch in progress on {@code cpu} end {@code d} ns later. */
  private void stretch(Cpu cpu, SimCpu s, long d) {
    if (d <= 0) {
      return;
    }
    if (s.mode == WORKING) {
      s.workEnd += d;
      s.workGen++;
      schedule(s.workEnd, WORK_DONE, cpu, null, s.workGen);
    } else if (s.mode == DISPATCHING) {
      s.dispatchEnd = Math.max(s.dispatchEnd, now) + d;
      s.dispatchGen++;
      schedule(s.dispatchEnd, DISPATCH_DONE, cpu, null, s.dispatchGen);
    }
  }

  @Override
 void kick(Cpu cpu) {
    if (!running) {
      return; // run() kicks every CPU when it starts
    }
    SimCpu s = sc(cpu);
    if (!s.kickPending && s.mode == IDLE) {
      s.kickPending = true;
      schedule(now, KICK, cpu, null, 0);
    }
  }

  /**
   * Keeps at most one QUANTUM event per CPU: a dispatch that ends its quantum no earlier than the
   * pending event re-uses it (the event, when it fires early, re-arms itself at the current end).
   * Without this every dispatch left an event in the heap for a whole quantum.
   */
  @Override
  void armQuantum(Cpu cpu) {
    SimCpu s = sc(cpu);
    if (s.quantumEventAt >= 0 && s.quantumEventAt <= cpu.quantumEnd) {
      return;
    }
    s.quantumEventAt = cpu.quantumEnd;
    schedule(cpu.quantumEnd, QUANTUM, cpu, null, ++s.quantumEventGen);
  }

  /**
   * Arms the PREEMPT event of the new deadline. The one pending before it (if any) carries an older
   * {@code preemptGen} and can do nothing any more: it leaves the heap now, so that a run of wakes
   * that preempt softly does not pile up one dead event per wake for a whole grace period.
   */
  @Override
  void armPreemptDeadline(Cpu cpu) {
    SimCpu s = sc(cpu);
    cancelPreemptEvent(s);
    s.preemptEvent = schedule(cpu.preemptDeadline, PREEMPT, cpu, null, cpu.preemptGen);
  }

  /** Takes the pending PREEMPT event of a CPU out of the heap: {@code preemptGen} has moved on. */
  private void cancelPreemptEvent(SimCpu s) {
    if (s.preemptEvent >= 0) {
      events.cancel(s.preemptEvent);
      s.preemptEvent = -1;
    }
  }

  @Override
  void fiberReturned() {
    returned++;
  }

  @Override
  void allDone() {
    done = true;
  }

  @Override
  void failed() {
    done = true;
  }

  @Override
  long run() {
    for (int i = 0; i < machine.cpuCount(); i++) {
      Cpu c = machine.cpu(i);
      SimCpu sc = new SimCpu(noise.length);
      for (int n = 0; n < noise.length; n++) {
        sc.noisePhase[n] = noise[n].periodic() ? machine.costRandom().nextLong(noise[n].intervalNs()) : 0;
      }
      c.engineState = sc;
      c.lastFlush = 0;
      c.carrier = Thread.currentThread();
    }
    running = true;
    Cpu[] onCpu = Cpu.currentHolder(); // Cpu.setCurrent without a thread-local look-up per event
    for (int i = 0; i < machine.cpuCount(); i++) {
      kick(machine.cpu(i));
    }
    long limit = machine.config().timeLimitNs();
    done = machine.liveFibers() == 0;
    while (!done) {
      if (!events.poll()) {
        finishTime();
        throw new DeadlockException(
            "deadlock at virtual time " + now + " ns: no event is left while "
                + machine.liveFibers() + " non-daemon fiber(s) have not returned",
            machine.unfinishedFibers());
      }
      if (events.time > limit) {
        now = limit;
        finishTime();
        throw new DeadlockException(
            "time limit of " + limit + " virtual ns reached while " + machine.liveFibers()
                + " non-daemon fiber(s) have not returned",
            machine.unfinishedFibers());
      }
      now = events.time;
      if (!step()) {
        break;
      }
      Cpu cpu = events.cpu;
      onCpu[0] = cpu;
      try {
        handle(events.kind, cpu, events.obj, events.gen);
      } finally {
        onCpu[0] = null;
      }
    }
    finishTime();
    if (livelocked) {
      throw new DeadlockException(
          "livelock at virtual time " + now + " ns: " + stallSteps + " scheduling steps without virtual time"
              + " advancing or a fiber returning (a zero-cost model with zero work?), while "
              + machine.liveFibers() + " non-daemon fiber(s) have not returned",
          machine.unfinishedFibers());
    }
    return now;
  }

  /**
   * Counts one scheduling step; returns false (and ends the run as a livelock) when too many have
   * followed each other at this virtual instant with no non-daemon fiber returning.
   */
  private boolean step() {
    if (livelocked) {
      return false;
    }
    if (now != stallAt || returned != stallReturned) {
      stallAt = now;
      stallReturned = returned;
      stallSteps = 0;
      return true;
    }
    if (++stallSteps < stallStepLimit) {
      return true;
    }
    livelocked = true;
    done = true;
    return false;
  }

  private void finishTime() {
    running = false;
    for (int i = 0; i < machine.cpuCount(); i++) {
      machine.cpu(i).flush(now);
    }
  }

  private void handle(int kind, Cpu cpu, Object obj, long gen) {
    SimCpu s = sc(cpu);
    switch (kind) {
      case KICK -> {
        s.kickPending = false;
        if (s.mode == IDLE && cpu.current == null) {
          startDispatch(cpu, s);
        }
      }
      case DISPATCH_DONE -> {
        if (gen == s.dispatchGen && s.mode == DISPATCHING) {
          continueFiber(cpu, s, cpu.current);
        }
      }
      case WORK_DONE -> {
        if (gen == s.workGen && s.mode == WORKING) {
          Fiber f = cpu.current;
          cpu.flush(now);
          f.workRemaining = 0;
          runFiber(cpu, s, f);
        }
      }
      case IPI -> {
        machine.trace(now, cpu.index(), 7, 0);
        cpu.deliverIpi((IpiRequest) obj);
      }
      case QUANTUM -> {
        if (gen == s.quantumEventGen) {
          s.quantumEventAt = -1;
          if (cpu.current != null) {
            if (now >= cpu.quantumEnd) {
              cpu.onQuantumExpiry(now); // re-arms for the next quantum
            } else {
              armQuantum(cpu); // the quantum was restarted by a later dispatch
            }
          }
        }
      }
      case PREEMPT -> {
        s.preemptEvent = -1;
        if (gen == cpu.preemptGen && cpu.preemptFlag && cpu.current != null
            && (s.mode == WORKING || s.mode == DISPATCHING)) {
          Fiber f = cpu.current;
          if (s.mode == WORKING) {
            f.workRemaining = s.workEnd - now;
            s.workGen++;
          } else {
            s.dispatchGen++;
          }
          cpu.hardPreempt(f, now);
          s.mode = IDLE;
          long save = cpu.hardPreemptSave(f);
          if (save > 0) {
            // The kernel saves the context first, on the preempted account; then it dispatches.
            s.kickPending = true;
            schedule(now + save, KICK, cpu, null, 0);
          } else {
            startDispatch(cpu, s);
          }
        }
      }
      case SLEEP -> {
        Fiber f = (Fiber) obj;
        if (f.sleepGen == gen && f.state == FiberState.BLOCKED) {
          cpu.wakeLocal(f);
        }
      }
      case NOISE -> noise(cpu, s, (int) gen);
      case IPI_INTERRUPT -> {
        machine.trace(now, cpu.index(), 7, 0);
        ipiInterrupt(cpu, s, (IpiQueues.Fifo) obj);
      }
      case INTERRUPT_END -> {
        if (gen == s.interruptGen && s.mode == WORKING) {
          cpu.flush(now);
          cpu.category = cpu.current.workCategory;
        }
      }
      case IPI_DRAIN -> {
        s.kickPending = false;
        if (cpu.inCriticalSection()) {
          cpu.ipiPending = true;
        } else {
          machine.ipiQueues().drain(cpu, (IpiQueues.Fifo) obj);
        }
        if (s.mode == IDLE && cpu.current == null && cpu.runQueue.size() > 0) {
          kick(cpu);
        }
      }
      default -> throw new IllegalStateException("unknown event kind " + kind);
    }
  }

  /** Dispatches the next fiber on {@code cpu} and, when the dispatch costs nothing, runs it now. */
  private void startDispatch(Cpu cpu, SimCpu s) {
    Fiber f = beginDispatch(cpu, s);
    if (f != null) {
      continueFiber(cpu, s, f);
    }
  }

  /**
   * Picks the next fiber and charges the dispatch: returns the fiber when the dispatch costs no
   * virtual time (the caller continues it at once), or {@code null} when the CPU went idle or a
   * {@code DISPATCH_DONE} event will continue it. Returning instead of continuing keeps the driver's
   * stack flat: with a zero-cost model a chain of dispatches never ends in an event, and continuing
   * it by recursion overflowed the stack.
   */
  private Fiber beginDispatch(Cpu cpu, SimCpu s) {
    Fiber f = cpu.dispatchNext(now);
    cancelPreemptEvent(s); // the dispatch moved preemptGen on
    if (f == null) {
      s.mode = IDLE;
      return null;
    }
    long decision = machine.drawCost(Cost.SCHED_DECISION, 1);
    long sw = machine.drawCost(Cost.THREAD_SWITCH, 1);
    long cost = decision + sw;
    cpu.tallyCost(Cost.SCHED_DECISION, 1, decision);
    cpu.tallyCost(Cost.THREAD_SWITCH, 1, sw);
    if (cpu.dispatchSwitchedSpace) {
      long as = machine.drawCost(Cost.ADDRESS_SPACE_SWITCH, 1);
      cost += as;
      cpu.tallyCost(Cost.ADDRESS_SPACE_SWITCH, 1, as);
    }
    s.mode = DISPATCHING;
    s.dispatchGen++;
    s.dispatchEnd = now + cost;
    if (noise.length > 0) {
      armNoise(cpu, s);
    }
    if (cost == 0) {
      return f;
    }
    schedule(now + cost, DISPATCH_DONE, cpu, null, s.dispatchGen);
    return null;
  }

  /** Arms, for a CPU that has become busy, each noise source that has no pending event on it. */
  private void armNoise(Cpu cpu, SimCpu s) {
    for (int i = 0; i < noise.length; i++) {
      if (!s.noiseArmed[i]) {
        s.noiseArmed[i] = true;
        NoiseSource n = noise[i];
        long at;
        if (n.periodic()) {
          long k = Math.floorDiv(now - s.noisePhase[i], n.intervalNs()) + 1;
          at = s.noisePhase[i] + k * n.intervalNs();
        } else {
          at = now + Math.max(1, Math.round(machine.costRandom().nextExponential() * n.intervalNs()));
        }
        schedule(at, NOISE, cpu, null, i);
      }
    }
  }

  /** An occurrence of noise source {@code i}: stretches the work or dispatch in progress. */
  private void noise(Cpu cpu, SimCpu s, int i) {
    s.noiseArmed[i] = false;
    if (s.mode == IDLE) {
      return; // an idle CPU absorbs it; re-armed at its next dispatch
    }
    long d = Math.round(noise[i].duration().sample(machine.costRandom()));
    cpu.tallyCost(Cost.NOISE, 1, d);
    stretch(cpu, s, d);
    armNoise(cpu, s);
  }

  private void continueFiber(Cpu cpu, SimCpu s, Fiber f) {
    if (runsNow(cpu, s, f)) {
      runFiber(cpu, s, f);
    }
  }

  /** Starts {@code f}'s pending work (returning false), or says that its code runs now (true). */
  private boolean runsNow(Cpu cpu, SimCpu s, Fiber f) {
    if (f.workRemaining > 0 && !f.killed) {
      startWork(cpu, s, f);
      return false;
    }
    return true;
  }

  private void startWork(Cpu cpu, SimCpu s, Fiber f) {
    cpu.flush(now);
    cpu.category = f.workCategory;
    s.mode = WORKING;
    s.workEnd = now + f.workRemaining;
    s.workGen++;
    schedule(s.workEnd, WORK_DONE, cpu, null, s.workGen);
  }

  /**
   * Runs fiber code (no virtual time passes) until the fiber works or the CPU waits for an event; a
   * fiber that blocks, yields or hands off is followed, in this loop, by whatever the CPU runs next
   * without virtual time passing (a hand-off, or a dispatch that costs nothing).
   */
  private void runFiber(Cpu cpu, SimCpu s, Fiber f) {
    while (true) {
      if (!step()) {
        return;
      }
      if (f.killed && f.upcallCaller == null) {
        cpu.finish(f);
        cpu.current = null;
        s.mode = IDLE;
        f = beginDispatch(cpu, s);
        if (f == null || !runsNow(cpu, s, f)) {
          return;
        }
        continue;
      }
      s.mode = RUNNING;
      cpu.category = Category.MECHANISM;
      boolean finished = f.coroutine().resume();
      f = cpu.current; // an upcall may have changed the logical fiber while the stack ran
      if (machine.failure() != null) {
        return;
      }
      if (!finished && f.op == Fiber.Op.WORK) {
        startWork(cpu, s, f);
        return;
      }
      Fiber next = cpu.afterSuspend(f, finished, now);
      if (next == null) {
        s.mode = IDLE;
        if (done) {
          return;
        }
        next = beginDispatch(cpu, s);
        if (next == null || !runsNow(cpu, s, next)) {
          return;
        }
        f = next;
        continue;
      }
      if (next.workRemaining > 0) {
        startWork(cpu, s, next);
        return;
      }
      f = next;
    }
  }
}
