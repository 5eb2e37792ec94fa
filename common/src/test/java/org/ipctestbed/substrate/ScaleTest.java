package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simulated engine runs machines far larger than the host. */
class ScaleTest {
  @Test
  void a256CpuSimulatedRunCompletesWithAnExactLedger() {
    int n = 256;
    Machine m = Machine.create(Machines.sim(n).build());
    Fiber[] ring = new Fiber[n];
    int[] token = new int[n];
    int laps = 4;
    for (int i = 0; i < n; i++) {
      int me = i;
      Process p = m.newProcess("p" + i);
      ring[i] = p.spawn("ring" + i, i, self -> {
        for (int lap = 0; lap < laps; lap++) {
          if (me != 0 || lap > 0) {
            while (token[me] == 0) {
              self.block("waiting for the token");
            }
          }
          token[me] = 0;
          self.work(1_000);
          token[(me + 1) % n] = 1;
          ring[(me + 1) % n].wake();
        }
      });
      p.spawn("background" + i, i, self -> {
        for (int k = 0; k < 20; k++) {
          self.work(5_000);
          self.charge(Cost.ATOMIC);
        }
      });
    }
    long elapsed = m.run();
    assertTrue(elapsed >= (long) n * laps * 1_000);
    assertEquals(0, m.ledger().identityError());
    for (int i = 0; i < n; i++) {
      assertEquals(laps * 1_000L + 20 * 5_000L, m.ledger().processNs(m.processes().get(i), Category.USER));
    }
  }
}
