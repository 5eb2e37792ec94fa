package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The local fast path in its two forms, the server thread on the caller's stack (upcall, the default)
 * and on its own stack (hand-off): the same replies, the same fast returns, the caller pays.
 */
class FastPathModesTest {
  @ParameterizedTest
  @CsvSource({"sim,true", "sim,false", "real,true", "real,false"})
  void bothFormsOfTheFastPathReplyCorrectlyAndBorrowTheCallersAccount(String engine, boolean upcall) {
    Machine m = Rig.machine(Rig.of(engine, 1).defaultQuantumNs(40_000_000L));
    PpcKernel k = PpcKernel.install(m, PpcConfig.DEFAULT.withUpcall(upcall));
    Process sp = m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(Rig.echo()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    int calls = 100_000;
    long[] got = new long[2];
    client.spawn("c", 0, t -> {
      IpcMessage in = Rig.msg();
      IpcMessage out = Rig.msg();
      long t0 = 0;
      for (int i = 0; i < calls; i++) {
        if (i == calls / 2) {
          t0 = System.nanoTime(); // time the second half, after the JIT has warmed up
        }
        in.word(0, i).length(3);
        in.payload()[0] = (byte) i;
        int rc = t.call(oh, 0, in, out);
        if (rc == Status.OK && out.word(0) == i + 1 && out.payload()[0] == (byte) i && out.length() == 3) {
          got[0]++;
        }
      }
      got[1] = System.nanoTime() - t0;
    });
    m.run();
    assertEquals(calls, got[0]);
    PpcStats s = k.stats();
    assertEquals(calls, s.upcalls() + s.handoffCalls());
    // With upcalls on, only a server thread that had not run yet when the first call came is handed to.
    assertEquals(upcall ? 0 : calls, upcall ? Math.max(0, s.handoffCalls() - 1) : s.handoffCalls());
    assertTrue(s.fastReturns() >= calls - 1, s.toString()); // real engine: a quantum expiry may hit one call
    assertEquals(calls, s.fastReturns() + s.slowReturns());
    assertEquals(0, m.ledger().processNs(sp, Category.USER));
    if (engine.equals("real")) {
      // A figure for the log, not an assertion.
      System.out.printf("real engine, %s fast path: %.0f ns per call%n", upcall ? "upcall" : "hand-off", got[1] / (double) (calls - calls / 2));
    }
  }
}
