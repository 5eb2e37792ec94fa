package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.FiberState;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** research/k42.md section 6, "Reliability of delivery": invariants 4–6. */
class DeliveryInvariantsTest {
  private static XObject counting(int[] invocations) {
    return XObject.builder("count").method((self, caller, in, out) -> {
      invocations[0]++;
      out.word(0, in.word(0) * 2);
      return Status.OK;
    }).build();
  }

  @Test
  void invariant04_aCallToAHardPreemptedTargetIsRefusedParkedAndDeliveredExactlyOnce() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server", 4, 1024), 0);
    int[] invocations = new int[1];
    ObjectHandle oh = server.handle(server.export(counting(invocations)));
    long[] busyDone = new long[1];
    server.spawn("busy", 0, t -> {
      t.fiber().work(500 * Rig.US); // hard-preempted at 100 us by the higher class
      busyDone[0] = t.fiber().now();
    });
    PpcProcess client = Rig.ppc(k, m.newProcess("client", 3, 1024), 0);
    int[] seen = new int[4];
    long[] firstReply = new long[1];
    client.spawn("c", 0, t -> {
      t.fiber().sleep(100 * Rig.US);
      IpcMessage in = Rig.msg();
      IpcMessage out = Rig.msg();
      for (int i = 0; i < 3; i++) {
        in.word(0, i + 1);
        int rc = t.call(oh, 0, in, out);
        if (i == 0) {
          firstReply[0] = t.fiber().now();
        }
        seen[i] = rc == Status.OK && out.word(0) == 2L * (i + 1) ? 1 : rc;
      }
    });
    m.run();
    assertEquals(1, seen[0]);
    assertEquals(1, seen[1]);
    assertEquals(1, seen[2]);
    assertEquals(3, invocations[0], "each call delivered exactly once");
    PpcStats s = k.stats();
    assertTrue(s.refusals() >= 1, "the first call met a disabled target: " + s);
    assertEquals(s.refusals(), s.retries(), "every refusal was retried");
    assertTrue(firstReply[0] >= busyDone[0], "served only after the preempted dispatcher ran again");
  }

  @Test
  void invariant04_aCallToADispatcherWithoutEntryPointIsRetriedWhenTheEntryPointIsSet() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = k.process(m.newProcess("server"));
    Dispatcher d = server.createDispatcher(0, false);
    int[] invocations = new int[1];
    ObjectHandle oh = server.handle(server.export(counting(invocations)));
    server.spawn("init", 0, t -> {
      t.fiber().sleep(200 * Rig.US);
      d.setEntryPoint();
    });
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    int[] rc = new int[1];
    long[] when = new long[1];
    client.spawn("c", 0, t -> {
      rc[0] = t.call(oh, 0, Rig.msg().word(0, 21), Rig.msg());
      when[0] = t.fiber().now();
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(1, invocations[0]);
    assertEquals(1, k.stats().refusals());
    assertTrue(when[0] >= 200 * Rig.US);
  }

  @Test
  void invariant04_aReplyToADisabledCallerIsRefusedAndRetriedFromTheServerSide() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server", 3, 1024), 0);
    int[] invocations = new int[1];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
          invocations[0]++;
          self.sleep(50 * Rig.US); // the client's other thread runs meanwhile
          out.word(0, 99);
          return Status.OK;
        }).build()));
    PpcProcess client = Rig.ppc(k, m.newProcess("client"), 0);
    long[] got = new long[1];
    client.spawn("caller", 0, t -> {
      IpcMessage out = Rig.msg();
      t.call(oh, 0, Rig.msg(), out);
      got[0] = out.word(0);
    });
    // The server (a higher class) wakes up and preempts this worker hard, which disables the client's
    // dispatcher while the reply is due.
    client.spawn("worker", 0, t -> {
      t.fiber().sleep(1 * Rig.US); // start once the call is in service
      t.fiber().work(400 * Rig.US);
    });
    m.run();
    assertEquals(99, got[0]);
    assertEquals(1, invocations[0]);
    PpcStats s = k.stats();
    assertTrue(s.replyRefusals() >= 1, "the reply met a disabled caller: " + s);
  }

  @Test
  void invariant04_aFullRemoteMailboxIsRetriedAndNoCallIsLost() {
    Machine m = Rig.machine(Rig.sim(2));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = k.process(m.newProcess("server"));
    server.createDispatcher(0); // VP 0 only: clients on CPU 1 go remote
    int[] invocations = new int[1];
    ObjectHandle oh = server.handle(server.export(counting(invocations)));
    // A higher-class hog keeps CPU 0 so the mailbox is not emptied at once.
    m.newProcess("hog", 3, 1024).spawn("hog", 0, self -> self.work(200 * Rig.US));
    int n = 4;
    int[] ok = new int[1];
    for (int i = 0; i < n; i++) {
      long v = i + 1;
      PpcProcess client = Rig.ppc(k, m.newProcess("client" + i), 1);
      client.spawn("c", 1, t -> {
        IpcMessage out = Rig.msg();
        for (int j = 0; j < 5; j++) {
          if (t.call(oh, 0, Rig.msg().word(0, v), out) == Status.OK && out.word(0) == 2 * v) {
            ok[0]++;
          }
        }
      });
    }
    m.run();
    assertEquals(n * 5, ok[0]);
    assertEquals(n * 5, invocations[0]);
    PpcStats s = k.stats();
    assertTrue(s.remoteRefusals() >= 1, "the single slot was found full: " + s);
    assertEquals(n * 5, s.remoteCalls());
  }

  @Test
  void invariant05_aReplyFromAProcessOtherThanTheTargetIsDroppedAndTheThreadStaysBlocked() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("slow").method((self, caller, in, out) -> {
          self.sleep(100 * Rig.US);
          out.word(0, 42);
          return Status.OK;
        }).build()));
    PpcProcess client = k.process(m.newProcess("client"));
    Dispatcher cd = client.createDispatcher(0);
    PpcThread[] victim = new PpcThread[1];
    long[] got = new long[1];
    client.spawn("victim", 0, t -> {
      victim[0] = t;
      IpcMessage out = Rig.msg();
      t.call(oh, 0, Rig.msg(), out);
      got[0] = out.word(0);
    });
    PpcProcess forger = Rig.ppc(k, m.newProcess("forger"), 0);
    Object[] stateAtForgery = new Object[2];
    forger.spawn("f", 0, t -> {
      t.fiber().sleep(50 * Rig.US);
      t.ipcReturn(victim[0].commId(), victim[0].threadId(), Rig.msg().word(0, 666), Status.OK);
      stateAtForgery[0] = victim[0].fiber().state();
      stateAtForgery[1] = victim[0].awaitingReply();
    });
    m.run();
    assertEquals(42, got[0], "the genuine reply, not the forged one");
    assertEquals(1, cd.droppedReplies());
    assertEquals(FiberState.BLOCKED, stateAtForgery[0]);
    assertEquals(true, stateAtForgery[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void invariant06_theServerSeesTheKernelWrittenBadgeAndRightsFollowIt(String engine) {
    Machine m = Rig.machine(Rig.of(engine, 1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess server = Rig.ppc(k, m.newProcess("server"), 0);
    PpcProcess owner = k.process(m.newProcess("owner"));
    Dispatcher od = owner.createDispatcher(0);
    PpcProcess intruder = k.process(m.newProcess("intruder"));
    Dispatcher id = intruder.createDispatcher(0);
    int rightWrite = 1;
    long[] badges = new long[4];
    int[] invoked = new int[1];
    ObjectHandle oh =
        server.handle(server.export(XObject.builder("file")
            .method((self, caller, in, out) -> {
              invoked[0]++;
              return Status.OK;
            }, rightWrite)
            .method((self, caller, in, out) -> {
              badges[(int) in.word(1)] = caller;
              return Status.OK;
            })
            .owner(owner.pid(), rightWrite)
            .universal(XObject.NONE)
            .build()));
    int[] rc = new int[2];
    owner.spawn("o", 0, t -> {
      rc[0] = t.call(oh, 0, Rig.msg(), Rig.msg());
      t.call(oh, 1, Rig.msg().word(0, 0).word(1, 0), Rig.msg());
    });
    intruder.spawn("i", 0, t -> {
      // Puts the owner's CommID where a badge might be read from: it must not matter.
      IpcMessage forged = Rig.msg().word(0, od.commId()).word(1, 1);
      rc[1] = t.call(oh, 0, forged, Rig.msg());
      t.call(oh, 1, forged, Rig.msg());
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(Status.EPERM, rc[1]);
    assertEquals(1, invoked[0], "the refused call did not invoke the object");
    assertEquals(od.commId(), badges[0]);
    assertEquals(id.commId(), badges[1], "the intruder's own CommID, whatever it passed");
  }
}
