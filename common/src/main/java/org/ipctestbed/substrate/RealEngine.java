package org.ipctestbed.substrate;

import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;

/**
 * The real engine: one carrier platform thread per virtual CPU, running in parallel on the host;
 * time is {@link System#nanoTime()} (DESIGN.md, "Two engines, one code path").
 *
 * <p>IPIs between CPUs travel through the bounded single-producer FIFOs of {@link IpiQueues}, one
 * per (source, target) pair, made when the machine is made; as in DragonFly's {@code
 * lwkt_send_ipiq} (research/lwkt.md 4 and 7), a sender that finds a FIFO full processes its own
 * incoming IPIs while it spins, so that two CPUs sending to each other cannot deadlock. Posts from
 * outside the machine and to the own CPU use a lock-free MPSC inbox per CPU (JCTools {@link
 * MpscArrayQueue}). A carrier takes its IPIs, expired sleep timers and quantum expiry at every interrupt
 * point: between fibers, and between two slices of the running fiber's {@code work}. An idle carrier
 * follows the configured {@link IdlePolicy}; a sender unparks a parked carrier.
 *
 * <p>Hard preemption happens at the next work slice after the deadline; a fiber that does no work
 * cannot be preempted hard (it still honours soft preemption at its safe points). The watchdog in
 * {@link #run()} reports a deadlock when every CPU has been idle, with empty inboxes and no pending
 * timer and no dispatch, for {@code MachineConfig.watchdogNs} while a non-daemon fiber has not
 * returned.
 */
final class RealEngine extends Engine {
  /** A timer of one CPU: a sleeping fiber's wake-up, or a callout ({@code fiber == null}). */
  private static final class SleepEntry implements Comparable<SleepEntry> {
    final Fiber fiber;
    final long at;
    final long gen;
    final IpiRequest callout;

    SleepEntry(Fiber fiber, long at, long gen) {
      this(fiber, at, gen, null);
    }

    SleepEntry(Fiber fiber, long at, long gen, IpiRequest callout) {
      this.fiber = fiber;
      this.at = at;
      this.gen = gen;
      this.callout = callout;
    }

    @Override
    public int compareTo(SleepEntry o) {
      return Long.compare(at, o.at);
    }
  }

  private static final class RealCpu {
    final MpscArrayQueue<IpiRequest> inbox;
    final PriorityQueue<SleepEntry> sleepers = new PriorityQueue<>();
    volatile int sleeping;
    volatile boolean parked;
    volatile boolean idle;
    Thread thread;

    RealCpu(int capacity) {
      inbox = new MpscArrayQueue<>(capacity);
    }
  }

  /** Capacity of each CPU's inbox for posts from outside the machine and to itself. */
  static final int EXTERNAL_INBOX_CAPACITY = 4096;

  private volatile boolean stop;

  @Override
  boolean stopping() {
    return stop;
  }

  private volatile Thread waiter;
  private long t0;

  RealEngine(Machine machine) {
    super(machine);
  }

  private static RealCpu rc(Cpu cpu) {
    return (RealCpu) cpu.engineState;
  }

  void prepare() {
    for (int i = 0; i < machine.cpuCount(); i++) {
      machine.cpu(i).engineState = new RealCpu(EXTERNAL_INBOX_CAPACITY);
    }
  }

  @Override
  boolean isSimulated() {
    return false;
  }

  @Override
  long now(Cpu cpu) {
    return System.nanoTime();
  }

  @Override
  void work(Fiber f, long ns, Category category) {
    Cpu cpu = f.cpu();
    long slice = machine.config().workSliceNs();
    long now = System.nanoTime();
    cpu.flush(now);
    cpu.category = category;
    long remaining = ns;
    while (remaining > 0) {
      long sliceEnd = now + Math.min(remaining, slice);
      long t;
      while ((t = System.nanoTime()) < sliceEnd) {
        Thread.onSpinWait();
      }
      remaining -= t - now;
      now = t;
      interrupts(cpu, now);
      if (stop || f.killed) {
        // Stopping, or the fiber's process was killed (the kill IPI was just taken): leave the work
        // and give the CPU back; afterSuspend finishes a killed fiber, as the simulated engine does.
        cpu.flush(now);
        f.suspend(Fiber.Op.PREEMPT);
        return;
      }
      if (cpu.preemptFlag && now >= cpu.preemptDeadline) {
        cpu.flush(now);
        f.hardPreemptions++;
        f.setHardPreempted(true);
        cpu.hardPreemptSave(f);
        f.suspend(Fiber.Op.PREEMPT);
        now = System.nanoTime();
        cpu.flush(now);
        cpu.category = category;
      }
    }
    cpu.flush(now);
    cpu.category = Category.MECHANISM;
  }

