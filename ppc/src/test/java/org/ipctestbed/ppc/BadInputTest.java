package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/**
 * Bad input: each error reaches the caller as its code and both processes keep running. K42's {@code
 * PPCServerOnThread} answers an XHandle index beyond the table, a method number beyond the object's
 * and a stale sequence number all with {@code EPERM}.
 */
class BadInputTest {
  @Test
  void unknownStaleBadMethodOversizedAndDeadTargetsEachGetTheirCodeAndEveryoneGoesOn() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    long good = server.export(Rig.echo());
    long revoked = server.export(Rig.echo());
    server.revoke(revoked);
    Process doomed = m.newProcess("doomed");
    PpcProcess dead = Rig.ppc(k, doomed, 0);
    ObjectHandle deadHandle = dead.handle(dead.export(Rig.echo()));
    doomed.kill();
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    int[] rc = new int[7];
    client.spawn("c", 0, t -> {
      IpcMessage out = Rig.msg();
      rc[0] = t.call(server.handle(XHandle.of(99, 0)), 0, Rig.msg(), out); // unknown handle
      rc[1] = t.call(server.handle(revoked), 0, Rig.msg(), out); // stale handle
      rc[2] = t.call(server.handle(good), 5, Rig.msg(), out); // bad method
      rc[3] = t.call(server.handle(good), 0, new IpcMessage(8192).length(8192), out); // oversized
      rc[4] = t.call(deadHandle, 0, Rig.msg(), out); // dead process
      rc[5] = t.call(ObjectHandle.of(4242, good), 0, Rig.msg(), out); // no such process
      rc[6] = t.call(server.handle(good), 0, Rig.msg().word(0, 1), out) == Status.OK && out.word(0) == 2 ? 1 : 0;
    });
    int[] otherClient = new int[1];
    PpcProcess other = Rig.ppc(k, m.newProcess("other"), 0);
    other.spawn("o", 0, t -> {
      t.fiber().sleep(10 * Rig.US);
      otherClient[0] = t.call(server.handle(good), 0, Rig.msg(), Rig.msg());
    });
    m.run();
    assertArrayEquals(
        new int[] {Status.EPERM, Status.EPERM, Status.EPERM, Status.ENOSPC, Status.ESRCH, Status.ESRCH, 1}, rc);
    assertEquals(Status.OK, otherClient[0], "the server keeps serving");
    assertTrue(server.process().isAlive());
    assertTrue(client.process().isAlive());
    assertTrue(k.page(0).isEmpty());
  }

  @Test
  void aReplyLargerThanTheCallersMessageIsEnospc() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh = server.handle(server.export(XObject.builder("big").method((self, caller, in, out) -> {
      out.length(1000);
      return Status.OK;
    }).build()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    int[] rc = new int[2];
    client.spawn("c", 0, t -> {
      rc[0] = t.call(oh, 0, Rig.msg(), new IpcMessage(16));
      rc[1] = t.call(oh, 0, Rig.msg(), Rig.msg());
    });
    m.run();
    assertEquals(Status.ENOSPC, rc[0]);
    assertEquals(Status.OK, rc[1]);
  }

  @Test
  void setUpErrorsNameTheProblem() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess p = Rig.ppc(k, m.newProcess("p"), 0);
    assertThrows(IllegalArgumentException.class, () -> p.createDispatcher(0), "one dispatcher per CPU");
    assertThrows(IllegalArgumentException.class, () -> p.createDispatcher(5), "no such CPU");
    assertThrows(IllegalArgumentException.class, () -> XObject.builder("empty").build());
    assertThrows(IllegalArgumentException.class, () -> new PpcConfig(2, 1, 183, 10, true));
    PpcProcess q = k.process(m.newProcess("q"));
    assertThrows(IllegalArgumentException.class, () -> q.spawn("x", 0, t -> {}), "no dispatcher on CPU 0");
  }
}
