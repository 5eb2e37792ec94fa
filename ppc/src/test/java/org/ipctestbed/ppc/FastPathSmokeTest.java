package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;

class FastPathSmokeTest {
  @Test
  void aLocalCallReturnsTheServersReply() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh = server.handle(server.export(Rig.echo()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    long[] got = new long[3];
    client.spawn("c", 0, t -> {
      IpcMessage in = Rig.msg();
      IpcMessage out = Rig.msg();
      for (int i = 0; i < 100; i++) {
        in.word(0, i).length(3);
        in.payload()[0] = (byte) i;
        int rc = t.call(oh, 0, in, out);
        if (rc == Status.OK && out.word(0) == i + 1 && out.payload()[0] == (byte) i && out.length() == 3) {
          got[0]++;
        }
      }
    });
    m.run();
    assertEquals(100, got[0]);
  }
}
