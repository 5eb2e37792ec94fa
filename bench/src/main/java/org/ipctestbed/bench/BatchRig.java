package org.ipctestbed.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.IdlePolicy;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;

/**
 * A real-engine machine that runs in a background thread for a whole JMH trial, with one client fiber
 * that performs a batch of {@code batchSize} operations each time the benchmark thread {@link
 * #runBatch() triggers} it (issue 7, "Technique").
 *
 * <pre>
 *   benchmark thread                      carrier of the client's CPU
 *   ----------------                      ---------------------------
 *   triggered++ ; client.wake() --IPI-->  client: K x operation.run(self)
 *   wait until completed == triggered <-- completed++ ; unpark(benchmark thread)
 * </pre>
 *
 * <p>The trigger (an IPI from outside the machine) and the wake-up cost one round trip per batch and
 * are amortised over the batch: a benchmark method declares {@code @OperationsPerInvocation(K)}.
 *
 * <p>Deliberate difference from the sketch ("spins until it is done"): the benchmark thread
 * parks while a batch runs, and the client unparks it. On the shared 2-core development VM a
 * spinning benchmark thread is time-sliced by the host against the carriers it measures: measured
 * there, {@code Fiber.upcall} took 379 ns/op with a spinning waiter and 11 ns/op with a parked one
 * (same build, minutes apart). The unpark, tens of microseconds on a VM (research/anchors.md B.6),
 * is paid once per batch: a few ns per operation at most, an upper bound stated in the results.
 *
 * <p>Concurrency contract: {@link #start}, {@link #runBatch} and {@link #stop} are called by one
 * thread (the JMH benchmark thread, or a test). The operation runs only in the client fiber.
 */
public final class BatchRig {
  /** One operation of a batch, run by the client fiber; returns a {@link Status} code. */
  @FunctionalInterface
  public interface Operation {
    int run(Fiber self);
  }

  /**
   * Builds what the client needs (servers, connections, messages) on a machine before it runs, and
   * returns the client's operation. Called once, on the thread that creates the rig.
   */
  @FunctionalInterface
  public interface Setup {
    Operation install(Machine machine, Process clientProcess);
  }

  /** Longest a batch may take before the rig reports the mechanism as stuck. */
  static final long BATCH_TIMEOUT_NS = 60_000_000_000L;

  /** The watchdog and time limit of a rig's machine: it may sit idle between iterations for long. */
  static final long FOREVER_NS = 7L * 24 * 3600 * 1_000_000_000L;

  private final Machine machine;
  private final int batchSize;
  private final Fiber client;
  private final Thread runner;
  private final AtomicLongArray carrierIds;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private volatile long triggered;
  private volatile long completed;
  private volatile boolean stopping;
  private volatile Thread waiter;
  private volatile Throwable failure;

  // Written by the client fiber only; read after a batch has completed (ordered by 'completed').
  private long operations;
  private long errors;
  private int lastError = Status.OK;

  /**
   * A rig on a fresh real-engine machine of {@code cpus} CPUs (proportional share, the given idle
   * policy), whose client fiber runs on CPU {@code clientCpu}.
   */
  public static BatchRig create(int cpus, IdlePolicy idle, int clientCpu, int batchSize, Setup setup) {
    MachineConfig config =
        MachineConfig.builder()
            .cpus(cpus)
            .engine("real")
            .costModel("zero")
            .policy("proportional-share")
            .idlePolicy(idle)
            .watchdogNs(FOREVER_NS)
            .timeLimitNs(FOREVER_NS)
            .build();
    return new BatchRig(Machine.create(config), clientCpu, batchSize, setup);
  }

