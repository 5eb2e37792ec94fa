package org.ipctestbed.bench;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;

/**
 * How fast the simulated engine simulates (issue 7, "Simulator speed"): a simulated machine of N
 * CPUs on which every CPU carries one client doing R synchronous round trips with a server on the
 * same CPU, so that the simulated work grows linearly with N and the wall time per round trip
 * should not grow with N.
 *
 * <p>Mechanism {@value #SUBSTRATE}: the client charges a {@link Cost#TRAP}, wakes its server and
 * blocks; the server wakes the client and blocks (two scheduler dispatches per round trip, each paid
 * by the engine as {@code SCHED_DECISION + THREAD_SWITCH}). Mechanism {@value #SUBSTRATE_HANDOFF}:
 * the client charges a {@link Cost#TRAP} and hands the CPU to its server keeping the account, the
 * server hands it back (no scheduler decision: the fewest events a synchronous round trip can cost
 * the engine, an upper bound on its speed). Any other name: the provider's
 * synchronous null call, the service exported on every CPU so that each client is served locally.
 * The cost model is {@code modern-x86}, so virtual time advances and the event queue orders CPUs.
 *
 * <p>The CPUs start out of phase: before its first round trip the client on CPU {@code k} works
 * {@link #startOffsetNs(int)} ns (under 1 µs, a fixed function of {@code k}), as the CPUs of any real
 * experiment are. Started together, every CPU of a deterministic model takes the same step at the
 * same virtual instant for the whole run, and the host predicts that lock-step stream of identical
 * events far better than any real one: it ran 23% faster (PPC, 256 CPUs, 632 k against 513 k round
 * trips per second) and made variability (issue 12), which dissolves the lock-step, look 30% dearer
 * than it is (the same variable run against the staggered deterministic one: 4%).
 *
 * <p>{@link #prepare} builds the machine (not timed); {@link Prepared#execute()} runs it and
 * returns the number of round trips completed, which a caller checks against {@code N * R}.
 */
public final class SimSpeedDriver {
  /** The mechanism name that means the substrate's own wake/block pair. */
  public static final String SUBSTRATE = "substrate";

  /** The mechanism name that means the substrate's hand-off pair (K42's borrowed domain). */
  public static final String SUBSTRATE_HANDOFF = "substrate-handoff";

  private SimSpeedDriver() {}

  /**
   * The work, in virtual ns, the client on CPU {@code cpu} does before its first round trip: a
   * deterministic scatter in {@code [0, 997)} (multiplicative hashing by a prime), 0 on CPU 0.
   */
  public static long startOffsetNs(int cpu) {
    return cpu * 7919L % 997;
  }

  /** A built, not yet run, simulated machine. */
  public static final class Prepared {
    private final Machine machine;
    private final long[] completed;
    private final long expected;

    Prepared(Machine machine, long[] completed, long expected) {
      this.machine = machine;
      this.completed = completed;
      this.expected = expected;
    }

    /** Round trips the run should complete ({@code cpus * roundTripsPerCpu}). */
    public long expected() {
      return expected;
    }

    public Machine machine() {
      return machine;
    }

    /** Runs the machine; returns the round trips completed with status {@link Status#OK}. */
    public long execute() {
      machine.run();
      long sum = 0;
      for (long c : completed) {
        sum += c;
      }
      return sum;
    }
  }

  /**
   * A simulated machine of {@code cpus} CPUs, each with a client doing {@code roundTripsPerCpu}
   * round trips through {@code mechanism} ({@value #SUBSTRATE} or a provider's name).
   *
   * @throws IllegalArgumentException for an unknown mechanism (naming the available ones) or bad counts
   */
  public static Prepared prepare(String mechanism, int cpus, int roundTripsPerCpu) {
    return prepare(mechanism, cpus, roundTripsPerCpu, true);
  }

