package org.ipctestbed.lwkt.sys;

import java.util.Objects;
import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.lwkt.LwktMsg;
import org.ipctestbed.lwkt.LwktPort;
import org.ipctestbed.lwkt.ThreadPort;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * The kernel side of system calls as messages (research/lwkt.md section 5; Matt Dillon's "use
 * messaging to initiate syscalls"): a put-only <em>syscall port</em> whose put function is the
 * system call dispatcher, running in the caller's context, and one kernel thread per CPU, each
 * owning a thread port, for the calls that must wait for a device.
 *
 * <ul>
 *   <li>{@code getpid()}, and read/write of a {@linkplain KernelFile#cached() cached} file, complete
 *       inside the put function: {@code domsg} returns at once, with no thread switch, and the work
 *       is charged to the caller (invariant 15, the synchronous fast path that "made messaging
 *       affordable for system calls").
 *   <li>read/write of an uncached file: the put function forwards the message ({@code
 *       lwkt_forwardmsg}) to the kernel thread of the caller's CPU and answers {@code EASYNC}; the
 *       kernel thread waits for the device ({@code sleep}: not CPU time), copies, and replies. That
 *       work is charged to the kernel process, as the LWKT server thread it is.
 * </ul>
 *
 * Counters are per CPU (each written by its own CPU only). Errors are DragonFly errno values in {@code ms_error}: {@link #EBADF}, {@link #EINVAL}, {@link
 * #ENOSYS}. Differences: one flat file table for every process, no per-process descriptors and no
 * file offsets (pread/pwrite at 0).
 */
public final class LwktKernel {
  public static final int EBADF = 9;
  public static final int EINVAL = 22;
  public static final int ENOSYS = 78;

  private final Machine machine;
  private final Process kernel;
  private final LwktPort syscallPort;
  private final ThreadPort[] kthreadPorts;
  private final KernelFile[] files = new KernelFile[64];
  private final long[] syncCalls;
  private final long[] asyncCalls;

  /** Creates the kernel process (priority class 2) and its kernel threads, one per CPU. */
  public LwktKernel(Machine machine) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.kernel = machine.newProcess("kernel", 2, 1024);
    this.syscallPort = LwktPort.putOnly("syscall", this::dispatch);
    this.kthreadPorts = new ThreadPort[machine.cpuCount()];
    this.syncCalls = new long[machine.cpuCount()];
    this.asyncCalls = new long[machine.cpuCount()];
    for (int c = 0; c < kthreadPorts.length; c++) {
      ThreadPort port = new ThreadPort(machine.cpu(c), "kthread" + c + ".msgport");
      kthreadPorts[c] = port;
      kernel.spawnDaemon("kthread" + c, c, self -> serve(self, port));
    }
  }

  /** Installs {@code file} as descriptor {@code fd} (setup time). */
  public void install(int fd, KernelFile file) {
    if (fd < 0 || fd >= files.length) {
      throw new IllegalArgumentException("fd must be 0.." + (files.length - 1) + ", got " + fd);
    }
    files[fd] = Objects.requireNonNull(file, "file");
  }

  /** The port system-call messages are sent to. */
  public LwktPort syscallPort() {
    return syscallPort;
  }

  /** The kernel process (whose threads serve the calls that wait for a device). */
  public Process process() {
    return kernel;
  }

  /** The port of CPU {@code cpu}'s kernel thread. */
  public ThreadPort kthreadPort(int cpu) {
    return kthreadPorts[cpu];
  }

  /** Calls completed synchronously in the caller's context. */
  public long syncCalls() {
    return java.util.Arrays.stream(syncCalls).sum();
  }

  /** Calls forwarded to a kernel thread. */
  public long asyncCalls() {
    return java.util.Arrays.stream(asyncCalls).sum();
  }

  public Machine machine() {
    return machine;
  }

  /** The syscall port's put function: the dispatcher, in the caller's context. */
  private int dispatch(Fiber self, LwktPort port, LwktMsg m) {
    if (!(m instanceof SysMsg msg) || (m.cmd & 0xFFFF_0000) != SysMsg.MSG_CMD_SYSCALL) {
      return ENOSYS;
    }
    if (msg.cmd == SysMsg.SYS_GETPID) {
      msg.result = self.process().pid();
      syncCalls[self.cpu().index()]++;
      return 0;
    }
    KernelFile f = file(msg);
    if (f == null) {
      return (int) msg.result;
    }
    if (f.cached) {
      syncCalls[self.cpu().index()]++;
      return transfer(self, f, msg);
    }
    asyncCalls[self.cpu().index()]++;
    // A thread port always answers EASYNC; had it not, forwardmsg would have replied already.
    Lwkt.forwardmsg(self, kthreadPorts[self.cpu().index()], msg);
    return Lwkt.EASYNC;
  }

  /**
   * The classic system call, for comparison: the same work without a message, run entirely by the
   * caller as itself (a read of an uncached file blocks the caller for the device, in the kernel).
   * The caller charges {@link Cost#TRAP} as for a message.
   *
   * @return 0 or an errno; the result is in {@code args.result}
   */
  public int directCall(Fiber self, SysMsg args) {
    if (args.cmd == SysMsg.SYS_GETPID) {
      args.result = self.process().pid();
      return 0;
    }
    KernelFile f = file(args);
    if (f == null) {
      return (int) args.result;
    }
    if (!f.cached && f.deviceLatencyNs > 0) {
      self.sleep(f.deviceLatencyNs);
    }
    return transfer(self, f, args);
  }

  /**
   * The file of a valid read/write, or {@code null} with the errno in {@code msg.result} ({@link
   * #EBADF}, {@link #EINVAL}, or {@link #ENOSYS} for any other call).
   */
  private KernelFile file(SysMsg msg) {
    switch (msg.cmd) {
      case SysMsg.SYS_READ, SysMsg.SYS_WRITE -> {
        KernelFile f = msg.fd >= 0 && msg.fd < files.length ? files[msg.fd] : null;
        if (f == null) {
          msg.result = EBADF;
          return null;
        }
        if (msg.len < 0 || msg.buf == null || msg.len > msg.buf.length) {
          msg.result = EINVAL;
          return null;
        }
        return f;
      }
      default -> {
        msg.result = ENOSYS;
        return null;
      }
    }
  }

  /** copyout/copyin of the transfer, charged to whoever runs it. */
  private static int transfer(Fiber self, KernelFile f, SysMsg msg) {
    int n = Math.min(msg.len, f.data.length);
    self.charge(Cost.COPY_PER_BYTE, n);
    if (msg.cmd == SysMsg.SYS_READ) {
      System.arraycopy(f.data, 0, msg.buf, 0, n);
    } else {
      System.arraycopy(msg.buf, 0, f.data, 0, n);
    }
    msg.result = n;
    return 0;
  }

  /** A kernel thread: wait on its port, wait for the device, copy, reply. */
  private void serve(Fiber self, ThreadPort port) {
    port.bindOwner(self);
    while (true) {
      SysMsg msg = (SysMsg) Lwkt.waitport(self, port, 0);
      KernelFile f = files[msg.fd];
      if (f.deviceLatencyNs > 0) {
        self.sleep(f.deviceLatencyNs);
      }
      Lwkt.replymsg(self, msg, transfer(self, f, msg));
    }
  }
}
