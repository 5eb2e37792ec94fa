package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void simAndRealRunPingPong() {
    for (String engine : new String[] {"sim", "real"}) {
      Machine m = Machine.create(MachineConfig.builder().cpus(2).engine(engine).build());
      Process p = m.newProcess("p");
      int[] count = new int[1];
      Fiber[] fs = new Fiber[2];
      boolean[] turn = new boolean[1];
      fs[1] = p.spawnDaemon("pong", 1, self -> {
        while (true) {
          while (!turn[0]) self.block("ping");
          turn[0] = false;
          count[0]++;
          self.work(1000);
          fs[0].wake();
        }
      });
      fs[0] = p.spawn("ping", 0, self -> {
        for (int i = 0; i < 100; i++) {
          turn[0] = true;
          fs[1].wake();
          self.block("pong");
        }
      });
      long el = m.run();
      System.out.println(engine + " elapsed " + el + " " + m.traceDigest());
      m.ledger().summaryLines().forEach(System.out::println);
      assertEquals(0, m.ledger().identityError());
    }
  }
}
