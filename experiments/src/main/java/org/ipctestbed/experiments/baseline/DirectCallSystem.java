package org.ipctestbed.experiments.baseline;

import java.util.HashMap;
import java.util.Map;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * One installation of the {@link DirectCallProvider lower bound} on a machine: a table of exported
 * services, and connections that call their handlers directly. Exporting creates no fibers (nothing
 * serves: the caller does). Setup only; not for fiber hot paths, and not thread-safe: export and
 * connect before the machine runs, or from one fiber at a time.
 */
final class DirectCallSystem implements IpcSystem {
  private final Machine machine;
  private final Map<String, DirectCallService> services = new HashMap<>();

  DirectCallSystem(Machine machine) {
    this.machine = machine;
  }

  @Override
  public Machine machine() {
    return machine;
  }

  @Override
  public Service export(Process server, ServiceSpec spec, Handler handler) {
    if (server.machine() != machine) {
      throw new IllegalArgumentException(
          "service '" + spec.name() + "': server " + server + " belongs to another machine");
    }
    if (!server.isAlive()) {
      throw new IllegalArgumentException(
          "service '" + spec.name() + "': server " + server + " has been killed");
    }
    for (int cpu : spec.cpus()) {
      machine.cpu(cpu); // throws naming the valid range
    }
    if (services.containsKey(spec.name())) {
      throw new IllegalArgumentException("a service named '" + spec.name() + "' is already exported");
    }
    DirectCallService s = new DirectCallService(spec, server, handler);
    services.put(spec.name(), s);
    return s;
  }

  @Override
  public Connection connect(Process client, int clientCpu, Service service) {
    machine.cpu(clientCpu); // throws naming the valid range
    if (!(service instanceof DirectCallService s) || services.get(s.spec().name()) != s) {
      throw new IllegalArgumentException(
          "service " + service.spec().name() + " was not exported by this direct-call instance");
    }
    if (client.machine() != machine) {
      throw new IllegalArgumentException("client " + client + " belongs to another machine");
    }
    return new DirectCallConnection(s);
  }
}
