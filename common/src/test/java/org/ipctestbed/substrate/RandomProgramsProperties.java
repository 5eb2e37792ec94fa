package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the substrate over random programs of its primitives (work, charge, yield, sleep,
 * wake of any fiber, critical sections) on random machine shapes, in the simulated engine: every run
 * ends, the ledger accounts every CPU nanosecond exactly once, and a replay is identical.
 */
class RandomProgramsProperties {
  private static Machine runProgram(List<Integer> program, int cpus, int fibersPerCpu, String policy) {
    Machine m =
        Machine.create(Machines.sim(cpus).policy(policy).defaultQuantumNs(100_000).preemptGraceNs(20_000).build());
    int n = cpus * fibersPerCpu;
    Fiber[] fs = new Fiber[n];
    for (int i = 0; i < n; i++) {
      int me = i;
      Process p = m.newProcess("p" + i, 3 + i % 3, 1 + (300 * i) % 4096);
      fs[i] = p.spawn("f" + i, i % cpus, self -> {
        for (int k = me; k < program.size(); k += n) {
          int op = program.get(k);
          switch (op % 7) {
            case 0 -> self.work(op * 37L);
            case 1 -> self.charge(Cost.values()[op % Cost.values().length], 1 + op % 3);
            case 2 -> self.yieldCpu();
            case 3 -> self.sleep(op * 11L);
            case 4 -> fs[op % n].wake();
            case 5 -> {
              self.critEnter();
              self.work(op * 13L);
              self.critExit();
            }
            default -> self.safePoint();
          }
        }
      });
    }
    m.run();
    return m;
  }

  @Property(tries = 60)
  void everyRandomProgramEndsWithAnExactLedgerAndReplaysIdentically(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 5000) Integer> program,
      @ForAll @IntRange(min = 1, max = 6) int cpus,
      @ForAll @IntRange(min = 1, max = 3) int fibersPerCpu,
      @ForAll boolean roundRobin) {
    String policy = roundRobin ? "fixed-priority-rr" : "proportional-share";
    Machine a = runProgram(program, cpus, fibersPerCpu, policy);
    assertEquals(0, a.ledger().identityError(), String.join("\n", a.ledger().summaryLines()));
    Machine b = runProgram(program, cpus, fibersPerCpu, policy);
    assertEquals(a.traceDigest(), b.traceDigest());
    for (Fiber f : a.fibers()) {
      assertEquals(FiberState.DONE, f.state(), f.describe());
    }
  }
}
