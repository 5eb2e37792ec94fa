package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server killed while it serves a call answers its caller with {@code ESRCH} (k42.md 1.6 step 6):
 * on the upcall path the substrate unwinds the dead server from the caller's stack; on the hand-off
 * and remote paths the process's exit path ({@code Process.onKill}) answers every call it held.
 */
class KillDuringServiceTest {
  @ParameterizedTest
  @CsvSource({"true,0", "false,0", "true,1", "false,1"})
  void aServerKilledDuringServiceAnswersItsCallerWithEsrch(boolean upcall, int clientCpu) {
    Machine m = Rig.machine(Rig.sim(2));
    PpcKernel k = PpcKernel.install(m, PpcConfig.DEFAULT.withUpcall(upcall));
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
      self.sleep(100 * Rig.US);
      return Status.OK;
    }).build()));
    int[] rc = {-1};
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), clientCpu);
    int[] after = {-1};
    client.spawn("c", clientCpu, t -> {
      rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg());
      after[0] = t.call(oh, 0, Rig.msg(), Rig.msg());
    });
    m.newProcess("killer").spawn("k", 0, self -> {
      self.sleep(50 * Rig.US);
      sp.kill();
    });
    m.run();
    assertEquals(Status.ESRCH, rc[0]);
    assertEquals(Status.ESRCH, after[0]);
    assertTrue(k.page(0).isEmpty() && k.page(1).isEmpty());
  }
}
