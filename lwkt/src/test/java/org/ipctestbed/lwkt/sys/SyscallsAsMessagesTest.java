package org.ipctestbed.lwkt.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** research/lwkt.md sections 5 and 7: system calls as messages, as DragonFly built them in 2003-2004. */
class SyscallsAsMessagesTest {
  private static final int CACHED = 0;
  private static final int DISK = 3;
  private static final long DISK_NS = 100_000;

  private static Machine sim(String costModel) {
    return Machine.create(MachineConfig.builder().cpus(1).engine("sim").costModel(costModel)
        .policy("fixed-priority-rr").seed(3).build());
  }

  private static LwktKernel kernel(Machine m, int asyncLimit) {
    LwktKernel k = new LwktKernel(m, asyncLimit);
    KernelFile cached = new KernelFile("/cached", 4096, true, 0);
    Arrays.fill(cached.data(), (byte) 7);
    k.install(CACHED, cached);
    KernelFile disk = new KernelFile("/data/file", 4096, false, DISK_NS);
    Arrays.fill(disk.data(), (byte) 9);
    k.install(DISK, disk);
    return k;
  }

  /** getuid through the trap and through a message, in virtual ns: {trap, message}. */
  private static long[] getuidNs(String costModel) {
    Machine m = sim(costModel);
    LwktKernel k = kernel(m, 16);
    long[] ns = new long[2];
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      libc.getuid(); // make the thread's port before measuring
      long t0 = self.now();
      assertEquals(LwktKernel.UID, libc.getuidTrap());
      long t1 = self.now();
      long epoch = self.cpu().schedulingEpoch();
      assertEquals(LwktKernel.UID, libc.getuid());
      long t2 = self.now();
      assertEquals(epoch, self.cpu().schedulingEpoch(), "no scheduling event: the handler ran in the caller's context");
      ns[0] = t1 - t0;
      ns[1] = t2 - t1;
    });
    m.run();
    return ns;
  }

  @Test
  void getuidAsAMessageCostsTheTrapPlusTheNamedStepsOfSendsysAndNoSwitch() {
    long[] ns = getuidNs("modern-x86");
    assertEquals(70 + 2, ns[0], "trap + handler call");
    long steps = 15 + Math.round((SysMsg.HEADER_BYTES) * 0.1) + 5 + 5 + 15 + Math.round(SysMsg.RESULT_BYTES * 0.1);
    assertEquals(ns[0] + steps, ns[1], "copy in, message cache, validation, copy out");
  }

  @ParameterizedTest
  @CsvSource({"via-c3-600, 1300, 1700", "dual-p3-1200, 909, 1077"})
  void thePublishedGetuidFiguresFollowFromTheHistoricalPresetWithinTenPercent(String preset, long trap, long msg) {
    long[] ns = getuidNs(preset);
    assertTrue(Math.abs(ns[0] - trap) <= trap / 10, preset + ": trap " + ns[0] + " ns vs published " + trap);
    assertTrue(Math.abs(ns[1] - msg) <= msg / 10, preset + ": message " + ns[1] + " ns vs published " + msg);
  }

  @Test
  void aCachedReadCompletesInTheCallersContextAndAnUncachedOneWaitsForTheDeviceInterruptWithNoServerThread() {
    Machine m = sim("modern-x86");
    LwktKernel k = kernel(m, 16);
    Process user = m.newProcess("user");
    user.spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      byte[] buf = new byte[512];
      long t0 = self.now();
      assertEquals(512, libc.read(CACHED, buf, 512));
      assertTrue(self.now() - t0 < 1_000, "a memory copy, no device");
      assertEquals(7, buf[511]);
      t0 = self.now();
      assertEquals(512, libc.read(DISK, buf, 512));
      assertTrue(self.now() - t0 >= DISK_NS, "waited for the device");
      assertEquals(9, buf[0]);
      byte[] out = new byte[16];
      Arrays.fill(out, (byte) 1);
      assertEquals(16, libc.write(DISK, out, 16));
    });
    m.run();
    assertEquals(1, k.syncCompletions());
    assertEquals(2, k.deferredCalls());
    assertEquals(1, m.fibers().size(), "no kernel server thread exists");
    assertEquals(0, m.ledger().costCount(Cost.ADDRESS_SPACE_SWITCH));
  }

  @Test
  void aCallIsAsynchronousOnlyWhenTheHandlerAnswersEasyncTheCallerAskedAndTheProcessIsUnderItsLimit() {
    Machine m = sim("modern-x86");
    LwktKernel k = kernel(m, 2);
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      SysMsg uid = new SysMsg().getuid();
      assertEquals(0, libc.sendsys(uid), "the handler completed it: synchronous although asked");
      assertEquals(LwktKernel.UID, uid.result);
      assertNull(libc.pollsys(), "a synchronous completion is not queued");

      byte[][] bufs = new byte[3][64];
      SysMsg[] reads = new SysMsg[3];
      for (int i = 0; i < 2; i++) {
        reads[i] = new SysMsg().read(DISK, bufs[i], 64);
        assertEquals(Lwkt.EASYNC, libc.sendsys(reads[i]), "read " + i + " went asynchronous");
      }
      assertEquals(2, libc.inFlight());
      reads[2] = new SysMsg().read(DISK, bufs[2], 64);
      long t0 = self.now();
      assertEquals(0, libc.sendsys(reads[2]), "over the limit: the caller waited in the kernel");
      assertTrue(self.now() - t0 >= DISK_NS);
      assertEquals(64, reads[2].result);
      assertEquals(0, libc.sysmsg(new SysMsg().read(DISK, new byte[8], 8)) - 8, "a synchronous request waits");
      for (int i = 0; i < 2; i++) {
        SysMsg done = libc.waitsys();
        assertSame(reads[i], done, "completions in the order the device finished");
        assertEquals(64, done.result);
        assertEquals(0, done.errno);
      }
      assertEquals(0, libc.inFlight());
      for (byte[] b : bufs) {
        assertArrayEquals(filled(64, 9), b);
      }
      assertThrows(IllegalStateException.class, libc::waitsys, "nothing outstanding");
    });
    m.run();
    assertEquals(0, k.cacheMisses());
  }

  @Test
  void anAsynchronousNanosleepIsCompletedByATimerWhileTheCallerWorks() {
    Machine m = sim("modern-x86");
    LwktKernel k = kernel(m, 16);
    long[] elapsed = new long[1];
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      SysMsg[] sleeps = new SysMsg[4];
      long t0 = self.now();
      for (int i = 0; i < sleeps.length; i++) {
        sleeps[i] = new SysMsg().nanosleep(50_000 * (sleeps.length - i));
        assertEquals(Lwkt.EASYNC, libc.sendsys(sleeps[i]));
      }
      self.work(100_000);
      for (int i = sleeps.length - 1; i >= 0; i--) {
        assertSame(sleeps[i], libc.waitsys(), "the shortest sleep completes first");
      }
      elapsed[0] = self.now() - t0;
    });
    m.run();
    assertTrue(elapsed[0] < 250_000, "the sleeps overlapped each other and the work: " + elapsed[0]);
    assertEquals(1, m.fibers().size());
  }

  @Test
  void badDescriptorsBadFlagsAndUnknownCallsReturnErrnoValues() {
    Machine m = sim("modern-x86");
    LwktKernel k = kernel(m, 16);
    m.newProcess("user").spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      assertEquals(-LwktKernel.EBADF, libc.read(42, new byte[8], 8));
      assertEquals(-LwktKernel.EINVAL, libc.read(CACHED, new byte[8], 9));
      assertEquals(-LwktKernel.EBADF, libc.readTrap(42, new byte[8], 8));
      SysMsg bogus = new SysMsg().getpid();
      bogus.cmd = SysMsg.MSG_CMD_SYSCALL | 999;
      assertEquals(-LwktKernel.ENOSYS, libc.sysmsg(bogus));
      SysMsg notASyscall = new SysMsg().getpid();
      notASyscall.cmd = 0x0001_0000;
      assertEquals(-LwktKernel.ENOSYS, libc.sysmsg(notASyscall));
      SysMsg flags = new SysMsg().getpid();
      flags.sysflags = 0x80;
      assertEquals(LwktKernel.EINVAL, k.sendsys(self, flags));
    });
    m.run();
  }

  @Test
  void invariant15_aSynchronousSystemCallIsChargedToTheCaller() {
    Machine m = sim("modern-x86");
    LwktKernel k = kernel(m, 16);
    Process user = m.newProcess("user");
    user.spawn("main", 0, self -> {
      Libc libc = new Libc(self, k);
      byte[] buf = new byte[4000];
      for (int i = 0; i < 10; i++) {
        libc.read(CACHED, buf, 4000);
        libc.read(DISK, buf, 4000);
      }
    });
    long elapsed = m.run();
    assertEquals(1, m.processes().size(), "no kernel process: the handlers ran in the caller's context");
    assertEquals(m.ledger().processNs(user), elapsed - m.ledger().idleNs(), "every busy ns is the caller's");
  }

  @Test
  void asynchronousReadsCompleteAndAreCollectedInTheRealEngine() {
    Machine m = Machine.create(MachineConfig.builder().cpus(2).engine("real").policy("fixed-priority-rr")
        .watchdogNs(5_000_000_000L).timeLimitNs(60_000_000_000L).build());
    LwktKernel k = kernel(m, 8);
    int[] collected = new int[2];
    for (int cpu = 0; cpu < 2; cpu++) {
      int c = cpu;
      m.newProcess("user" + cpu).spawn("main", cpu, self -> {
        Libc libc = new Libc(self, k);
        SysMsg[] msgs = new SysMsg[8];
        for (int round = 0; round < 20; round++) {
          for (int i = 0; i < msgs.length; i++) {
            msgs[i] = new SysMsg().read(DISK, new byte[32], 32);
            assertEquals(Lwkt.EASYNC, libc.sendsys(msgs[i]));
          }
          for (int i = 0; i < msgs.length; i++) {
            SysMsg done = libc.waitsys();
            assertEquals(32, done.result);
            assertEquals(9, done.buf[31]);
            collected[c]++;
          }
        }
        assertEquals(LwktKernel.UID, libc.getuid());
      });
    }
    m.run();
    assertEquals(160, collected[0]);
    assertEquals(160, collected[1]);
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }
}
