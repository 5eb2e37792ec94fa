package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local, remote and asynchronous PPCs mixed on two CPUs: every call answered exactly once, every
 * accepted async message handled once (invariants 4, 10, 16 under real parallelism), and the
 * simulated engine replays bit for bit.
 */
class ConcurrencyTest {
  private static final int CALLS = 400;

  private static String mixedRun(String engine, int[] results, AtomicInteger invocations, AtomicInteger asyncHandled) {
    Machine m = Rig.machine(Rig.of(engine, 2).costModel("modern-x86"));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = k.process(m.newProcess("server"));
    server.createDispatcher(0); // VP 0 only: CPU 1 goes remote
    ObjectHandle oh = server.handle(server.export(XObject.builder("svc")
        .method((self, caller, in, out) -> {
          invocations.incrementAndGet();
          self.work(1_000);
          out.word(0, in.word(0) + 1);
          return Status.OK;
        })
        .method((self, caller, in, out) -> {
          asyncHandled.incrementAndGet();
          return Status.OK;
        })
        .build()));
    int clients = 3;
    for (int c = 0; c < clients; c++) {
      PpcProcess client = Rig.ppc(k, m.newProcess("client" + c), 0);
      client.createDispatcher(1);
      int me = c;
      for (int cpu = 0; cpu < 2; cpu++) {
        int slot = me * 2 + cpu;
        client.spawn("c" + me + "@" + cpu, cpu, t -> {
          IpcMessage in = Rig.msg().length(32);
          IpcMessage out = Rig.msg();
          int good = 0;
          int accepted = 0;
          for (int i = 0; i < CALLS; i++) {
            in.word(0, i);
            if (t.call(oh, 0, in, out) == Status.OK && out.word(0) == i + 1) {
              good++;
            }
            if (t.sendAsync(oh, 1, in) == Status.OK) {
              accepted++;
            }
          }
          results[slot] = good;
          results[6 + slot] = accepted;
          t.fiber().sleep(2_000_000); // let the handlers drain
        });
      }
    }
    m.run();
    return m.traceDigest() + " " + k.stats();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void mixedLocalRemoteAndAsyncTrafficLosesNothing(String engine) {
    int[] results = new int[12];
    AtomicInteger invocations = new AtomicInteger();
    AtomicInteger handled = new AtomicInteger();
    mixedRun(engine, results, invocations, handled);
    int accepted = 0;
    for (int i = 0; i < 6; i++) {
      assertEquals(CALLS, results[i], "client slot " + i + " got every reply");
      accepted += results[6 + i];
    }
    assertEquals(6 * CALLS, invocations.get(), "each call served exactly once");
    assertTrue(accepted > 0);
    assertEquals(accepted, handled.get(), "each accepted async message handled exactly once");
  }

  @Test
  void theSimulatedEngineReplaysBitForBit() {
    String a = mixedRun("sim", new int[12], new AtomicInteger(), new AtomicInteger());
    String b = mixedRun("sim", new int[12], new AtomicInteger(), new AtomicInteger());
    assertEquals(a, b);
  }
}
