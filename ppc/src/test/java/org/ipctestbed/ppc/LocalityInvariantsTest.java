package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** research/k42.md section 6, "Locality and handoff": invariants 1–3. */
class LocalityInvariantsTest {
  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant01_theHandlerRunsOnTheCallersCpuAndNoIpiIsSent(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 2));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    server.createDispatcher(1);
    int[] wrongCpu = new int[1];
    int[] calls = new int[1];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("where").method((self, caller, in, out) -> {
          calls[0]++;
          if (self.cpu().index() != 1 || Fiber.current() != self || Fiber.current().cpu().index() != 1) {
            wrongCpu[0]++;
          }
          return Status.OK;
        }).build()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 1);
    client.spawn("c", 1, t -> {
      IpcMessage in = Rig.msg();
      IpcMessage out = Rig.msg();
      for (int i = 0; i < 500; i++) {
        t.call(oh, 0, in, out);
      }
    });
    m.run();
    assertEquals(500, calls[0]);
    assertEquals(0, wrongCpu[0]);
    assertEquals(0, m.ledger().costCount(Cost.IPI_SEND));
    assertEquals(0, k.stats().remoteCalls());
  }

  @Test
  void invariant02_callAndReturnAreOneSwitchEachWayWithNoSchedulerDecisionInBetween() {
    Machine m = Rig.machine(Rig.sim(1).costModel("modern-x86"));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    long[] epochInHandler = new long[1];
    Fiber[] inHandler = new Fiber[1];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("e").method((self, caller, in, out) -> {
          epochInHandler[0] = self.cpu().schedulingEpoch();
          inHandler[0] = self.cpu().currentFiber();
          self.work(2 * Rig.US);
          return Status.OK;
        }).build()));
    // A competitor that is runnable on the same CPU during the calls.
    Fiber competitor = m.newProcess("competitor").spawn("busy", 0, self -> {
      for (int i = 0; i < 50; i++) {
        self.work(20 * Rig.US);
      }
    });
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    int[] violations = new int[1];
    client.spawn("c", 0, t -> {
      IpcMessage in = Rig.msg();
      IpcMessage out = Rig.msg();
      for (int i = 0; i < 200; i++) {
        long before = t.fiber().cpu().schedulingEpoch();
        long competitorBefore = m.ledger().fiberNs(competitor);
        t.call(oh, 0, in, out);
        long after = t.fiber().cpu().schedulingEpoch();
        boolean sameEpoch = before == epochInHandler[0] && before == after;
        boolean serverRan = inHandler[0] != null && inHandler[0].process() == server.process();
        if (before == after && (!sameEpoch || !serverRan || m.ledger().fiberNs(competitor) != competitorBefore)) {
          violations[0]++;
        }
      }
    });
    m.run();
    assertEquals(0, violations[0], "a call whose epoch did not move had a scheduler decision or another thread in it");
    PpcStats s = k.stats();
    assertEquals(200, s.localCalls());
    assertEquals(s.localCalls(), s.fastReturns() + s.slowReturns());
    assertTrue(s.fastReturns() >= 150, "most calls return on the fast path: " + s);
  }

  @Test
  void invariant03_nOutstandingCallersGetNServerThreadsAndNoneWaits() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = k.process(m.newProcess("server"));
    Dispatcher d = server.createDispatcher(0);
    Set<Fiber> threads = new HashSet<>();
    int[] active = new int[2];
    long[] startDelay = new long[1];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
          threads.add(self);
          startDelay[0] = Math.max(startDelay[0], self.now() - in.word(0));
          active[0]++;
          active[1] = Math.max(active[1], active[0]);
          self.sleep(100 * Rig.US); // blocks inside the server
          active[0]--;
          return Status.OK;
        }).build()));
    int n = 6;
    int[] ok = new int[1];
    for (int i = 0; i < n; i++) {
      PpcProcess client = Rig.ppc(k, m.newProcess("client" + i), 0);
      client.spawn("c", 0, t -> {
        IpcMessage in = Rig.msg();
        in.word(0, t.fiber().now());
        if (t.call(oh, 0, in, Rig.msg()) == Status.OK) {
          ok[0]++;
        }
      });
    }
    m.run();
    assertEquals(n, ok[0]);
    assertEquals(n, threads.size(), "one server thread per outstanding call");
    assertEquals(n, active[1], "all calls were in service at once");
    assertEquals(0, startDelay[0], "an accepted call starts at once, behind no other");
    assertEquals(n, d.serverThreads());
    assertEquals(n, d.freeServerThreads(), "every thread is back on the free list");
  }

  @Test
  void invariant03_aCallBeyondTheThreadLimitGetsEnomem() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m, PpcConfig.DEFAULT.withMaxServerThreads(2));
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
          self.sleep(100 * Rig.US);
          return Status.OK;
        }).build()));
    int[] results = new int[3];
    for (int i = 0; i < 3; i++) {
      int me = i;
      PpcProcess client = Rig.ppc(k, m.newProcess("client" + i), 0);
      client.spawn("c", 0, t -> results[me] = t.call(oh, 0, Rig.msg(), Rig.msg()));
    }
    m.run();
    int enomem = 0;
    int okCount = 0;
    for (int r : results) {
      enomem += r == PpcStatus.ENOMEM ? 1 : 0;
      okCount += r == Status.OK ? 1 : 0;
    }
    assertEquals(1, enomem);
    assertEquals(2, okCount);
  }
}
