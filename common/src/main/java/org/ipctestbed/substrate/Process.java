package org.ipctestbed.substrate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A protection domain: a pid, a name, its resource account (priority class, weight, quantum) and its
 * fibers (DESIGN.md, "The substrate"). In K42 terms the process is also the resource domain the
 * proportional-share scheduler charges (research/k42.md 4.2); in DragonFly terms its priority class
 * stands for the LWKT thread priority.
 *
 * <p>Addresses between processes are ids, never shared mutable objects: a handler in a server process
 * sees only what the mechanism copied or mapped for it.
 */
public final class Process {
  /** Highest priority class (K42's class 1: kernel / hard real-time). Lower numbers win. */
  public static final int MIN_PRIORITY_CLASS = 1;

  /** Lowest priority class (K42's class 7). */
  public static final int MAX_PRIORITY_CLASS = 7;

  /** The default class: K42's time-sharing class 4. */
  public static final int DEFAULT_PRIORITY_CLASS = 4;

  /** Weight range of K42's proportional share: {@code drag = 4096 / weight}. */
  public static final int MIN_WEIGHT = 1;

  public static final int MAX_WEIGHT = 4096;

  /** Quantum range of K42 (research/k42.md 4.2): 100 µs to 40 ms. */
  public static final long MIN_QUANTUM_NS = 100_000L;

  public static final long MAX_QUANTUM_NS = 40_000_000L;

  private final Machine machine;
  private final int pid;
  private final String name;
  private final int priorityClass;
  private final int weight;
  private final long quantumNs;
  private final List<Fiber> fibers = new CopyOnWriteArrayList<>();
  private volatile boolean alive = true;
  private volatile boolean kernel;
  private final List<Runnable> killActions = new CopyOnWriteArrayList<>();
  private volatile UserLevelScheduler userLevelScheduler;

  Process(Machine machine, int pid, String name, int priorityClass, int weight, long quantumNs) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a process needs a non-blank name");
    }
    if (priorityClass < MIN_PRIORITY_CLASS || priorityClass > MAX_PRIORITY_CLASS) {
      throw new IllegalArgumentException(
          "priority class of process '" + name + "' must be " + MIN_PRIORITY_CLASS + ".." + MAX_PRIORITY_CLASS + " (lower wins), got " + priorityClass);
    }
    if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "weight of process '" + name + "' must be " + MIN_WEIGHT + ".." + MAX_WEIGHT + ", got " + weight);
    }
    if (quantumNs < MIN_QUANTUM_NS || quantumNs > MAX_QUANTUM_NS) {
      throw new IllegalArgumentException(
          "quantum of process '" + name + "' must be " + MIN_QUANTUM_NS + ".." + MAX_QUANTUM_NS + " ns (100 us to 40 ms), got " + quantumNs);
    }
    this.machine = machine;
    this.pid = pid;
    this.name = name;
    this.priorityClass = priorityClass;
    this.weight = weight;
    this.quantumNs = quantumNs;
  }

  public Machine machine() {
    return machine;
  }

  public int pid() {
    return pid;
  }

  public String name() {
    return name;
  }

  /** Priority class, 1 (highest) to 7. */
  public int priorityClass() {
    return priorityClass;
  }

  /** Proportional-share weight, 1 to 4096. */
  public int weight() {
    return weight;
  }

  /** Time slice when dispatched, nanoseconds. */
  public long quantumNs() {
    return quantumNs;
  }

  /** Whether the process has not been {@link #kill() killed}. */
  public boolean isAlive() {
    return alive;
  }

  /**
   * Whether this is a kernel process: its threads run in the kernel's address space, which every
   * process maps, so a switch to one of them (or back from it to the process that ran before) loads
   * no page tables and is charged no {@link Cost#ADDRESS_SPACE_SWITCH}.
   */
  public boolean isKernel() {
    return kernel;
  }

  void markKernel() {
    kernel = true;
  }

  /** This process's fibers, in creation order. */
  public List<Fiber> fibers() {
    return fibers;
  }

  /**
   * Creates a fiber of this process bound to CPU {@code cpu}; it becomes runnable at once (or when
   * the machine starts). The machine's run ends when every non-daemon fiber has returned.
   *
   * @throws IllegalArgumentException if {@code cpu} is not a CPU of the machine, naming the range
   * @throws IllegalStateException if the process has been killed
   */
  public Fiber spawn(String fiberName, int cpu, Fiber.Body body) {
    return machine.spawn(this, fiberName, cpu, false, body);
  }

  /**
   * Like {@link #spawn}, for a fiber that serves others and may still be blocked when the work is
   * done (a server loop): the run does not wait for it, and a deadlock report lists it but does not
   * count it as stuck.
   */
  public Fiber spawnDaemon(String fiberName, int cpu, Fiber.Body body) {
    return machine.spawn(this, fiberName, cpu, true, body);
  }

  /**
   * Creates a daemon fiber that starts blocked with {@code reason}, without a wake-up: no run queue
   * sees it and no scheduling event happens, so creating it in the middle of a borrowed hand-off
   * leaves the borrowing intact (K42 grows a server's free list of threads at user level, invisibly
   * to the kernel scheduler, research/k42.md 1.2). Its body starts when it is first handed the CPU
   * ({@link Fiber#handoff}) or woken; an {@link Fiber#upcall} runs code as it without starting it.
   */
  public Fiber spawnParked(String fiberName, int cpu, String reason, Fiber.Body body) {
    return machine.spawnParked(this, fiberName, cpu, reason, body);
  }

  /**
   * Makes this process two-level: its CPUs ask {@code scheduler} for the next ready fiber when one of
   * its fibers blocks, and charge user-level preemption costs (see {@link UserLevelScheduler}). A
   * process without one is scheduled one level, by the kernel policy alone. Set it before the run.
   */
  public void setUserLevelScheduler(UserLevelScheduler scheduler) {
    this.userLevelScheduler = java.util.Objects.requireNonNull(scheduler, "user-level scheduler");
  }

  /** The user-level scheduler, or {@code null} for a one-level process. */
  public UserLevelScheduler userLevelScheduler() {
    return userLevelScheduler;
  }

  void addFiber(Fiber f) {
    fibers.add(f);
  }

  /**
   * Ends the process: none of its fibers runs again (a running one stops at its next scheduling
   * point), and a hand-off to one of them fails with {@link DeadProcessException}. Mechanisms check
   * {@link #isAlive()} first and answer with a status code. Safe to call from any fiber or thread.
   */
  public void kill() {
    if (!alive) {
      return;
    }
    alive = false;
    for (Fiber f : fibers) {
      f.cpu().post(f.killIpi());
    }
    for (Runnable action : killActions) {
      action.run();
    }
  }

  /**
   * Registers {@code action} to run when this process is killed: a mechanism's exit path (answering
   * requests the dead process held, as an OS does when a server exits). It runs in the killer's
   * context, after the kill requests to the fibers' CPUs have been posted, so a wake or IPI it sends
   * to one of those CPUs is taken after the kill there. It must be thread-safe and must not block:
   * wake a fiber (an exit-path thread) or post an IPI.
   */
  public void onKill(Runnable action) {
    killActions.add(java.util.Objects.requireNonNull(action, "kill action"));
  }

  @Override
  public String toString() {
    return name + "(pid " + pid + ")";
  }
}
