package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated engine promises bit-identical runs for the same seed and configuration. */
class DeterminismTest {
  /**
   * A busy machine: on each of 4 CPUs, workers doing random amounts of work, sleeping, waking a
   * worker on the next CPU (IPIs) and yielding; a short quantum so that preemption happens too.
   */
  static Machine busyMachine(long seed) {
    Machine m = Machine.create(Machines.sim(4).seed(seed).defaultQuantumNs(100_000).build());
    int cpus = m.cpuCount();
    Fiber[] workers = new Fiber[cpus * 2];
    for (int i = 0; i < workers.length; i++) {
      int me = i;
      Process p = m.newProcess("p" + i, 3 + (i % 3), 1 + 500 * i);
      workers[i] =
          p.spawn(
              "w" + i,
              i % cpus,
              self -> {
                SplittableRandom r = m.random(me);
                for (int k = 0; k < 200; k++) {
                  self.work(r.nextLong(1, 20_000));
                  self.charge(Cost.QUEUE_OP);
                  Fiber other = workers[(me + 1 + r.nextInt(workers.length - 1)) % workers.length];
                  other.wake();
                  switch (r.nextInt(3)) {
                    case 0 -> self.sleep(r.nextLong(1, 5_000));
                    case 1 -> self.yieldCpu();
                    default -> {}
                  }
                }
              });
    }
    m.run();
    return m;
  }

  @Test
  void twoSimulatedRunsWithTheSameSeedGiveTheSameTraceDigest() {
    Machine a = busyMachine(7);
    Machine b = busyMachine(7);
    assertEquals(a.traceDigest(), b.traceDigest());
    assertEquals(a.elapsedNs(), b.elapsedNs());
    for (int i = 0; i < a.processes().size(); i++) {
      assertEquals(
          a.ledger().processNs(a.processes().get(i)), b.ledger().processNs(b.processes().get(i)));
    }
  }

  @Test
  void aDifferentSeedGivesADifferentTrace() {
    assertNotEquals(busyMachine(7).traceDigest(), busyMachine(8).traceDigest());
  }
}
