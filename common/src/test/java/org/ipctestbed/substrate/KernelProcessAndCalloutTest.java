package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kernel processes load no address space; callouts run at interrupt level on their CPU at their time. */
class KernelProcessAndCalloutTest {
  /** A user thread asks a server thread ten times (wake, block): how many address-space switches? */
  private static long addressSpaceSwitchesForTenRequests(boolean kernelServer) {
    Machine m = Machine.create(Machines.sim(1).build());
    Process server = kernelServer ? m.newKernelProcess("kernel", 2, 1024) : m.newProcess("server");
    int[] served = new int[1];
    Fiber[] srv = new Fiber[1];
    Fiber[] usr = new Fiber[1];
    srv[0] = server.spawnDaemon("kthread", 0, self -> {
      while (true) {
        self.block("wait for a request");
        served[0]++;
        usr[0].wake();
      }
    });
    usr[0] = m.newProcess("user").spawn("user", 0, self -> {
      self.yieldCpu(); // let the server block first
      for (int i = 0; i < 10; i++) {
        srv[0].wake();
        self.block("wait for the answer");
      }
    });
    m.run();
    assertEquals(10, served[0]);
    assertTrue(m.processes().get(0).isKernel() == kernelServer);
    return m.ledger().costCount(Cost.ADDRESS_SPACE_SWITCH);
  }

  @Test
  void aSwitchToAKernelThreadAndBackChangesNoAddressSpace() {
    assertEquals(0, addressSpaceSwitchesForTenRequests(true));
  }

  @Test
  void aSwitchToAnotherUserProcessAndBackChangesTheAddressSpaceEachWay() {
    assertTrue(addressSpaceSwitchesForTenRequests(false) >= 20);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aCalloutRunsOnItsCpuNoEarlierThanItsDelayAndWakesAThread(String engine) {
    Machine m = Machine.create(Machines.of(engine, 2).build());
    long delay = engine.equals("sim") ? 25_000 : 2_000_000;
    long[] ranAt = new long[1];
    int[] ranOn = {-1};
    m.newProcess("p").spawn("t", 1, self -> {
      long t0 = self.now();
      self.cpu().callout(delay, cpu -> {
        ranOn[0] = cpu.index();
        ranAt[0] = self.now() - t0;
        self.wake();
      });
      self.block("waiting for the callout");
      assertThrows(IllegalArgumentException.class, () -> self.cpu().callout(-1, cpu -> {}));
      assertThrows(IllegalStateException.class, () -> m.cpu(0).callout(1, cpu -> {}), "armed from another CPU");
    });
    m.run();
    assertEquals(1, ranOn[0]);
    assertTrue(ranAt[0] >= delay, "ran after " + ranAt[0] + " ns");
    if (engine.equals("sim")) {
      assertEquals(delay, ranAt[0]);
    }
  }
}
