package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** research/k42.md section 6, "PPC page and limits" and "Preemption and scheduling": invariants 13–16. */
class PageAndRoutingInvariantsTest {
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant13_anArgumentOver4072BytesFailsWithEnospcBeforeAnyTrap(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh = server.handle(server.export(Rig.echo()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    int[] rc = new int[2];
    long[] trapsAfterRefusal = new long[1];
    client.spawn("c", 0, t -> {
      rc[0] = t.call(oh, 0, new IpcMessage(5000).length(4073), Rig.msg());
      trapsAfterRefusal[0] = m.ledger().costCount(Cost.TRAP);
      IpcMessage out = Rig.msg();
      rc[1] = t.call(oh, 0, Rig.msg().length(4072), out);
    });
    m.run();
    assertEquals(Status.ENOSPC, rc[0]);
    assertEquals(0, trapsAfterRefusal[0], "refused by the stub, no trap");
    assertEquals(Status.OK, rc[1], "4072 bytes fit");
    assertEquals(2, m.ledger().costCount(Cost.TRAP), "one trap each way for the call that went through");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant14_thePageIsEmptyOnceTheServerHasUnmarshalledSoTheMethodMayBlock(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    int[] dirty = new int[1];
    int[] served = new int[1];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("blocking").method((self, caller, in, out) -> {
          if (!k.page(0).isEmpty() || in.length() != 100) {
            dirty[0]++;
          }
          self.sleep(10 * Rig.US); // legal: the page is free
          out.copyFrom(in);
          served[0]++;
          return Status.OK;
        }).build()));
    int[] intact = new int[1];
    for (int i = 0; i < 3; i++) {
      byte mark = (byte) (i + 1);
      PpcProcess client = Rig.ppc(k, m.newProcess("client" + i), 0);
      client.spawn("c", 0, t -> {
        for (int j = 0; j < 5; j++) {
          IpcMessage in = Rig.msg().length(100);
          java.util.Arrays.fill(in.payload(), 0, 100, mark);
          IpcMessage out = Rig.msg();
          t.call(oh, 0, in, out);
          boolean ok = out.length() == 100;
          for (int b = 0; b < 100 && ok; b++) {
            ok = out.payload()[b] == mark;
          }
          intact[0] += ok ? 1 : 0;
        }
      });
    }
    m.run();
    assertEquals(15, served[0]);
    assertEquals(0, dirty[0]);
    assertEquals(15, intact[0], "interleaved blocking calls never saw each other's bytes");
    assertTrue(k.page(0).isEmpty());
  }

  @Test
  void invariant15_aHardPreemptedDispatcherRefusesUntilItRunsAgainAndASoftOneDoesNot() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = k.process(m.newProcess("server", 4, 1024));
    Dispatcher d = server.createDispatcher(0);
    ObjectHandle oh = server.handle(server.export(Rig.echo()));
    boolean[] disabledWhilePreempted = new boolean[1];
    server.spawn("busy", 0, t -> t.fiber().work(200 * Rig.US));
    PpcProcess client = Rig.ppc(k, m.newProcess("client", 3, 1024), 0);
    int[] rc = new int[1];
    client.spawn("c", 0, t -> {
      t.fiber().sleep(50 * Rig.US); // the wake of a higher class preempts hard
      disabledWhilePreempted[0] = d.isDisabled();
      rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg());
    });
    m.run();
    assertTrue(disabledWhilePreempted[0]);
    assertEquals(Status.OK, rc[0]);
    assertEquals(1, k.stats().refusals());
    assertTrue(!d.isDisabled(), "enabled again once re-dispatched");

    // Same class: the wake preempts softly at most, and the dispatcher keeps accepting calls.
    Machine m2 = Rig.machine(Rig.sim(1));
    PpcKernel k2 = PpcKernel.install(m2);
    PpcProcess server2 = Rig.ppc(k2, m2.newProcess("server", 4, 1024), 0);
    ObjectHandle oh2 = server2.handle(server2.export(Rig.echo()));
    server2.spawn("busy", 0, t -> t.fiber().work(200 * Rig.US));
    PpcProcess client2 = Rig.ppc(k2, m2.newProcess("client", 4, 1024), 0);
    client2.spawn("c", 0, t -> {
      t.fiber().sleep(50 * Rig.US);
      rc[0] = t.call(oh2, 0, Rig.msg(), Rig.msg());
    });
    m2.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(0, k2.stats().refusals());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant16_callsResolveOnTheCallersCpuFirstThenGoToVp0AndRepliesToTheExactVp(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 3));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = k.process(m.newProcess("server"));
    server.createDispatcher(0); // VP 0
    server.createDispatcher(2); // VP 1
    int[] servedOn = new int[3];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("where").method((self, caller, in, out) -> {
          servedOn[self.cpu().index()]++;
          out.word(0, caller);
          return Status.OK;
        }).build()));
    PpcProcess client = k.process(m.newProcess("client"));
    Dispatcher c0 = client.createDispatcher(0);
    Dispatcher c1 = client.createDispatcher(1);
    client.createDispatcher(2);
    long[] badge = new long[3];
    for (int cpu = 0; cpu < 3; cpu++) {
      int c = cpu;
      client.spawn("c" + cpu, cpu, t -> {
        IpcMessage out = Rig.msg();
        t.call(oh, 0, Rig.msg(), out);
        badge[c] = out.word(0);
      });
    }
    m.run();
    assertEquals(2, servedOn[0], "CPU 0 locally, and CPU 1 remotely at VP 0");
    assertEquals(0, servedOn[1]);
    assertEquals(1, servedOn[2], "CPU 2 locally at VP 1");
    assertEquals(1, k.stats().remoteCalls());
    assertEquals(c1.commId(), badge[1], "the remote call carries the caller's exact VP, and its reply came back there");
    assertEquals(c0.commId(), badge[0]);
  }
}
