package org.ipctestbed.ipc;

/**
 * Status codes of the IPC service-provider interface, modelled on the originals' errno values
 * (research/k42.md 1.9 and 2.5, research/lwkt.md 2). Hot paths return these as {@code int}s, never
 * throw. {@link #name(int)} turns one into its name for reports.
 */
public final class Status {
  private Status() {}

  /** Done. */
  public static final int OK = 0;

  /** Refused for now, retry: a disabled (hard-preempted) K42 target, a full remote mailbox. */
  public static final int EAGAIN = 11;

  /** The receiver's buffer is full (K42 async PPC back-pressure). */
  public static final int EBUSY = 16;

  /** The message is larger than the mechanism carries (K42 async PPC: 48 bytes). */
  public static final int EMSGSIZE = 90;

  /** The message does not fit the argument area (K42 PPC page: 4072 bytes). */
  public static final int ENOSPC = 28;

  /** Out of a resource the mechanism allocates per request (K42: no more server threads). */
  public static final int ENOMEM = 12;

  /** The caller may not use this service. */
  public static final int EPERM = 1;

  /** The server's process is gone. */
  public static final int ESRCH = 3;

  /** Bad argument (unknown operation, negative length). */
  public static final int EINVAL = 22;

  /** The mechanism has no such operation (for instance replies to one-way sends). */
  public static final int ENOTSUP = 95;

  /** Nothing to receive right now (non-waiting receive). */
  public static final int EWOULDBLOCK = 35;

  /** The request is accepted and will complete later (DragonFly's {@code EASYNC}). */
  public static final int EASYNC = 0x7FFF_0001;

  /** Aborted before completion (DragonFly {@code lwkt_abortmsg}). */
  public static final int EINTR = 4;

  /** The symbolic name of {@code status}, or {@code "status N"} for an unknown one. */
  public static String name(int status) {
    return switch (status) {
      case OK -> "OK";
      case EAGAIN -> "EAGAIN";
      case EBUSY -> "EBUSY";
      case EMSGSIZE -> "EMSGSIZE";
      case ENOSPC -> "ENOSPC";
      case EPERM -> "EPERM";
      case ENOMEM -> "ENOMEM";
      case ESRCH -> "ESRCH";
      case EINVAL -> "EINVAL";
      case ENOTSUP -> "ENOTSUP";
      case EWOULDBLOCK -> "EWOULDBLOCK";
      case EASYNC -> "EASYNC";
      case EINTR -> "EINTR";
      default -> "status " + status;
    };
  }
}
