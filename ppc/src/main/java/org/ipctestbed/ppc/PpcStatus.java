package org.ipctestbed.ppc;

import org.ipctestbed.ipc.Status;

/**
 * Status codes of the native PPC API: those of {@link Status} plus the one K42 returns that the SPI
 * does not name, {@link #ENOMEM} (the server dispatcher could not allocate a thread for an incoming
 * call, {@code DispatcherDefaultExp::IPCCallEntry}; research/k42.md 1.2 step 4 and invariant 3).
 */
public final class PpcStatus {
  private PpcStatus() {}

  /** errno {@code ENOMEM}: no server thread could be allocated for the call. */
  public static final int ENOMEM = 12;

  /** The symbolic name of {@code status}. */
  public static String name(int status) {
    return status == ENOMEM ? "ENOMEM" : Status.name(status);
  }
}
