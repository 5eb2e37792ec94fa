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
 * pass (see the README).
 */
public interface IpcProvider {
  /** Short name used on the command line and in results: {@code ppc}, {@code lwkt}, ... */
  String name();

  /** One line for {@code list}. */
  String description();

  /** Installs a fresh instance of the mechanism on {@code machine}. */
  IpcSystem install(Machine machine);

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
