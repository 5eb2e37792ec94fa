package org.ipctestbed.ipc;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.ipctestbed.substrate.Machine;

/**
 * An IPC strategy the harness can run: found by {@link #name()} through {@link ServiceLoader}
 * (DESIGN.md, "The IPC service-provider interface"). To add one, implement this interface, list the
 * class in {@code META-INF/services/org.ipctestbed.ipc.IpcProvider}, and make the conformance suite
 * pass (see the README and docs/STRATEGY-GUIDE.md, the author's guide).
 *
 * <p>What a strategy is charged for: its own named costs ({@code Fiber.charge}), and, implicitly, every
 * dispatch through the scheduler that its blocking and waking causes: a {@code block} followed by a
 * {@code wake}, or a {@code handoff} that does not keep the account, makes the CPU charge a scheduler
 * decision, a thread switch and, between processes, an address-space switch to the dispatched fiber.
 * A {@code handoff} that keeps the account and an {@code upcall} charge nothing (charge your switch
 * yourself); a cross-CPU {@code wake} costs the target CPU an interrupt and an IPI request, and the
 * simulated engine delivers it an IPI latency later. The
 * guide's table lists every primitive; {@code PrimitiveChargesProbeTest} measures it.
 */
public interface IpcProvider {
  /** Short name used on the command line and in results: {@code ppc}, {@code lwkt}, ... */
  String name();

  /** One line for {@code list}. */
  String description();

  /** Installs a fresh instance of the mechanism on {@code machine}. */
  IpcSystem install(Machine machine);

  /**
   * Who this strategy charges for synchronous service (see {@link AccountingModel}); the conformance
   * suite checks the ledger against it on both engines. The default, empty, declares nothing, and the
   * suite's accounting tests are skipped with a message saying so: declare it.
   */
  default java.util.Optional<AccountingModel> accounting() {
    return java.util.Optional.empty();
  }

  /**
   * The accounting model with {@code options}, for a strategy whose options change who pays (a
   * rendezvous that donates the caller's time slice or not). The default ignores the options.
   */
  default java.util.Optional<AccountingModel> accounting(StrategyOptions options) {
    return accounting();
  }

  /**
   * The options this strategy takes ({@code --ipc NAME:key=value,...}), listed by {@code testbed list}
   * with their types and defaults. The default: none.
   */
  default List<StrategyOption> options() {
    return List.of();
  }

  /**
   * Installs a fresh instance configured with {@code options} (already checked against {@link
   * #options()}). A strategy with options overrides this; the default, for one without, installs
   * {@link #install(Machine)}.
   */
  default IpcSystem install(Machine machine, StrategyOptions options) {
    return install(machine);
  }

  /**
   * The scheduler policy of the operating system this strategy comes from ({@code
   * SchedulerPolicy.named} accepts it), used when an experiment runs with {@code --policy native}.
   * The default is {@code proportional-share}, the harness's default policy: a strategy that does not
   * say runs on it.
   */
  default String nativePolicy() {
    return "proportional-share";
  }

  /** Every provider on the class path, sorted by name. */
  static List<IpcProvider> all() {
    List<IpcProvider> out = new ArrayList<>();
    ServiceLoader.load(IpcProvider.class).forEach(out::add);
    out.sort(java.util.Comparator.comparing(IpcProvider::name));
    return out;
  }

  /**
   * The provider called {@code name}.
   *
   * @throws IllegalArgumentException naming the available providers when there is none by that name
   */
  static IpcProvider named(String name) {
    List<IpcProvider> all = all();
    for (IpcProvider p : all) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown IPC strategy '" + name + "'; available: "
            + all.stream().map(IpcProvider::name).collect(Collectors.joining(", ")));
  }
}