  private BatchRig(Machine machine, int clientCpu, int batchSize, Setup setup) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("a batch needs at least one operation, got " + batchSize);
    }
    this.machine = machine;
    this.batchSize = batchSize;
    Process clientProcess = machine.newProcess("bench-client");
    Operation op = setup.install(machine, clientProcess);
    // One probe fiber per CPU learns which carrier thread runs that CPU, then blocks for good: the
    // allocation on those threads is the allocation of every fiber's code, the hot path included.
    this.carrierIds = new AtomicLongArray(machine.cpuCount());
    Process probes = machine.newProcess("bench-carrier-probe");
    for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
      int slot = cpu;
      probes.spawnDaemon(
          "carrier-probe-" + cpu,
          cpu,
          self -> {
            carrierIds.set(slot, Thread.currentThread().threadId());
            while (true) {
              self.block("carrier probe: nothing to do");
            }
          });
    }
    this.client = clientProcess.spawn("bench-client", clientCpu, self -> clientLoop(self, op));
    this.runner = new Thread(this::runMachine, "bench-machine");
    this.runner.setDaemon(true);
  }

  private void clientLoop(Fiber self, Operation op) {
    long done = 0;
    while (true) {
      while (triggered == done && !stopping) {
        self.block("waiting for the benchmark's trigger");
      }
      if (stopping) {
        return;
      }
      for (int i = 0; i < batchSize; i++) {
        int status = op.run(self);
        if (status != Status.OK) {
          errors++;
          lastError = status;
        }
      }
      operations += batchSize;
      done++;
      completed = done;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  private void runMachine() {
    try {
      machine.run();
    } catch (Throwable t) {
      failure = t;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /**
   * Starts the machine's carriers in the background and waits until every CPU's carrier is known.
   *
   * @throws IllegalStateException if the machine failed or a carrier did not show up within 10 s
   */
  public BatchRig start() {
    runner.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int i = 0; i < carrierIds.length(); i++) {
      while (carrierIds.get(i) == 0) {
        if (failure != null) {
          throw new IllegalStateException("the benchmark machine failed: " + failure, failure);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("CPU " + i + " of the benchmark machine did not run its probe within 10 s");
        }
        LockSupport.parkNanos(100_000);
      }
    }
    return this;
  }

  /** The machine the rig runs (for the ledger after {@link #stop()}). */
  public Machine machine() {
    return machine;
  }

  public int batchSize() {
    return batchSize;
  }

  /**
   * Triggers one batch and waits until the client has performed it.
   *
   * @throws IllegalStateException if the machine failed, the batch took longer than {@value
   *     #BATCH_TIMEOUT_NS} ns (a stuck mechanism: the client's state is named), or an operation
   *     returned a status other than {@link Status#OK} (named), since a benchmark of failing calls
   *     measures nothing
   */
  public void runBatch() {
    waiter = Thread.currentThread();
    long target = triggered + 1;
    triggered = target;
    client.wake();
    long deadline = System.nanoTime() + BATCH_TIMEOUT_NS;
    while (completed != target) {
      if (failure != null) {
        throw new IllegalStateException("the benchmark machine failed: " + failure, failure);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "a batch of " + batchSize + " operations did not complete within " + BATCH_TIMEOUT_NS / 1_000_000_000L
                + " s; " + client.describe());
      }
      LockSupport.parkNanos(this, left);
    }
    if (errors != 0) {
      throw new IllegalStateException(
          errors + " operation(s) failed, the last with " + Status.name(lastError));
    }
  }

  /**
   * Bytes allocated so far by the carrier threads of the machine's CPUs (HotSpot's per-thread
   * allocation counter); the difference across a batch divided by its size is the hot path's
   * allocation per operation, free of the benchmark harness's own. Call from the benchmark thread.
   */
  public long carrierAllocatedBytes() {
    long sum = 0;
    for (int i = 0; i < carrierIds.length(); i++) {
      long id = carrierIds.get(i); // 0 while the CPU's probe has not run yet
      long bytes = id == 0 ? -1 : THREADS.getThreadAllocatedBytes(id);
      if (bytes > 0) {
        sum += bytes;
      }
    }
    return sum;
  }

  /** Operations performed so far; exact after {@link #runBatch()} or {@link #stop()} returned. */
  public long operations() {
    return operations;
  }

  /**
   * Stops the machine cleanly: the client returns at its next trigger check, the run ends (servers
   * are daemons) and the background thread is joined.
   *
   * @throws IllegalStateException if the machine does not stop within 30 s or failed
   */
  public void stop() {
    stopping = true;
    client.wake();
    try {
      runner.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the benchmark machine", e);
    }
    if (runner.isAlive()) {
      throw new IllegalStateException("the benchmark machine did not stop within 30 s");
    }
    if (failure != null) {
      throw new IllegalStateException("the benchmark machine failed: " + failure, failure);
    }
  }

  /** Whether the background thread has ended. */
  public boolean isStopped() {
    return !runner.isAlive();
  }
}