  /** Takes IPIs (unless deferred by a critical section), expired sleep timers and quantum expiry. */
  private void interrupts(Cpu cpu, long now) {
    RealCpu r = rc(cpu);
    IpiRequest req;
    while ((req = r.inbox.relaxedPoll()) != null) {
      cpu.deliverIpi(req);
    }
    takeIpiFifos(cpu);
    SleepEntry s;
    while ((s = r.sleepers.peek()) != null && s.at <= now) {
      r.sleepers.poll();
      r.sleeping = r.sleepers.size();
      if (s.callout != null) {
        cpu.deliverIpi(s.callout);
      } else if (s.fiber.sleepGen == s.gen && s.fiber.state == FiberState.BLOCKED) {
        cpu.wakeLocal(s.fiber);
      }
    }
    if (cpu.current != null && now >= cpu.quantumEnd) {
      cpu.onQuantumExpiry(now);
    }
  }

  @Override
  void armSleep(Fiber f) {
    RealCpu r = rc(f.cpu());
    r.sleepers.add(new SleepEntry(f, f.sleepUntil, f.sleepGen));
    r.sleeping = r.sleepers.size();
  }

  @Override
  void callout(Cpu cpu, long at, IpiRequest request) {
    RealCpu r = rc(cpu);
    r.sleepers.add(new SleepEntry(null, at, 0, request));
    r.sleeping = r.sleepers.size();
  }

  /**
   * Drains the IPI FIFOs to {@code cpu} unless a critical section holds them back (then they stay in
   * the FIFOs until it ends); tallies one {@link Cost#INTERRUPT} per FIFO that had raised one and
   * {@link Cost#IPI_REQUEST} per request.
   */
  private void takeIpiFifos(Cpu cpu) {
    IpiQueues queues = machine.ipiQueues();
    if (!queues.hasIncoming(cpu.index())) {
      return;
    }
    if (cpu.inCriticalSection()) {
      cpu.ipiPending = true;
      return;
    }
    int n = queues.drainAll(cpu);
    if (n > 0) {
      cpu.tallyCost(Cost.INTERRUPT, 1, 0);
      cpu.tallyCost(Cost.IPI_REQUEST, n, 0);
    }
  }

  /** Processes this CPU's own incoming IPIs while it waits to post (so two senders cannot deadlock). */
  private void takeOwn(Cpu me) {
    RealCpu mine = rc(me);
    IpiRequest own;
    while ((own = mine.inbox.relaxedPoll()) != null) {
      me.deliverIpi(own);
    }
    int n = machine.ipiQueues().drainAll(me);
    if (n > 0) {
      me.tallyCost(Cost.IPI_REQUEST, n, 0);
    }
  }

  /**
   * A post from another CPU goes into the (source, target) FIFO; when it is full the sender
   * processes its own incoming IPIs and spins (lwkt_send_ipiq). The target's carrier is woken only
   * when the FIFO's interrupt flag was clear (one wake per batch). Posts from outside the machine and
   * to the own CPU use the CPU's inbox.
   */
  @Override
  void post(Cpu target, IpiRequest request) {
    Cpu me = Cpu.current();
    if (me != null && me != target && me.machine() == machine) {
      IpiQueues queues = machine.ipiQueues();
      IpiQueues.Fifo q = queues.fifo(me.index(), target.index());
      while (!q.offer(request)) {
        takeOwn(me);
        Thread.onSpinWait();
      }
      if (q.raise()) {
        queues.interruptSent(me.index());
        RealCpu r = rc(target);
        if (r.parked) {
          LockSupport.unpark(r.thread);
        }
      }
      return;
    }
    RealCpu r = rc(target);
    while (!r.inbox.offer(request)) {
      if (me != null && me.machine() == machine) {
        takeOwn(me);
      }
      Thread.onSpinWait();
    }
    if (r.parked) {
      LockSupport.unpark(r.thread);
    }
  }

  @Override
  void kick(Cpu cpu) {
    // The carrier of an idle CPU looks at its run queue after every interrupt; nothing to do.
  }

  @Override
  void armQuantum(Cpu cpu) {
    // Polled at interrupt points.
  }

  @Override
  void armPreemptDeadline(Cpu cpu) {
    // Polled at work slices.
  }

