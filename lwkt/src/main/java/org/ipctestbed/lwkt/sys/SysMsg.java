package org.ipctestbed.lwkt.sys;

import org.ipctestbed.lwkt.LwktMsg;
import org.ipctestbed.substrate.IpiRequest;

/**
 * A system call as a message: DragonFly's late-2003 {@code struct sysmsg}, an {@code lwkt_msg} of
 * command class {@code MSG_CMD_SYSCALL} at the head of every system call's argument structure
 * (research/lwkt.md sections 5 and 7). The system call number is {@link #cmd}; the result ({@code
 * sysmsg_result}) is {@link #result}; the error the kernel returned is {@link #errno}.
 *
 * <p>Two roles, one type, as in 2003: the <em>user's</em> message, built by {@link Libc} and handed
 * to the {@code sendsys} trap; and the <em>kernel's</em> copy, a buffer from the per-CPU {@link
 * MsgCache} into which {@code sendsys} copies the user's message, which the handler runs on and
 * which an interrupt completes when the handler answered {@code EASYNC}. A kernel copy remembers
 * its user message ({@link #umsg}) so that the result can be copied out to it.
 *
 * <p>Arguments of the calls the testbed implements are fields rather than a per-call structure:
 * {@link #fd}, {@link #buf} (the caller's buffer: the kernel copies into or out of it and charges
 * the copy), {@link #len}, {@link #timeoutNs}. Reused: nothing here is allocated per call.
 */
public final class SysMsg extends LwktMsg {
  /** {@code MSG_CMD_SYSCALL}: the command class in the high bits of {@code ms_cmd}. */
  public static final int MSG_CMD_SYSCALL = 0x0003_0000;

  public static final int SYS_READ = MSG_CMD_SYSCALL | 3;
  public static final int SYS_WRITE = MSG_CMD_SYSCALL | 4;
  public static final int SYS_GETPID = MSG_CMD_SYSCALL | 20;
  public static final int SYS_GETUID = MSG_CMD_SYSCALL | 24;
  public static final int SYS_NANOSLEEP = MSG_CMD_SYSCALL | 240;

  /**
   * Bytes of the message header {@code sendsys} copies in: the i386 {@code lwkt_msg} of 2003 (queue
   * links, target and reply ports, command, flags, error, the result union) and the {@code sysmsg}
   * fields around it.
   */
  public static final int HEADER_BYTES = 48;

  /** Bytes copied out after the call: {@code ms_error} and the 64-bit result. */
  public static final int RESULT_BYTES = 12;

  /** {@code sendsys} flag: the caller accepts an asynchronous completion (2003's asynchronous request). */
  public static final int SYSF_ASYNC = 0x1;

  /** File descriptor of read/write. */
  public int fd;
  /** The caller's buffer of read/write. */
  public byte[] buf;
  /** Bytes to transfer. */
  public int len;
  /** How long nanosleep sleeps. */
  public long timeoutNs;
  /** The caller's {@code sendsys} flags ({@link #SYSF_ASYNC}). */
  public int sysflags;
  /** The error the kernel returned for this call (0 when it succeeded). */
  public int errno;

  // Kernel copy only.
  SysMsg umsg;
  KernelFile file;
  int pendingCopy;
  final IpiRequest completion = cpu -> LwktKernel.complete(this);

  /** Sets up a {@code read(fd, buf, len)}. */
  public SysMsg read(int fd, byte[] buf, int len) {
    return set(SYS_READ, fd, buf, len, 0);
  }

  /** Sets up a {@code write(fd, buf, len)}. */
  public SysMsg write(int fd, byte[] buf, int len) {
    return set(SYS_WRITE, fd, buf, len, 0);
  }

  /** Sets up a {@code getpid()}. */
  public SysMsg getpid() {
    return set(SYS_GETPID, -1, null, 0, 0);
  }

  /** Sets up a {@code getuid()}. */
  public SysMsg getuid() {
    return set(SYS_GETUID, -1, null, 0, 0);
  }

  /** Sets up a {@code nanosleep(ns)}: completed by a timer callout. */
  public SysMsg nanosleep(long ns) {
    return set(SYS_NANOSLEEP, -1, null, 0, ns);
  }

  /** Asks for an asynchronous completion if the kernel allows one ({@link #SYSF_ASYNC}); returns this. */
  public SysMsg async() {
    sysflags |= SYSF_ASYNC;
    return this;
  }

  private SysMsg set(int sysno, int fd, byte[] buf, int len, long timeoutNs) {
    this.cmd = sysno;
    this.fd = fd;
    this.buf = buf;
    this.len = len;
    this.timeoutNs = timeoutNs;
    this.sysflags = 0;
    this.result = 0;
    this.errno = 0;
    return this;
  }

  /** Bytes of this call's arguments after the header (copied in with it). */
  int argBytes() {
    return switch (cmd) {
      case SYS_READ, SYS_WRITE -> 12;
      case SYS_NANOSLEEP -> 8;
      default -> 0;
    };
  }

  /** The kernel copy takes the user's arguments ({@code copyin} of the message). */
  void copyArgsFrom(SysMsg u) {
    cmd = u.cmd;
    fd = u.fd;
    buf = u.buf;
    len = u.len;
    timeoutNs = u.timeoutNs;
    sysflags = u.sysflags;
    result = 0;
    errno = 0;
    umsg = u;
    file = null;
    pendingCopy = 0;
  }
}
