package org.ipctestbed.ipc;

import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * One mechanism installed on one {@link Machine}: exports services and connects clients to them.
 * Setup calls ({@link #export}, {@link #connect}) may allocate and may be made before the machine
 * runs or from a fiber; the {@link Connection} they return is the hot path.
 */
public interface IpcSystem {
  /** The machine this instance runs on. */
  Machine machine();

  /**
   * Exports {@code handler} from {@code server} as the service {@code spec}: the mechanism creates
   * the serving fibers (daemons) it needs on the CPUs of the placement.
   *
   * @throws IllegalArgumentException if the name is taken or a CPU does not exist
   */
  Service export(Process server, ServiceSpec spec, Handler handler);

  /**
   * A connection for a client fiber of {@code client} that runs on CPU {@code clientCpu}.
   *
   * @throws IllegalArgumentException if the CPU does not exist
   */
  Connection connect(Process client, int clientCpu, Service service);

  /**
   * The strategy's own counters after a run (say {@code direct-switches}, {@code queued-calls}),
   * written into the results as {@code strategy.NAME} counters beside the workload's. Read once, after
   * the machine has stopped. Names: letters, digits, '.', '_' or '-'. The default: none.
   */
  default java.util.Map<String, Long> counters() {
    return java.util.Map.of();
  }

  /**
   * The strategy's notes on a run (how it mapped the workload, what it refused), written with the
   * workload's notes into metadata.json and report.md. Read once, after the run. The default: none.
   */
  default java.util.Map<String, String> notes() {
    return java.util.Map.of();
  }
}