  /** As {@link #prepare(String, int, int)}, with every cost at its mean or drawn from its distribution. */
  public static Prepared prepare(String mechanism, int cpus, int roundTripsPerCpu, boolean deterministic) {
    if (roundTripsPerCpu < 1) {
      throw new IllegalArgumentException("round trips per CPU must be >= 1, got " + roundTripsPerCpu);
    }
    Machine m =
        Machine.create(
            MachineConfig.builder().cpus(cpus).engine("sim").costModel("modern-x86").deterministic(deterministic)
                .policy("proportional-share").seed(7).build());
    long[] completed = new long[cpus];
    if (SUBSTRATE.equals(mechanism)) {
      for (int cpu = 0; cpu < cpus; cpu++) {
        wakeBlockPair(m, cpu, roundTripsPerCpu, completed);
      }
    } else if (SUBSTRATE_HANDOFF.equals(mechanism)) {
      for (int cpu = 0; cpu < cpus; cpu++) {
        handoffPair(m, cpu, roundTripsPerCpu, completed);
      }
    } else {
      IpcSystem system = IpcProvider.named(mechanism).install(m);
      int[] all = new int[cpus];
      for (int i = 0; i < cpus; i++) {
        all[i] = i;
      }
      Service service =
          system.export(m.newProcess("sim-server"), new ServiceSpec("sim-speed", all, 0), (self, rq, rp) -> Status.OK);
      Process clients = m.newProcess("sim-clients");
      for (int cpu = 0; cpu < cpus; cpu++) {
        Connection conn = system.connect(clients, cpu, service);
        int slot = cpu;
        IpcMessage request = new IpcMessage(0);
        IpcMessage reply = new IpcMessage(0);
        clients.spawn(
            "client-" + cpu,
            cpu,
            self -> {
              self.work(startOffsetNs(slot));
              for (int i = 0; i < roundTripsPerCpu; i++) {
                if (conn.call(self, request, reply) == Status.OK) {
                  completed[slot]++;
                }
              }
            });
      }
    }
    return new Prepared(m, completed, (long) cpus * roundTripsPerCpu);
  }

  private static final class Pair {
    long request;
    long response;
    Fiber client;
    Fiber server;
  }

  /** One side of a pair's protocol. */
  @FunctionalInterface
  private interface Side {
    void run(Fiber self, Pair p);
  }

  /** Server wakes the client and blocks; the client wakes the server and blocks. */
  private static void wakeBlockPair(Machine m, int cpu, int roundTrips, long[] completed) {
    pair(m, cpu, roundTrips, completed,
        (self, p) -> {
          long served = 0;
          while (true) {
            while (p.request == served) {
              self.block("waiting for a request");
            }
            served = p.request;
            p.response = served;
            p.client.wake();
          }
        },
        (self, p) -> {
          p.server.wake();
          while (p.response != p.request) {
            self.block("waiting for the reply");
          }
        });
  }

  /** Client and server hand the CPU to each other keeping the account. */
  private static void handoffPair(Machine m, int cpu, int roundTrips, long[] completed) {
    pair(m, cpu, roundTrips, completed,
        (self, p) -> {
          while (p.client == null || p.request == p.response) {
            self.block("waiting for the first hand-off");
          }
          while (true) {
            p.response = p.request;
            self.handoff(p.client, true, "waiting for a hand-off");
          }
        },
        (self, p) -> self.handoff(p.server, true, "in call (hand-off)"));
  }

  /**
   * A server (daemon) and a client of their own processes on {@code cpu}; each of the client's round
   * trips charges a {@link Cost#TRAP}, posts a request and runs {@code awaitReply}.
   */
  private static void pair(Machine m, int cpu, int roundTrips, long[] completed, Side server, Side awaitReply) {
    Pair p = new Pair();
    p.server = m.newProcess("server-" + cpu).spawnDaemon("server-" + cpu, cpu, self -> server.run(self, p));
    p.client =
        m.newProcess("client-" + cpu)
            .spawn(
                "client-" + cpu,
                cpu,
                self -> {
                  self.work(startOffsetNs(cpu));
                  for (int i = 0; i < roundTrips; i++) {
                    self.charge(Cost.TRAP);
                    long r = ++p.request;
                    awaitReply.run(self, p);
                    if (p.response == r) {
                      completed[cpu]++;
                    }
                  }
                });
  }
}
