package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.junit.jupiter.api.Test;

/** research/k42.md section 6, "Async PPC": invariants 10–12. */
class AsyncInvariantsTest {
  /** A receiver in the background class, so that senders in class 4 are never preempted by it. */
  private static PpcProcess receiver(PpcKernel k, Machine m, int... cpus) {
    PpcProcess r = k.process(m.newProcess("receiver", 5, 1024));
    for (int c : cpus) {
      r.createDispatcher(c);
    }
    return r;
  }

  @Test
  void invariant10_aFullBufferGivesEbusyAtOnceAndStoresNothing() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess r = receiver(k, m, 0);
    List<Long> handled = new ArrayList<>();
    ObjectHandle oh = r.handle(r.export(XObject.builder("sink").method((self, caller, in, out) -> {
      handled.add((long) in.payload()[0]);
      return Status.OK;
    }).build()));
    PpcProcess s = Rig.ppc(k, m.newProcess("sender"), 0);
    int[] ok = new int[1];
    int[] busy = new int[1];
    long[] times = new long[2];
    s.spawn("s", 0, t -> {
      IpcMessage in = Rig.msg().length(48);
      times[0] = t.fiber().now();
      for (int i = 0; i < 25; i++) {
        in.payload()[0] = (byte) i;
        int rc = t.sendAsync(oh, 0, in);
        ok[0] += rc == Status.OK ? 1 : 0;
        busy[0] += rc == Status.EBUSY ? 1 : 0;
      }
      times[1] = t.fiber().now();
      t.fiber().sleep(5_000 * Rig.US); // keep the run going while the receiver drains
    });
    m.run();
    // 183 words hold 20 messages of 3 + 6 words.
    assertEquals(20, ok[0]);
    assertEquals(5, busy[0]);
    assertEquals(20, handled.size(), "nothing of a refused deposit was stored");
    assertEquals(19L, handled.get(19));
    assertEquals(times[0], times[1], "the sender never waited (zero-cost model: no time passed)");
  }

  @Test
  void invariant10_aPayloadOver48BytesGivesEmsgsize() {
    Machine m = Rig.machine(Rig.sim(2));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess r = receiver(k, m, 0);
    int[] handled = new int[1];
    ObjectHandle oh = r.handle(r.export(XObject.builder("sink").method((self, caller, in, out) -> {
      handled[0]++;
      return Status.OK;
    }).build()));
    PpcProcess s = Rig.ppc(k, m.newProcess("sender"), 0);
    s.createDispatcher(1);
    int[] rc = new int[4];
    s.spawn("local", 0, t -> {
      rc[0] = t.sendAsync(oh, 0, Rig.msg().length(48));
      rc[1] = t.sendAsync(oh, 0, Rig.msg().length(49));
      t.fiber().sleep(5_000 * Rig.US);
    });
    s.spawn("remote", 1, t -> {
      rc[2] = t.sendAsync(oh, 0, Rig.msg().length(48));
      rc[3] = t.sendAsync(oh, 0, Rig.msg().length(49));
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(Status.EMSGSIZE, rc[1]);
    assertEquals(Status.OK, rc[2]);
    assertEquals(Status.EMSGSIZE, rc[3]);
    assertEquals(2, handled[0]);
  }

  @Test
  void invariant11_aBurstOfDepositsMakesTheReceiverRunnableOnceAndTheSenderKeepsItsCpu() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess r = receiver(k, m);
    Dispatcher rd = r.createDispatcher(0);
    int[] handled = new int[1];
    ObjectHandle oh = r.handle(r.export(XObject.builder("sink").method((self, caller, in, out) -> {
      handled[0]++;
      return Status.OK;
    }).build()));
    PpcProcess s = Rig.ppc(k, m.newProcess("sender"), 0);
    int[] handledDuringBurst = {-1};
    boolean[] keptCpu = new boolean[1];
    long[] wakeupsBefore = new long[1];
    s.spawn("s", 0, t -> {
      wakeupsBefore[0] = rd.wakeups();
      long epoch = t.fiber().cpu().schedulingEpoch();
      for (int i = 0; i < 10; i++) {
        t.sendAsync(oh, 0, Rig.msg().length(8));
      }
      keptCpu[0] = t.fiber().cpu().schedulingEpoch() == epoch;
      handledDuringBurst[0] = handled[0];
      t.fiber().sleep(5_000 * Rig.US);
    });
    m.run();
    assertEquals(1, rd.wakeups() - wakeupsBefore[0], "one 0->1 transition for the whole burst");
    assertTrue(keptCpu[0], "no scheduler decision during the burst");
    assertEquals(0, handledDuringBurst[0], "the receiver did not run during the burst");
    assertEquals(10, handled[0]);
  }

  @Test
  void invariant12_eachBufferIsDequeuedFifoAndAtMostTenHandlersAreBusy() {
    Machine m = Rig.machine(Rig.sim(2));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess r = receiver(k, m, 0);
    Dispatcher rd = r.dispatcherOn(0);
    List<Long> order = new ArrayList<>();
    ObjectHandle oh = r.handle(r.export(XObject.builder("slow-sink").method((self, caller, in, out) -> {
      order.add(in.payload()[0] * 1000L + in.payload()[1]);
      self.sleep(100 * Rig.US); // handlers block: others take the next messages
      return Status.OK;
    }).build()));
    PpcProcess s = Rig.ppc(k, m.newProcess("sender"), 0);
    s.createDispatcher(1);
    s.spawn("local", 0, t -> {
      for (int i = 0; i < 15; i++) {
        IpcMessage in = Rig.msg().length(2);
        in.payload()[0] = 0;
        in.payload()[1] = (byte) i;
        t.sendAsync(oh, 0, in);
      }
      t.fiber().sleep(5_000 * Rig.US);
    });
    s.spawn("remote", 1, t -> {
      for (int i = 0; i < 5; i++) {
        IpcMessage in = Rig.msg().length(2);
        in.payload()[0] = 1;
        in.payload()[1] = (byte) i;
        t.sendAsync(oh, 0, in);
      }
    });
    m.run();
    assertEquals(20, order.size());
    long lastLocal = -1;
    long lastRemote = 999;
    for (long v : order) {
      if (v < 1000) {
        assertTrue(v > lastLocal, "local buffer FIFO: " + order);
        lastLocal = v;
      } else {
        assertTrue(v > lastRemote, "remote buffer FIFO: " + order);
        lastRemote = v;
      }
    }
    assertEquals(10, rd.maxBusyHandlers());
    assertTrue(rd.asyncHandlerThreads() <= 11, "10 busy plus one ready: " + rd.asyncHandlerThreads());
  }

  @Test
  void invariant12_invalidAsyncRequestsAreDroppedSilently() {
    Machine m = Rig.machine(Rig.sim(1));
    PpcKernel k = PpcKernel.install(m);
    PpcProcess r = receiver(k, m, 0);
    Dispatcher rd = r.dispatcherOn(0);
    long xh = r.export(XObject.builder("sink").method((self, caller, in, out) -> Status.OK).build());
    PpcProcess s = Rig.ppc(k, m.newProcess("sender"), 0);
    int[] rc = new int[3];
    s.spawn("s", 0, t -> {
      rc[0] = t.sendAsync(r.handle(xh), 7, Rig.msg()); // bad method
      rc[1] = t.sendAsync(r.handle(XHandle.of(XHandle.index(xh), XHandle.seq(xh) + 1)), 0, Rig.msg()); // stale
      rc[2] = t.sendAsync(r.handle(xh), 0, Rig.msg());
      t.fiber().sleep(5_000 * Rig.US);
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(Status.OK, rc[1]);
    assertEquals(Status.OK, rc[2]);
    assertEquals(2, rd.asyncDropped());
    assertEquals(1, rd.asyncHandled());
  }
}