  @Override
  void allDone() {
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  @Override
  void failed() {
    stop = true;
    allDone();
  }

  @Override
  long run() {
    waiter = Thread.currentThread();
    int n = machine.cpuCount();
    t0 = System.nanoTime();
    startedAt = t0;
    for (int i = 0; i < n; i++) {
      Cpu c = machine.cpu(i);
      c.lastFlush = t0;
      RealCpu r = rc(c);
      r.thread = new Cpu.CarrierThread(c, () -> carrier(c), "cpu-" + i);
      r.thread.setDaemon(true);
    }
    for (int i = 0; i < n; i++) {
      rc(machine.cpu(i)).thread.start();
    }
    String problem = watch();
    stop = true;
    for (int i = 0; i < n; i++) {
      LockSupport.unpark(rc(machine.cpu(i)).thread);
    }
    for (int i = 0; i < n; i++) {
      try {
        rc(machine.cpu(i)).thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the carriers", e);
      }
    }
    long end = System.nanoTime();
    for (int i = 0; i < n; i++) {
      machine.cpu(i).flush(end);
    }
    if (problem != null) {
      machine.setElapsed(end - t0);
      throw new DeadlockException(problem, machine.unfinishedFibers()); // fiber states are settled after the joins
    }
    return end - t0;
  }

  /** Waits for the run to end; returns why it must be aborted (deadlock, time limit), or null. */
  private String watch() {
    long watchdog = machine.config().watchdogNs();
    long limit = machine.config().timeLimitNs();
    long lastProgress = -1;
    long lastChange = System.nanoTime();
    while (machine.liveFibers() > 0 && machine.failure() == null) {
      LockSupport.parkNanos(Math.min(10_000_000L, Math.max(1_000_000L, watchdog / 10)));
      long now = System.nanoTime();
      if (now - t0 > limit) {
        return "time limit of " + limit + " ns reached while " + machine.liveFibers() + " non-daemon fiber(s) have not returned";
      }
      long progress = 0;
      boolean quiet = true;
      for (int i = 0; i < machine.cpuCount(); i++) {
        Cpu c = machine.cpu(i);
        RealCpu r = rc(c);
        progress += c.dispatches;
        quiet &= r.idle && r.inbox.isEmpty() && r.sleeping == 0 && !machine.ipiQueues().hasIncoming(i);
      }
      if (progress != lastProgress || !quiet) {
        lastProgress = progress;
        lastChange = now;
      } else if (now - lastChange > watchdog) {
        return "deadlock (watchdog): every CPU idle for " + (now - lastChange) / 1_000_000 + " ms while "
            + machine.liveFibers() + " non-daemon fiber(s) have not returned";
      }
    }
    return null;
  }

  private void carrier(Cpu cpu) {
    Cpu.setCurrent(cpu);
    cpu.carrier = Thread.currentThread();
    RealCpu r = rc(cpu);
    try {
      long now = System.nanoTime();
      while (!stop) {
        interrupts(cpu, now);
        Fiber f = cpu.current;
        if (f == null) {
          f = cpu.dispatchNext(now);
          if (f != null) {
            cpu.tallyCost(Cost.SCHED_DECISION, 1, 0);
            cpu.tallyCost(Cost.THREAD_SWITCH, 1, 0);
            if (cpu.dispatchSwitchedSpace) {
              cpu.tallyCost(Cost.ADDRESS_SPACE_SWITCH, 1, 0);
            }
          }
        }
        if (f == null) {
          idle(cpu, r);
          now = System.nanoTime();
          continue;
        }
        now = runFiber(cpu, f);
      }
      cpu.flush(System.nanoTime());
    } catch (Throwable t) {
      machine.fail(cpu.current, t);
    } finally {
      Cpu.setCurrent(null);
    }
  }

  /**
   * Runs {@code f} and what it hands the CPU to, until the CPU must dispatch; returns the clock read
   * at the last scheduling point, which the carrier's next interrupt check and dispatch use as
   * their "now" (they follow within nanoseconds: one clock read per scheduling point, not two).
   */
  private long runFiber(Cpu cpu, Fiber f) {
    long now = 0;
    while (f != null && !stop) {
      if (f.killed && f.upcallCaller == null) {
        cpu.finish(f);
        cpu.current = null;
        return System.nanoTime();
      }
      cpu.category = Category.MECHANISM;
      boolean finished = f.coroutine().resume();
      f = cpu.current; // an upcall may have changed the logical fiber while the stack ran
      if (stop && !finished && f.op == Fiber.Op.PREEMPT) {
        return System.nanoTime();
      }
      now = System.nanoTime();
      f = cpu.afterSuspend(f, finished, now);
    }
    return stop ? System.nanoTime() : now;
  }

  private void idle(Cpu cpu, RealCpu r) {
    r.idle = true;
    IdlePolicy policy = machine.config().idlePolicy();
    long spinUntil =
        policy == IdlePolicy.SPIN ? Long.MAX_VALUE
            : policy == IdlePolicy.SPIN_THEN_PARK ? System.nanoTime() + machine.config().idleSpinNs()
            : 0;
    IpiQueues queues = machine.ipiQueues();
    while (!stop && r.inbox.isEmpty() && cpu.runQueue.isEmpty() && !queues.hasIncoming(cpu.index())) {
      SleepEntry next = r.sleepers.peek();
      if (next == null && policy == IdlePolicy.SPIN) {
        // No timer and no parking: no clock to read (~30 ns a read on a VM), so an IPI is seen sooner.
        Thread.onSpinWait();
        continue;
      }
      long now = System.nanoTime();
      if (next != null && next.at <= now) {
        break;
      }
      if (now < spinUntil) {
        Thread.onSpinWait();
        continue;
      }
      r.parked = true;
      if (r.inbox.isEmpty() && !queues.hasIncoming(cpu.index()) && !stop) {
        long wait = next == null ? 1_000_000L : Math.min(1_000_000L, next.at - now);
        LockSupport.parkNanos(wait);
      }
      r.parked = false;
    }
    r.idle = false;
  }
}
