package org.ipctestbed.lwkt.sys;

import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.lwkt.ThreadPort;
import org.ipctestbed.substrate.Fiber;

/**
 * The user side of system calls as messages: a libc whose {@code read()}, {@code write()}, {@code
 * getpid()} and {@code getuid()} "build, dispatch, and wait for the syscall message rather than make
 * a directly 'read' system call" (research/lwkt.md sections 5 and 7), beside the same calls through
 * the classic trap ({@code *Trap}) for comparison. One per user thread, made inside it; it keeps one
 * reusable {@link SysMsg} for its synchronous calls. Completions of asynchronous calls arrive on the
 * thread's own port ({@code td_msgport}, {@link ThreadPort#of}).
 *
 * <p>Results: a count or value, or {@code -errno}. Building the message in user space (a few stores)
 * is not charged.
 */
public final class Libc {
  private final LwktKernel kernel;
  private final Fiber self;
  private final SysMsg msg = new SysMsg();

  /** A libc for the calling fiber {@code self}; call from inside it. */
  public Libc(Fiber self, LwktKernel kernel) {
    this.self = self;
    this.kernel = kernel;
  }

  /** The thread's port, where asynchronous completions are queued. */
  public ThreadPort replyPort() {
    return ThreadPort.of(self);
  }

  /** {@code getpid()} as a message. */
  public int getpid() {
    return (int) sysmsg(msg.getpid());
  }

  /** {@code getuid()} as a message. */
  public long getuid() {
    return sysmsg(msg.getuid());
  }

  /** {@code read(fd, buf, len)} as a message: bytes read, or {@code -errno}. */
  public long read(int fd, byte[] buf, int len) {
    return sysmsg(msg.read(fd, buf, len));
  }

  /** {@code write(fd, buf, len)} as a message: bytes written, or {@code -errno}. */
  public long write(int fd, byte[] buf, int len) {
    return sysmsg(msg.write(fd, buf, len));
  }

  /** {@code getpid()} through the classic trap. */
  public int getpidTrap() {
    return (int) trap(msg.getpid());
  }

  /** {@code getuid()} through the classic trap. */
  public long getuidTrap() {
    return trap(msg.getuid());
  }

  /** {@code read()} through the classic trap. */
  public long readTrap(int fd, byte[] buf, int len) {
    return trap(msg.read(fd, buf, len));
  }

  /** {@code write()} through the classic trap. */
  public long writeTrap(int fd, byte[] buf, int len) {
    return trap(msg.write(fd, buf, len));
  }

  /** Any call through the classic trap: the result, or {@code -errno}. */
  public long trap(SysMsg m) {
    int error = kernel.trap(self, m);
    return error == 0 ? m.result : -error;
  }

  /** Any call as a synchronous message ({@code sendsys} without the asynchronous flag). */
  public long sysmsg(SysMsg m) {
    m.sysflags &= ~SysMsg.SYSF_ASYNC;
    int error = kernel.sendsys(self, m);
    return error == 0 ? m.result : -error;
  }

  /**
   * {@code sendsys(m)} asking for an asynchronous completion.
   *
   * @return {@link Lwkt#EASYNC} if the call will complete later (collect it with {@link #waitsys}),
   *     else the call's error (0: done, result in {@code m})
   */
  public int sendsys(SysMsg m) {
    return kernel.sendsys(self, m.async());
  }

  /** Waits for the next asynchronous completion and returns its message (result copied out). */
  public SysMsg waitsys() {
    return kernel.waitsys(self);
  }

  /** The next asynchronous completion, or {@code null} if none has completed yet. */
  public SysMsg pollsys() {
    return kernel.pollsys(self);
  }

  /** Asynchronous calls sent and not yet collected (by this thread's process). */
  public int inFlight() {
    return kernel.outstanding(self.process());
  }
}
