package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;

/**
 * A named, parameterised workload, written once against the IPC SPI and run by the harness against
 * every mechanism and engine (DESIGN.md, "Experiments"). Implementations carry, in their Javadoc, a
 * small ASCII diagram of their topology (the Disruptor habit, STYLE.md).
 *
 * <p>Contract: {@link #install} creates the workload's processes and fibers on a fresh, not yet
 * running machine, connects them through {@code ipc}, and obtains every recorder it needs from
 * {@code sink} up front; the fibers then record on the hot path without allocating. Non-daemon
 * fibers are the load generators: the run ends when they return. A workload draws randomness only
 * from {@link Machine#random(long)}.
 */
public interface Workload {
  /** Short name used on the command line and in results, e.g. {@code null-rpc}. */
  String name();

  /** One line for {@code list}. */
  String description();

  /** The parameters it understands, with defaults. */
  List<Param> params();

  /**
   * Builds the workload on {@code machine}.
   *
   * @throws IllegalArgumentException when a parameter value is invalid, naming it and the allowed values
   */
  void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink);

  /**
   * Published figures this workload's metrics should reproduce on some cost model (none by
   * default): the report shows them beside the measured values.
   */
  default List<PublishedFigure> published() {
    return List.of();
  }

  /**
   * Adjusts the machine a run of this workload gets, from its parameters (say the soft-preemption
   * warning deadline); the harness calls it before the machine is made. The default changes nothing.
   *
   * @throws IllegalArgumentException when a parameter value is invalid
   */
  default MachineConfig.Builder machine(MachineConfig.Builder machine, WorkloadParams params) {
    return machine;
  }
}
