package org.ipctestbed.experiments.baseline;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Machine;

/**
 * The lower bound of every chart, {@code direct-call}: the service's handler runs as a plain procedure
 * call in the caller's own fiber. It is deliberately <em>not</em> an operating-system design: there is
 * no protection boundary (the handler runs in the client's fiber, so its time is charged to the
 * client), no scheduling (no thread switch, no hand-off, no IPI, no queue between client and server)
 * and no placement (a service exported on other CPUs still runs on the caller's CPU).
 *
 * <p>What it keeps, because any mechanism must: the request and the reply are copied between the
 * client's messages and the server's own copies ({@link org.ipctestbed.substrate.Cost#COPY_PER_BYTE}
 * is charged per byte), the limits and status codes of the SPI are honoured (a dead server gives
 * {@code ESRCH}; a request over the service's {@code maxPayload} gives {@code ENOSPC} for a call and
 * {@code EMSGSIZE} for a send), and a one-way send leaves a completion that {@code receive} returns,
 * in a bounded per-connection queue whose overflow is reported as {@code EBUSY} back-pressure.
 * Subtracting this lower bound from a mechanism's figure isolates what protection and scheduling
 * cost.
 */
public final class DirectCallProvider implements IpcProvider {
  /** The name on the command line and in results. */
  public static final String NAME = "direct-call";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A procedure call has no operating system of its own: under {@code --policy native} the lower
   * bound runs on {@code proportional-share}, the harness's default, so that its figures stay the
   * ones every other experiment compares against.
   */
  @Override
  public String nativePolicy() {
    return "proportional-share";
  }

  @Override
  public String description() {
    return "lower bound, not an OS design: the handler runs as a procedure call in the caller's fiber"
        + " (copies only; no protection, no scheduling)";
  }

  @Override
  public IpcSystem install(Machine machine) {
    return new DirectCallSystem(machine);
  }
}
