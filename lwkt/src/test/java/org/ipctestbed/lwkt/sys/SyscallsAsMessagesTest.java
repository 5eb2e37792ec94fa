package org.ipctestbed.lwkt.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** research/lwkt.md section 5: read()/write()/getpid() built as messages to the kernel's syscall port. */
class SyscallsAsMessagesTest {
  private static final int ZERO = 0;
  private static final int DISK = 3;
  private static final long DISK_NS = 100_000;

  private static Machine sim() {
    return Machine.create(MachineConfig.builder().cpus(2).engine("sim").costModel("modern-x86")
        .policy("fixed-priority-rr").seed(3).build());
  }

  private static LwktKernel kernel(Machine m) {
    LwktKernel k = new LwktKernel(m);
    KernelFile zero = new KernelFile("/dev/zero-ish", 4096, true, 0);
    Arrays.fill(zero.data(), (byte) 7);
    k.install(ZERO, zero);
    KernelFile disk = new KernelFile("/data/file", 4096, false, DISK_NS);
    Arrays.fill(disk.data(), (byte) 9);
    k.install(DISK, disk);
    return k;
  }

  @Test
  void getpidIsCompletedInTheCallersContextWithoutAThreadSwitch() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    Process user = m.newProcess("user");
    user.spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      long epoch = self.cpu().schedulingEpoch();
      assertEquals(user.pid(), libc.getpid());
      assertEquals(epoch, self.cpu().schedulingEpoch(), "no scheduling event: the synchronous fast path");
    });
    m.run();
    assertEquals(1, k.syncCalls());
    assertEquals(0, k.asyncCalls());
    assertEquals(1, m.ledger().costCount(Cost.TRAP));
  }

  @Test
  void aCachedReadCompletesSynchronouslyAndAnUncachedOneIsQueuedToTheKernelThread() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    Process user = m.newProcess("user");
    user.spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      byte[] buf = new byte[512];
      long t0 = self.now();
      assertEquals(512, libc.read(ZERO, buf, 512));
      assertTrue(self.now() - t0 < 1_000, "a memory copy, no device");
      assertEquals(7, buf[511]);
      t0 = self.now();
      assertEquals(512, libc.read(DISK, buf, 512));
      assertTrue(self.now() - t0 >= DISK_NS, "waited for the device through the kernel thread");
      assertEquals(9, buf[0]);
      byte[] out = new byte[16];
      Arrays.fill(out, (byte) 1);
      assertEquals(16, libc.write(DISK, out, 16));
    });
    m.run();
    assertEquals(1, k.syncCalls());
    assertEquals(2, k.asyncCalls());
    assertTrue(m.ledger().processNs(k.process(), Category.MECHANISM) >= Math.round(512 * 0.1 + 16 * 0.1),
        "the kernel thread's copies are charged to the kernel process");
  }

  @Test
  void badDescriptorsAndUnknownCallsReturnErrnoValues() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      assertEquals(-LwktKernel.EBADF, libc.read(42, new byte[8], 8));
      assertEquals(-LwktKernel.EINVAL, libc.read(ZERO, new byte[8], 9));
      SysMsg bogus = new SysMsg();
      bogus.cmd = SysMsg.MSG_CMD_SYSCALL | 999;
      Lwkt.initmsg(bogus, libc.replyPort(), 0);
      assertEquals(LwktKernel.ENOSYS, Lwkt.domsg(self, k.syscallPort(), bogus, 0));
    });
    m.run();
  }

  @Test
  void severalAsynchronousSyscallsAreCollectedOnTheCallersReplyPortWhileItWorks() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    long[] elapsed = new long[1];
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      SysMsg[] msgs = new SysMsg[3];
      byte[][] bufs = new byte[3][64];
      long t0 = self.now();
      for (int i = 0; i < msgs.length; i++) {
        msgs[i] = new SysMsg().read(DISK, bufs[i], 64);
        assertEquals(Lwkt.EASYNC, libc.sendsys(msgs[i]));
      }
      SysMsg pid = new SysMsg().getpid();
      assertEquals(0, libc.sendsys(pid), "completed synchronously, still queued on the reply port");
      self.work(3 * DISK_NS); // user work overlapping the kernel's I/O
      assertSame(pid, libc.pollsys(), "the synchronous completion was queued first");
      for (int i = 0; i < msgs.length; i++) {
        SysMsg done = libc.waitsys();
        assertSame(msgs[i], done, "completions in order of the kernel thread's FIFO");
        assertEquals(64, done.result);
      }
      assertEquals(0, libc.inFlight());
      elapsed[0] = self.now() - t0;
      for (byte[] b : bufs) {
        assertArrayEquals(filled(64, 9), b);
      }
    });
    m.run();
    assertTrue(elapsed[0] < 3 * DISK_NS + 3 * DISK_NS, "the I/O overlapped the user's work: " + elapsed[0]);
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @Test
  void invariant15_syncSyscallWorkIsChargedToTheCallerAndKernelThreadWorkToTheKernel() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    Process user = m.newProcess("user");
    user.spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      byte[] buf = new byte[4000];
      for (int i = 0; i < 10; i++) {
        libc.read(ZERO, buf, 4000);
      }
    });
    m.run();
    long copyNs = 10 * Math.round(4000 * 0.1);
    assertTrue(m.ledger().processNs(user, Category.MECHANISM) >= copyNs, "the copies ran in the caller's context");
    // The kernel threads only started and went to sleep in waitport (one dispatch each).
    assertTrue(m.ledger().processNs(k.process()) < copyNs / 10, "the kernel threads never ran a cached read");
  }

  @Test
  void aCachedReadAsAMessageCostsTheSameVirtualTimeAsTheDirectSystemCall() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    long[] ns = new long[2];
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      byte[] buf = new byte[1000];
      long t0 = self.now();
      assertEquals(1000, libc.read(ZERO, buf, 1000));
      ns[0] = self.now() - t0;
      t0 = self.now();
      assertEquals(1000, libc.readDirect(ZERO, buf, 1000));
      ns[1] = self.now() - t0;
      assertEquals(libc.getpid(), libc.getpidDirect());
      assertEquals(-LwktKernel.EBADF, libc.readDirect(42, buf, 1));
    });
    m.run();
    assertEquals(ns[1], ns[0], "the synchronous fast path adds no mechanism cost to the trap and the copy");
    assertEquals(Math.round(70 + 1000 * 0.1), ns[0]);
  }

  @Test
  void anUncachedReadAsAMessageAddsTwoSwitchesAndMovesTheCopyToTheKernelProcess() {
    Machine m = sim();
    LwktKernel k = kernel(m);
    Process user = m.newProcess("user");
    long[] ns = new long[2];
    long[] userMech = new long[2];
    user.spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      byte[] buf = new byte[1000];
      long t0 = self.now();
      long u0 = m.ledger().processNs(user, Category.MECHANISM);
      libc.readDirect(DISK, buf, 1000);
      ns[0] = self.now() - t0;
      t0 = self.now();
      long u1 = m.ledger().processNs(user, Category.MECHANISM);
      libc.read(DISK, buf, 1000);
      ns[1] = self.now() - t0;
      userMech[0] = u1 - u0;
      userMech[1] = m.ledger().processNs(user, Category.MECHANISM) - u1;
    });
    m.run();
    assertTrue(ns[1] > ns[0], "message " + ns[1] + " ns vs direct " + ns[0] + " ns");
    assertTrue(userMech[1] < userMech[0], "the kernel thread, not the caller, paid for the copy");
  }
}
