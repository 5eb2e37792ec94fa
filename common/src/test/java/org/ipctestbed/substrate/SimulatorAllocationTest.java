package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The simulated engine allocates nothing per event once warm (issue 17): no event object, no boxed
 * key, no stale event piling up. Measured as the difference between two runs of the same machine
 * that differ only in how many round trips each client makes, so that building the machine and
 * starting its fibers cancel out; the driver runs every fiber, so its thread's allocation counter
 * sees all of it.
 */
class SimulatorAllocationTest {
  private static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final int CPUS = 4;

  /** On each CPU a client and a server of their own processes wake each other and block. */
  private static long bytesOfRun(int roundTrips, boolean handoff) {
    Machine m = Machine.create(Machines.sim(CPUS).policy("proportional-share").build());
    for (int cpu = 0; cpu < CPUS; cpu++) {
      long[] words = new long[2]; // request, response
      Fiber[] client = new Fiber[1];
      Fiber server =
          m.newProcess("server-" + cpu)
              .spawnDaemon(
                  "server-" + cpu,
                  cpu,
                  self -> {
                    while (true) {
                      while (words[0] == words[1]) {
                        self.block("waiting for a request");
                      }
                      words[1] = words[0];
                      if (handoff) {
                        self.handoff(client[0], true, "waiting for a hand-off");
                      } else {
                        client[0].wake();
                      }
                    }
                  });
      client[0] =
          m.newProcess("client-" + cpu)
              .spawn(
                  "client-" + cpu,
                  cpu,
                  self -> {
                    for (int i = 0; i < roundTrips; i++) {
                      self.charge(Cost.TRAP);
                      words[0]++;
                      if (handoff) {
                        self.handoff(server, true, "in call");
                      } else {
                        server.wake();
                        while (words[1] != words[0]) {
                          self.block("waiting for the reply");
                        }
                      }
                    }
                  });
    }
    long before = MX.getCurrentThreadAllocatedBytes();
    m.run();
    return MX.getCurrentThreadAllocatedBytes() - before;
  }

  private static double bytesPerRoundTrip(boolean handoff) {
    bytesOfRun(2_000, handoff); // warm up the JIT
    int extra = 20_000;
    double best = Double.MAX_VALUE;
    for (int attempt = 0; attempt < 3; attempt++) { // the least of three: a JIT recompilation is not the engine's
      long small = bytesOfRun(1_000, handoff);
      long large = bytesOfRun(1_000 + extra, handoff);
      best = Math.min(best, (double) (large - small) / (extra * CPUS));
    }
    return best;
  }

  @Test
  void aWakeBlockRoundTripAllocatesNothingInSteadyState() {
    double b = bytesPerRoundTrip(false);
    assertTrue(b < 1.0, "the simulated engine allocated " + b + " B per wake/block round trip");
  }

  @Test
  void aHandOffRoundTripAllocatesNothingInSteadyState() {
    double b = bytesPerRoundTrip(true);
    assertTrue(b < 1.0, "the simulated engine allocated " + b + " B per hand-off round trip");
  }
}
