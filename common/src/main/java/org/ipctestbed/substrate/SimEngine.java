package org.ipctestbed.substrate;

import java.util.PriorityQueue;

/**
 * The simulated engine: discrete events in virtual time, one driver thread for all CPUs (DESIGN.md,
 * "Two engines, one code path").
 *
 * <p>Every CPU is in one of four modes: idle; dispatching (paying {@link Cost#SCHED_DECISION} plus an
 * {@link Cost#ADDRESS_SPACE_SWITCH} when the process changes, plus
 * {@link Cost#THREAD_SWITCH} after a scheduler decision); working (its fiber is inside {@code work}
 * or {@code charge} until a known virtual time); or running fiber code, which takes no virtual time.
 * Events are ordered by (time, sequence number), the sequence number being the order in which they
 * were scheduled, so that the same configuration replays bit for bit. IPIs are events at {@code now
 * + IPI_LATENCY} on the target CPU; they interrupt a working fiber at that exact instant (unless it
 * is in a critical section), and a hard preemption stops it at its exact deadline, keeping the rest
 * of its work for later.
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

  private static final int IDLE = 0;
  private static final int DISPATCHING = 1;
  private static final int WORKING = 2;
  private static final int RUNNING = 3;

  private static final class Event implements Comparable<Event> {
    final long time;
    final long seq;
    final int kind;
    final Cpu cpu;
    final Object obj;
    final long gen;

    Event(long time, long seq, int kind, Cpu cpu, Object obj, long gen) {
      this.time = time;
      this.seq = seq;
      this.kind = kind;
      this.cpu = cpu;
      this.obj = obj;
      this.gen = gen;
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private static final class SimCpu {
    int mode = IDLE;
    long workEnd;
    long workGen;
    long dispatchGen;
    boolean kickPending;
    long quantumEventAt = -1;
    long quantumEventGen;
    long dispatchEnd;
    /** Per noise source: whether an event is pending for this CPU, and the periodic phase. */
    final boolean[] noiseArmed;
    final long[] noisePhase;

    SimCpu(int noiseSources) {
      noiseArmed = new boolean[noiseSources];
      noisePhase = new long[noiseSources];
    }
  }

  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long seq;
  private long now;
  private boolean running;
  private boolean done;
  private final NoiseSource[] noise;

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

  private void schedule(long time, int kind, Cpu cpu, Object obj, long gen) {
    events.add(new Event(time, seq++, kind, cpu, obj, gen));
  }

  @Override
  void work(Fiber f, long ns, Category category) {
    f.workRemaining = ns;
    f.workCategory = category;
    f.suspend(Fiber.Op.WORK);
  }

  @Override
  void armSleep(Fiber f) {
    schedule(f.sleepUntil, SLEEP, f.cpu(), f, f.sleepGen);
  }

  @Override
  void post(Cpu target, IpiRequest request) {
    Cpu from = Cpu.current();
    long latency = from == target ? 0 : machine.drawCost(Cost.IPI_LATENCY, 1);
    schedule(now + latency, IPI, target, request, 0);
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

  @Override
  void armPreemptDeadline(Cpu cpu) {
    schedule(cpu.preemptDeadline, PREEMPT, cpu, null, cpu.preemptGen);
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
    for (int i = 0; i < machine.cpuCount(); i++) {
      kick(machine.cpu(i));
    }
    long limit = machine.config().timeLimitNs();
    done = machine.liveFibers() == 0;
    while (!done) {
      Event e = events.poll();
      if (e == null) {
        finishTime();
        throw new DeadlockException(
            "deadlock at virtual time " + now + " ns: no event is left while "
                + machine.liveFibers() + " non-daemon fiber(s) have not returned",
            machine.unfinishedFibers());
      }
      if (e.time > limit) {
        now = limit;
        finishTime();
        throw new DeadlockException(
            "time limit of " + limit + " virtual ns reached while " + machine.liveFibers()
                + " non-daemon fiber(s) have not returned",
            machine.unfinishedFibers());
      }
      now = e.time;
      Cpu.setCurrent(e.cpu);
      try {
        handle(e);
      } finally {
        Cpu.setCurrent(null);
      }
    }
    finishTime();
    return now;
  }

  private void finishTime() {
    running = false;
    for (int i = 0; i < machine.cpuCount(); i++) {
      machine.cpu(i).flush(now);
    }
  }

  private void handle(Event e) {
    Cpu cpu = e.cpu;
    SimCpu s = sc(cpu);
    switch (e.kind) {
      case KICK -> {
        s.kickPending = false;
        if (s.mode == IDLE && cpu.current == null) {
          startDispatch(cpu, s);
        }
      }
      case DISPATCH_DONE -> {
        if (e.gen == s.dispatchGen && s.mode == DISPATCHING) {
          continueFiber(cpu, s, cpu.current);
        }
      }
      case WORK_DONE -> {
        if (e.gen == s.workGen && s.mode == WORKING) {
          Fiber f = cpu.current;
          cpu.flush(now);
          f.workRemaining = 0;
          runFiber(cpu, s, f);
        }
      }
      case IPI -> {
        machine.trace(now, cpu.index(), 7, 0);
        cpu.deliverIpi((IpiRequest) e.obj);
      }
      case QUANTUM -> {
        if (e.gen == s.quantumEventGen) {
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
        if (e.gen == cpu.preemptGen && cpu.preemptFlag && cpu.current != null
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
          startDispatch(cpu, s);
        }
      }
      case SLEEP -> {
        Fiber f = (Fiber) e.obj;
        if (f.sleepGen == e.gen && f.state == FiberState.BLOCKED) {
          cpu.wakeLocal(f);
        }
      }
      case NOISE -> noise(cpu, s, (int) e.gen);
      default -> throw new IllegalStateException("unknown event kind " + e.kind);
    }
  }

  private void startDispatch(Cpu cpu, SimCpu s) {
    Fiber f = cpu.dispatchNext(now);
    if (f == null) {
      s.mode = IDLE;
      return;
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
      continueFiber(cpu, s, f);
    } else {
      schedule(now + cost, DISPATCH_DONE, cpu, null, s.dispatchGen);
    }
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
    if (s.mode == WORKING) {
      s.workEnd += d;
      s.workGen++;
      schedule(s.workEnd, WORK_DONE, cpu, null, s.workGen);
    } else if (s.mode == DISPATCHING) {
      s.dispatchEnd = Math.max(s.dispatchEnd, now) + d;
      s.dispatchGen++;
      schedule(s.dispatchEnd, DISPATCH_DONE, cpu, null, s.dispatchGen);
    }
    armNoise(cpu, s);
  }

  private void continueFiber(Cpu cpu, SimCpu s, Fiber f) {
    if (f.workRemaining > 0 && !f.killed) {
      startWork(cpu, s, f);
    } else {
      runFiber(cpu, s, f);
    }
  }

  private void startWork(Cpu cpu, SimCpu s, Fiber f) {
    cpu.flush(now);
    cpu.category = f.workCategory;
    s.mode = WORKING;
    s.workEnd = now + f.workRemaining;
    s.workGen++;
    schedule(s.workEnd, WORK_DONE, cpu, null, s.workGen);
  }

  /** Runs fiber code (no virtual time passes) until the fiber works, blocks, yields or hands off. */
  private void runFiber(Cpu cpu, SimCpu s, Fiber f) {
    while (true) {
      if (f.killed && f.upcallCaller == null) {
        cpu.finish(f);
        cpu.current = null;
        s.mode = IDLE;
        startDispatch(cpu, s);
        return;
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
        if (!done) {
          startDispatch(cpu, s);
        }
        return;
      }
      if (next.workRemaining > 0) {
        startWork(cpu, s, next);
        return;
      }
      f = next;
    }
  }
}
