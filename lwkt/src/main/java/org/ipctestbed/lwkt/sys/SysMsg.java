package org.ipctestbed.lwkt.sys;

import org.ipctestbed.lwkt.LwktMsg;

/**
 * A system call as a message: DragonFly's late-2003 {@code struct sysmsg}, an {@code lwkt_msg} of
 * command class {@code MSG_CMD_SYSCALL} at the head of every system call's argument structure
 * (research/lwkt.md section 5). The system call number is {@link #cmd}; the result ({@code
 * sysmsg_result}) is {@link #result}; the error is the message's {@code ms_error}.
 *
 * <p>The arguments of the three calls the testbed implements ({@code read}, {@code write}, {@code
 * getpid}) are fields rather than a per-call structure. {@link #buf} is the caller's buffer: the
 * kernel copies into or out of it ({@code copyout}/{@code copyin}) and charges the copy. Reused:
 * a {@link Libc} keeps one for its synchronous calls; an asynchronous caller keeps as many as it
 * wants in flight.
 */
public final class SysMsg extends LwktMsg {
  /** {@code MSG_CMD_SYSCALL}: the command class in the high bits of {@code ms_cmd}. */
  public static final int MSG_CMD_SYSCALL = 0x0003_0000;

  public static final int SYS_READ = MSG_CMD_SYSCALL | 3;
  public static final int SYS_WRITE = MSG_CMD_SYSCALL | 4;
  public static final int SYS_GETPID = MSG_CMD_SYSCALL | 20;

  /** File descriptor of read/write. */
  public int fd;
  /** The caller's buffer of read/write. */
  public byte[] buf;
  /** Bytes to transfer. */
  public int len;

  /** Sets up a {@code read(fd, buf, len)}. */
  public SysMsg read(int fd, byte[] buf, int len) {
    return set(SYS_READ, fd, buf, len);
  }

  /** Sets up a {@code write(fd, buf, len)}. */
  public SysMsg write(int fd, byte[] buf, int len) {
    return set(SYS_WRITE, fd, buf, len);
  }

  /** Sets up a {@code getpid()}. */
  public SysMsg getpid() {
    return set(SYS_GETPID, -1, null, 0);
  }

  private SysMsg set(int sysno, int fd, byte[] buf, int len) {
    this.cmd = sysno;
    this.fd = fd;
    this.buf = buf;
    this.len = len;
    this.result = 0;
    return this;
  }
}
