package org.ipctestbed.examples.rendezvous;

import java.util.List;
import java.util.Optional;
import org.ipctestbed.ipc.AccountingModel;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.StrategyOption;
import org.ipctestbed.ipc.StrategyOptions;
import org.ipctestbed.substrate.Machine;

/**
 * The {@code rendezvous} strategy, the strategy author's guide's example (docs/STRATEGY-GUIDE.md): an
 * L4-style synchronous IPC endpoint. It is not K42 or DragonFly; it is the third design the testbed's
 * plug-in path was tried with (issue 14), and it uses every substrate primitive a mechanism needs:
 * {@code block}, {@code wake}, {@code handoff} with and without the caller's account, {@code
 * Process.onKill}, and named charges.
 *
 * <p>The design, after L4 (Liedtke, "Improving IPC by kernel design", SOSP 1993; the L4 X.2 reference
 * manual's IPC chapter):
 *
 * <ul>
 *   <li><b>Synchronous rendezvous.</b> A call meets a server thread that is waiting in receive; if none
 *       is, the caller waits in the endpoint's queue until one is (L4's send phase blocks until the
 *       receiver is ready). Server threads are created at export, {@code threads} per CPU of the
 *       placement.
 *   <li><b>Direct switch.</b> On the caller's CPU the caller hands the CPU straight to the server thread
 *       and the reply hands it straight back: no scheduler decision (L4's "direct process switch").
 *   <li><b>Time-slice donation</b> ({@code donate=true}): the server runs on the caller's account, as
 *       K42's PPC does, until a scheduling event ends the donation; with {@code donate=false} the
 *       switch goes through the scheduler and the server pays.
 *   <li><b>Message registers.</b> A message's words and up to {@code mr-bytes} payload bytes travel in
 *       registers; a longer call payload is a "string item" copied by the kernel (counted). One-way
 *       sends carry registers only and use a zero timeout: if no server thread is waiting, {@code
 *       EBUSY} (L4: the send times out), and they have no completion ({@code receive}: {@code ENOTSUP}).
 * </ul>
 *
 * Deliberate differences from L4: no thread ids (a connection names an endpoint, not a thread), no
 * timeouts other than zero for sends, no map/grant items.
 */
public final class RendezvousProvider implements IpcProvider {
  /** Name on the command line. */
  public static final String NAME = "rendezvous";

  static final StrategyOption THREADS =
      StrategyOption.ofInt("threads", 1, 1, 64, "server threads per CPU of a service's placement");
  static final StrategyOption DONATE =
      StrategyOption.ofBoolean("donate", true, "the server runs on the caller's account (time-slice donation) until preempted");
  static final StrategyOption MR_BYTES =
      StrategyOption.ofInt("mr-bytes", 64, 0, 4096, "payload bytes carried in message registers (the one-way limit)");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "example (docs/STRATEGY-GUIDE.md): L4-style synchronous rendezvous, direct switch, message registers";
  }

  @Override
  public List<StrategyOption> options() {
    return List.of(THREADS, DONATE, MR_BYTES);
  }

  @Override
  public IpcSystem install(Machine machine) {
    return install(machine, StrategyOptions.defaults(this));
  }

  @Override
  public IpcSystem install(Machine machine, StrategyOptions options) {
    return new RendezvousSystem(
        machine, options.intValue(THREADS.name()), options.booleanValue(DONATE.name()), options.intValue(MR_BYTES.name()));
  }

  @Override
  public Optional<AccountingModel> accounting() {
    return accounting(StrategyOptions.defaults(this));
  }

  /** Donation: the caller pays until preempted (as K42's PPC); without it the server pays. */
  @Override
  public Optional<AccountingModel> accounting(StrategyOptions options) {
    return Optional.of(options.booleanValue(DONATE.name()) ? AccountingModel.CALLER_UNTIL_PREEMPTED : AccountingModel.SERVER_PAYS);
  }
}
