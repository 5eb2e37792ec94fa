package org.ipctestbed.substrate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A machine of N virtual CPUs with a process table, a clock, a cost model, a scheduler policy and a
 * {@link Ledger} (DESIGN.md, "The substrate"). Mechanisms and workloads are written once against it;
 * its {@link EngineKind engine} decides how time passes.
 *
 * <p>Use: create, add processes and fibers, {@link #run()} once, read the ledger.
 *
 * <pre>{@code
 * Machine m = Machine.create(MachineConfig.builder().cpus(2).engine("sim").build());
 * Process p = m.newProcess("client");
 * p.spawn("main", 0, self -> self.work(1_000));
 * m.run();
 * m.ledger().processNs(p, Category.USER); // 1000
 * }</pre>
 */
public final class Machine {
  private final MachineConfig config;
  private final Engine engine;
  private final Cpu[] cpus;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final List<Fiber> fibers = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextPid = new AtomicInteger(1);
  private final AtomicInteger nextFiberId = new AtomicInteger(1);
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Ledger ledger = new Ledger(this);
  private volatile boolean started;
  private volatile boolean running;
  private long elapsedNs;
  private long digest = 0xcbf29ce484222325L;
  /** The stream every simulated cost draw comes from; touched only by the simulated engine's driver. */
  private final SplittableRandom costRandom;
  private final SharedLine[] ipiQueueLines;
  private final IpiQueues ipiQueues;
  private long traceEvents;

  private Machine(MachineConfig config) {
    this.config = config;
    this.engine = config.engine() == EngineKind.SIM ? new SimEngine(this) : new RealEngine(this);
    this.cpus = new Cpu[config.cpus()];
    this.costRandom = random(COST_STREAM);
    this.ipiQueues = new IpiQueues(this, cpus.length, config.ipiQueueCapacity(), config.engine() != EngineKind.SIM);
    this.ipiQueueLines = new SharedLine[cpus.length];
    for (int i = 0; i < cpus.length; i++) {
      ipiQueueLines[i] = new SharedLine("IPI queue of CPU " + i);
    }
    for (int i = 0; i < cpus.length; i++) {
      cpus[i] = new Cpu(this, i, config.policy().newRunQueue(i), engine);
    }
    if (engine instanceof RealEngine r) {
      r.prepare();
    }
  }

  /** A machine with configuration {@code config}. */
  public static Machine create(MachineConfig config) {
    return new Machine(config);
  }

  public MachineConfig config() {
    return config;
  }

  public CostModel costModel() {
    return config.costModel();
  }

  Engine engine() {
    return engine;
  }

  /** Whether time is virtual (the simulated engine). */
  public boolean isSimulated() {
    return engine.isSimulated();
  }

  public int cpuCount() {
    return cpus.length;
  }

  /**
   * CPU {@code index}.
   *
   * @throws IllegalArgumentException if there is no such CPU, naming the valid range
   */
  public Cpu cpu(int index) {
    if (index < 0 || index >= cpus.length) {
      throw new IllegalArgumentException(
          "no CPU " + index + ": this machine has CPUs 0.." + (cpus.length - 1));
    }
    return cpus[index];
  }

  public List<Process> processes() {
    return processes;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** A process in the default class (4, time-sharing), weight 1024 and the default quantum. */
  public Process newProcess(String name) {
    return newProcess(name, Process.DEFAULT_PRIORITY_CLASS, 1024);
  }

  /** A process with the default quantum. */
  public Process newProcess(String name, int priorityClass, int weight) {
    return newProcess(name, priorityClass, weight, config.defaultQuantumNs());
  }

  /**
   * A kernel process ({@link Process#isKernel()}): its threads share every process's address space,
   * so switching to them changes none (a DragonFly LWKT kernel thread, a K42 kernel-process thread).
   */
  public Process newKernelProcess(String name, int priorityClass, int weight) {
    Process p = newProcess(name, priorityClass, weight);
    p.markKernel();
    return p;
  }

  /**
   * A process with its resource account.
   *
   * @throws IllegalArgumentException naming the allowed range of any out-of-range parameter
   */
  public Process newProcess(String name, int priorityClass, int weight, long quantumNs) {
    Process p = new Process(this, nextPid.getAndIncrement(), name, priorityClass, weight, quantumNs);
    processes.add(p);
    return p;
  }

  Fiber spawnParked(Process p, String name, int cpu, String reason, Fiber.Body body) {
    Fiber f = create(p, name, cpu, true, body);
    FiberState.check(f.state, FiberState.BLOCKED);
    f.state = FiberState.BLOCKED;
    f.blockReason = reason;
    return f;
  }

  Fiber spawn(Process p, String name, int cpu, boolean daemon, Fiber.Body body) {
    Fiber f = create(p, name, cpu, daemon, body);
    if (running) {
      f.wake();
    } else {
      cpus[cpu].wakeLocal(f);
    }
    return f;
  }

  private Fiber create(Process p, String name, int cpu, boolean daemon, Fiber.Body body) {
    if (cpu < 0 || cpu >= cpus.length) {
      throw new IllegalArgumentException(
          "fiber '" + name + "' of " + p + " bound to CPU " + cpu + ", but this machine has CPUs 0.."
              + (cpus.length - 1));
    }
    if (!p.isAlive()) {
      throw new DeadProcessException("spawn", new Fiber(-1, name, p, cpus[cpu], daemon, self -> {}));
    }
    Fiber f = new Fiber(nextFiberId.getAndIncrement(), name, p, cpus[cpu], daemon, body);
    p.addFiber(f);
    fibers.add(f);
    if (!daemon) {
      live.incrementAndGet();
    }
    return f;
  }

  /** Every fiber ever spawned, in creation order. */
  public List<Fiber> fibers() {
    return fibers;
  }

  /**
   * Runs until every non-daemon fiber has returned, and returns the elapsed time (virtual
   * nanoseconds in the simulated engine, wall nanoseconds in the real one). A machine runs once.
   *
   * @throws DeadlockException when no progress is possible, listing the fibers that had not returned
   * @throws FiberFailedException when a fiber's body threw
   * @throws IllegalStateException when called a second time
   */
  public long run() {
    if (started) {
      throw new IllegalStateException("a machine runs once; create a new one for another run");
    }
    started = true;
    running = true;
    try {
      elapsedNs = engine.run();
    } finally {
      running = false;
    }
    Throwable t = failure.get();
    if (t instanceof FiberFailedException ffe) {
      throw ffe;
    }
    if (t != null) {
      throw new IllegalStateException("the machine failed: " + t, t);
    }
    return elapsedNs;
  }

  /** Elapsed time of the run (0 before it). */
  public long elapsedNs() {
    return elapsedNs;
  }

  void setElapsed(long ns) {
    elapsedNs = ns;
  }

  /**
   * An independent, reproducible random stream for {@code stream} (say, a client's index), derived
   * from the machine's seed. Workloads draw from these, never from a shared generator, so that the
   * simulated engine stays deterministic.
   */
  public SplittableRandom random(long stream) {
    return new SplittableRandom(mix(config.seed() * 0x9E3779B97F4A7C15L + stream));
  }

  /**
   * The cache line holding the tail of CPU {@code cpu}'s IPI queue, which every CPU that sends it an
   * IPI writes ({@link Fiber#chargeIpiSend}). One line per target CPU: the substrate's inbox is one
   * multi-producer queue per CPU (DESIGN.md, "Cpu").
   */
  IpiQueues ipiQueues() {
    return ipiQueues;
  }

  public SharedLine ipiQueueLine(int cpu) {
    return ipiQueueLines[cpu];
  }

  private final List<SharedLine> contentionPoints = new java.util.ArrayList<>();

  /** Called by a {@link SharedLine} the first time it moves between CPUs or makes a CPU wait (simulated engine). */
  void registerContentionPoint(SharedLine line) {
    contentionPoints.add(line);
  }

  /**
   * Every {@link SharedLine} (and {@link ContendedLock} word) of this machine that moved between CPUs
   * or made a CPU wait, in the order they first did, each with its transfers and waiting time: where
   * the simulated run's {@link Cost#CACHE_LINE_TRANSFER} and {@link Cost#CONTENTION_WAIT} went, by
   * name (issue 12: "contention points named in the report"). Empty on the real engine. Read it after
   * {@link #run()}.
   */
  public List<SharedLine> contentionPoints() {
    return java.util.Collections.unmodifiableList(contentionPoints);
  }

  /** The stream id of {@link #costRandom}, apart from any a workload uses (they count from 0). */
  private static final long COST_STREAM = -0x5EED_C057L;

  /**
   * {@code units} of {@code cost} drawn from the cost model with the machine's seeded cost stream
   * (simulated engine only: one driver thread draws, in event order, so the same seed replays the
   * same draws). Allocates nothing.
   */
  long drawCost(Cost cost, long units) {
    return config.costModel().sample(cost, units, costRandom);
  }

  /** The machine's cost stream, for the simulated engine's own draws (noise phases and gaps). */
  SplittableRandom costRandom() {
    return costRandom;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  // ------------------------------------------------------------------ trace digest (sim)

  void trace(long now, int cpu, int kind, int id) {
    if (!engine.isSimulated()) {
      return;
    }
    long h = digest;
    h = (h ^ now) * 0x100000001b3L;
    h = (h ^ ((long) cpu << 8 | kind)) * 0x100000001b3L;
    h = (h ^ id) * 0x100000001b3L;
    digest = h;
    traceEvents++;
  }

  /**
   * A digest of the scheduling trace (every dispatch, block, yield, hand-off, preemption, IPI and
   * exit, with its virtual time, CPU and fiber): two simulated runs with the same seed and
   * configuration give the same digest. Meaningless (constant) in the real engine.
   */
  public String traceDigest() {
    return String.format("%016x/%d", digest, traceEvents);
  }

  // ------------------------------------------------------------------ life cycle bookkeeping

  void fiberFinished(Fiber f) {
    if (f.isDaemon()) {
      return;
    }
    engine.fiberReturned();
    if (live.decrementAndGet() == 0) {
      engine.allDone();
    }
  }

  int liveFibers() {
    return live.get();
  }

  void fail(Fiber f, Throwable t) {
    Throwable wrapped = f == null ? t : new FiberFailedException(f, t);
    if (failure.compareAndSet(null, wrapped)) {
      engine.failed();
    }
  }

  Throwable failure() {
    return failure.get();
  }

  List<String> unfinishedFibers() {
    List<String> out = new ArrayList<>();
    for (Fiber f : fibers) {
      if (f.state != FiberState.DONE) {
        out.add(f.describe());
      }
    }
    return out;
  }
}
