package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** Nested calls and the 8-entry borrow chain (research/k42.md 3.2). */
class NestedCallsTest {
  private static XObject level(PpcProcess pp, ObjectHandle callee) {
    IpcMessage down = new IpcMessage(PpcPage.LENGTH_MAX);
    return XObject.builder("level").method((self, caller, in, out) -> {
      if (callee == null) {
        self.work(1 * Rig.US);
        out.word(0, 1);
        return Status.OK;
      }
      int rc = pp.attach(self).call(callee, 0, in, down);
      out.word(0, down.word(0) + 1);
      return rc;
    }).build();
  }

  private static ObjectHandle servers(PpcKernel k, Machine m, int depth, Process[] procs) {
    ObjectHandle next = null;
    for (int i = depth - 1; i >= 0; i--) {
      procs[i] = m.newProcess("s" + i);
      PpcProcess pp = Rig.ppc(k, procs[i], 0);
      next = pp.handle(pp.export(level(pp, next)));
    }
    return next;
  }

  @Test
  void nestedCallsReturnOnTheFastPathAndTheCallerPaysForTheWholeChain() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    Process[] procs = new Process[3];
    ObjectHandle top = servers(k, m, 3, procs);
    Process cp = m.newProcess("client");
    PpcProcess client = Rig.ppc(k, cp, 0);
    long[] depth = new long[1];
    client.spawn("c", 0, t -> {
      IpcMessage out = Rig.msg();
      for (int i = 0; i < 10; i++) {
        t.call(top, 0, Rig.msg(), out);
      }
      depth[0] = out.word(0);
    });
    m.run();
    assertEquals(3, depth[0]);
    assertEquals(30, k.stats().fastReturns());
    assertEquals(0, k.stats().slowReturns());
    assertEquals(10 * Rig.US, m.ledger().processNs(cp, Category.USER));
    for (Process p : procs) {
      assertEquals(0, m.ledger().processNs(p), "borrowed all along the chain: " + p);
    }
  }

  @Test
  void nestingDeeperThanSevenWrapsTheRingAndTheOuterReturnsTakeTheSlowPath() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    int depth = 9;
    Process[] procs = new Process[depth];
    ObjectHandle top = servers(k, m, depth, procs);
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    long[] got = new long[1];
    int[] rc = new int[1];
    client.spawn("c", 0, t -> {
      IpcMessage out = Rig.msg();
      rc[0] = t.call(top, 0, Rig.msg(), out);
      got[0] = out.word(0);
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(depth, got[0], "still correct");
    PpcStats s = k.stats();
    assertEquals(depth, s.fastReturns() + s.slowReturns());
    assertTrue(s.slowReturns() >= 1, "the wrapped entries force slow returns: " + s);
    assertEquals(depth - BorrowChain.SIZE + 1, s.slowReturns(), s.toString());
  }
}
