package org.ipctestbed.lwkt.sys;

import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.lwkt.MsgFlags;
import org.ipctestbed.lwkt.ThreadPort;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;

/**
 * The user side of system calls as messages: a libc whose {@code read()}, {@code write()} and {@code
 * getpid()} "build, dispatch, and wait for the syscall message rather than make a directly 'read'
 * system call" (research/lwkt.md section 5). One per user thread: it owns the thread's reply port
 * ({@code td_msgport}) and one reusable {@link SysMsg} for synchronous calls.
 *
 * <p>Synchronous calls: {@link Cost#TRAP} (entering the kernel), then {@code domsg} to the kernel's
 * syscall port: returns at once when the dispatcher completed the call in the caller's context, else
 * blocks until the kernel thread replies. Asynchronous calls (2003's {@code sendsys()}): {@link
 * #sendsys} sends a caller-owned message with {@code sendmsg} and returns; completions are collected
 * from the reply port with {@link #waitsys}/{@link #pollsys}, in completion order.
 *
 * <p>Difference: the 2003 {@code sendsys()} returned a synchronous result directly; here, as with the
 * modern {@code lwkt_sendmsg}, a synchronous completion is also queued on the reply port, so every
 * message sent is collected exactly once.
 */
public final class Libc {
  private final LwktKernel kernel;
  private final Fiber self;
  private final ThreadPort replyPort;
  private final SysMsg msg = new SysMsg();
  private int inFlight;

  /** A libc for the calling fiber {@code self}; call from inside it. */
  public Libc(Fiber self, LwktKernel kernel) {
    this.self = self;
    this.kernel = kernel;
    this.replyPort = new ThreadPort(self);
  }

  /** The thread's reply port. */
  public ThreadPort replyPort() {
    return replyPort;
  }

  /** {@code getpid()}: always completed in the caller's context. */
  public int getpid() {
    return (int) syscall(msg.getpid());
  }

  /** {@code read(fd, buf, len)}: bytes read, or {@code -errno}. */
  public long read(int fd, byte[] buf, int len) {
    return syscall(msg.read(fd, buf, len));
  }

  /** {@code write(fd, buf, len)}: bytes written, or {@code -errno}. */
  public long write(int fd, byte[] buf, int len) {
    return syscall(msg.write(fd, buf, len));
  }

  /** {@code read()} as a classic system call, without a message: the baseline for comparisons. */
  public long readDirect(int fd, byte[] buf, int len) {
    return direct(msg.read(fd, buf, len));
  }

  /** {@code write()} as a classic system call, without a message. */
  public long writeDirect(int fd, byte[] buf, int len) {
    return direct(msg.write(fd, buf, len));
  }

  /** {@code getpid()} as a classic system call, without a message. */
  public int getpidDirect() {
    return (int) direct(msg.getpid());
  }

  private long direct(SysMsg args) {
    self.charge(Cost.TRAP);
    int error = kernel.directCall(self, args);
    return error == 0 ? args.result : -error;
  }

  private long syscall(SysMsg m) {
    self.charge(Cost.TRAP);
    Lwkt.initmsg(m, replyPort, 0);
    int error = Lwkt.domsg(self, kernel.syscallPort(), m, 0);
    return error == 0 ? m.result : -error;
  }

  /**
   * {@code sendsys(msg)}: sends a system-call message asynchronously.
   *
   * @return {@link Lwkt#EASYNC} if the kernel queued it, or the call's result code if it completed
   *     synchronously; either way its completion is queued on the reply port
   */
  public int sendsys(SysMsg m) {
    self.charge(Cost.TRAP);
    Lwkt.initmsg(m, replyPort, 0);
    Lwkt.sendmsg(self, kernel.syscallPort(), m);
    inFlight++;
    return m.has(MsgFlags.DONE) ? m.error() : Lwkt.EASYNC;
  }

  /** Waits for the next completed system-call message (blocking on the reply port). */
  public SysMsg waitsys() {
    SysMsg m = (SysMsg) Lwkt.waitport(self, replyPort, 0);
    inFlight--;
    return m;
  }

  /** The next completed system-call message, or {@code null} if none has completed. */
  public SysMsg pollsys() {
    SysMsg m = (SysMsg) Lwkt.getport(self, replyPort);
    if (m != null) {
      inFlight--;
    }
    return m;
  }

  /** Asynchronous calls sent and not yet collected. */
  public int inFlight() {
    return inFlight;
  }
}
