package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.lwkt.spi.LwktIpcSystem;
import org.ipctestbed.lwkt.sys.KernelFile;
import org.ipctestbed.lwkt.sys.Libc;
import org.ipctestbed.lwkt.sys.LwktKernel;
import org.ipctestbed.lwkt.sys.SysMsg;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code syscall-msg}: system calls as messages, as DragonFly built them in 2003-2004 (research/
 * lwkt.md section 7), against the classic trap and against each strategy's own way of calling the
 * kernel. One user thread on CPU 0:
 *
 * <pre>
 *   [user] getuid/read via trap:     TRAP, handler                                 (every strategy)
 *          via sendsys (sync msg):   TRAP, copy in, msg cache, validate, handler,  (lwkt only: the
 *                                    copy out                                       org.ipctestbed.lwkt.sys
 *          via sendsys, async asked: the same; the handler completes it at once     package)
 *          uncached read:            handler starts the device; its interrupt
 *                                    completes the message (sync: the caller waits
 *                                    in the kernel; async: sendsys returns EASYNC,
 *                                    waitsys collects it from the thread's port)
 *   [user] --getuid--> [kernel process] through the IPC interface                  (every strategy:
 *                                    K42's system call, a PPC to the kernel process; LWKT's
 *                                    message to a kernel server thread; a procedure call)
 * </pre>
 *
 * <p>Metrics (latency, ns): {@code getuid-trap}, {@code getuid-msg}, {@code getuid-async}, {@code
 * read-trap}, {@code read-msg}, {@code read-async} (a cached read of {@code bytes}), {@code
 * uncached-read-trap}, {@code uncached-read-msg}, {@code uncached-read-async} (a read the device
 * completes after {@code device-ns}; the asynchronous one measured from {@code sendsys} to the
 * completion collected), and {@code getuid-ipc}. The {@code lwkt.sys} metrics exist for the {@code
 * lwkt} strategy only (they are DragonFly's mechanism, whatever SPI strategy runs beside them); a
 * note says so for the others. {@code getpid} takes the same path as {@code getuid} and is not
 * measured apart. Counter {@code ops}: measured {@code getuid-ipc} calls.
 *
 * <p>Published figures (research/lwkt.md 7): {@code getuid} through the trap and through a message,
 * 1,300 and 1,700 ns on a 600 MHz VIA C3 ({@code via-c3-600}), 909 and 1,077 ns on a dual 1.2 GHz
 * Pentium III ({@code dual-p3-1200}); the report shows the measured medians beside them.
 */
public final class SyscallMsgWorkload implements Workload {
  static final int CACHED_FD = 0;
  static final int DEVICE_FD = 3;
  static final int FILE_BYTES = 4096;
  static final int OP_GETUID = 24;

  private static final String DF_LIST = "DragonFly kernel list, 2003 (research/lwkt.md section 7)";

  @Override
  public String name() {
    return "syscall-msg";
  }

  @Override
  public String description() {
    return "getuid and read as DragonFly system-call messages (sendsys), against the trap and each strategy's call to the kernel";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(20_000, "calls of each kind"),
        StandardParams.warmup(1_000, "calls of each kind"),
        new Param("bytes", "64", "bytes per cached read, 0.." + FILE_BYTES),
        new Param("device-ops", "200", "uncached reads of each kind, 1.." + StandardParams.MAX_OPS),
        StandardParams.workNs("device-ns", 50_000, "device latency of an uncached read"));
  }

  @Override
  public List<PublishedFigure> published() {
    return List.of(
        new PublishedFigure("getuid-trap", "lwkt", "via-c3-600", 1_300, DF_LIST + ", 600 MHz VIA C3"),
        new PublishedFigure("getuid-msg", "lwkt", "via-c3-600", 1_700, DF_LIST + ", 600 MHz VIA C3"),
        new PublishedFigure("getuid-trap", "lwkt", "dual-p3-1200", 909, DF_LIST + ", dual 1.2 GHz Pentium III"),
        new PublishedFigure("getuid-msg", "lwkt", "dual-p3-1200", 1_077, DF_LIST + ", dual 1.2 GHz Pentium III"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    int bytes = params.intValue("bytes", 0, FILE_BYTES);
    long deviceOps = params.longValue("device-ops", 1, StandardParams.MAX_OPS);
    long deviceNs = StandardParams.workNs(params, "device-ns");
    boolean lwkt = ipc instanceof LwktIpcSystem;

    LwktKernel kernel = new LwktKernel(machine);
    KernelFile cached = new KernelFile("cached", FILE_BYTES, true, 0);
    KernelFile device = new KernelFile("device", FILE_BYTES, false, deviceNs);
    for (int i = 0; i < FILE_BYTES; i++) {
      cached.data()[i] = (byte) i;
      device.data()[i] = (byte) (i * 7);
    }
    kernel.install(CACHED_FD, cached);
    kernel.install(DEVICE_FD, device);

    Process kproc = machine.newKernelProcess("kernel", 2, 1024);
    Service ksvc = ipc.export(kproc, new ServiceSpec("kernel", new int[] {0}, 64), (self, req, rep) -> {
      if (req.op() != OP_GETUID) {
        return Status.EINVAL;
      }
      rep.op(OP_GETUID).word(0, LwktKernel.UID);
      return Status.OK;
    });
    Process user = machine.newProcess("user");
    Connection c = ipc.connect(user, 0, ksvc);
    if (!lwkt) {
      sink.note("sys-metrics", "the getuid-*/read-* metrics of DragonFly's system-call messages are measured with the lwkt "
          + "strategy only; this strategy has getuid-trap (the same trap) and getuid-ipc (its own call to the kernel process)");
    }

    Measurements.LatencyRecorder getuidTrap = sink.latency("getuid-trap");
    Measurements.LatencyRecorder getuidIpc = sink.latency("getuid-ipc");
    Measurements.LatencyRecorder getuidMsg = lwkt ? sink.latency("getuid-msg") : null;
    Measurements.LatencyRecorder getuidAsync = lwkt ? sink.latency("getuid-async") : null;
    Measurements.LatencyRecorder readTrap = lwkt ? sink.latency("read-trap") : null;
    Measurements.LatencyRecorder readMsg = lwkt ? sink.latency("read-msg") : null;
    Measurements.LatencyRecorder readAsync = lwkt ? sink.latency("read-async") : null;
    Measurements.LatencyRecorder devTrap = lwkt ? sink.latency("uncached-read-trap") : null;
    Measurements.LatencyRecorder devMsg = lwkt ? sink.latency("uncached-read-msg") : null;
    Measurements.LatencyRecorder devAsync = lwkt ? sink.latency("uncached-read-async") : null;
    Measurements.Counter opsCounter = sink.counter("ops");
    IpcMessage request = new IpcMessage(0);
    IpcMessage reply = new IpcMessage(0);
    byte[] buf = new byte[Math.max(1, bytes)];

    user.spawn("user", 0, self -> {
      Libc libc = new Libc(self, kernel);
      SysMsg m = new SysMsg();
      for (long i = 0; i < warmup + ops; i++) {
        boolean measure = i >= warmup;
        long t0 = self.now();
        check(libc.getuidTrap(), LwktKernel.UID, "getuid via trap");
        long t1 = self.now();
        request.clear().op(OP_GETUID);
        int st = c.call(self, request, reply);
        long t2 = self.now();
        if (st != Status.OK || reply.word(0) != LwktKernel.UID) {
          throw new IllegalStateException("getuid through the IPC interface returned " + Status.name(st) + ", uid " + reply.word(0));
        }
        if (measure) {
          getuidTrap.record(t1 - t0);
          getuidIpc.record(t2 - t1);
          opsCounter.increment();
        }
        if (!lwkt) {
          continue;
        }
        long a = self.now();
        check(libc.getuid(), LwktKernel.UID, "getuid as a message");
        long b = self.now();
        check(libc.sendsys(m.getuid()), 0, "getuid as an asynchronous request (completed at once)");
        check(m.result, LwktKernel.UID, "getuid as an asynchronous request");
        long d = self.now();
        check(libc.readTrap(CACHED_FD, buf, bytes), bytes, "cached read via trap");
        long e = self.now();
        check(libc.read(CACHED_FD, buf, bytes), bytes, "cached read as a message");
        long f = self.now();
        check(libc.sendsys(m.read(CACHED_FD, buf, bytes)), 0, "cached read as an asynchronous request");
        long g = self.now();
        if (measure) {
          getuidMsg.record(b - a);
          getuidAsync.record(d - b);
          readTrap.record(e - d);
          readMsg.record(f - e);
          readAsync.record(g - f);
        }
      }
      if (!lwkt) {
        return;
      }
      long devWarm = Math.min(warmup, Math.max(1, deviceOps / 10));
      for (long i = 0; i < devWarm + deviceOps; i++) {
        boolean measure = i >= devWarm;
        long t0 = self.now();
        check(libc.readTrap(DEVICE_FD, buf, bytes), bytes, "uncached read via trap");
        long t1 = self.now();
        check(libc.read(DEVICE_FD, buf, bytes), bytes, "uncached read as a message");
        long t2 = self.now();
        check(libc.sendsys(m.read(DEVICE_FD, buf, bytes)), Lwkt.EASYNC, "uncached read as an asynchronous request");
        SysMsg done = libc.waitsys();
        check(done.result, bytes, "uncached read collected by waitsys");
        long t3 = self.now();
        if (bytes > 0 && buf[bytes - 1] != (byte) ((bytes - 1) * 7)) {
          throw new IllegalStateException("uncached read: the bytes are not the device's");
        }
        if (measure) {
          devTrap.record(t1 - t0);
          devMsg.record(t2 - t1);
          devAsync.record(t3 - t2);
        }
      }
    });
  }

  private static void check(long got, long expected, String what) {
    if (got != expected) {
      throw new IllegalStateException(what + ": expected " + expected + ", got " + got);
    }
  }
}
