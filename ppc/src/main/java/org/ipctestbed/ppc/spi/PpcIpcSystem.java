package org.ipctestbed.ppc.spi;

import java.util.concurrent.ConcurrentHashMap;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ppc.Dispatcher;
import org.ipctestbed.ppc.ObjectHandle;
import org.ipctestbed.ppc.PpcKernel;
import org.ipctestbed.ppc.PpcProcess;
import org.ipctestbed.ppc.XObject;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * K42 PPC as an {@link IpcSystem}. Export: the server process gets a dispatcher (with its entry
 * point) on each CPU of the placement, VP 0 on the first, and exports an {@link XObject} with one
 * method, number {@link #METHOD}, that runs the {@link Handler}; any process may call it. Connect: the
 * client process gets a dispatcher on the client CPU and an {@link ObjectHandle} with the wildcard VP,
 * so a client on a placement CPU takes the local fast path and any other client the remote path to VP
 * 0. Nothing here bypasses the native paths; see {@link PpcConnection} for the operations.
 */
public final class PpcIpcSystem implements IpcSystem {
  /** The method number of an exported service's handler. */
  public static final int METHOD = 0;

  private final PpcKernel kernel;
  private final ConcurrentHashMap<String, PpcService> services = new ConcurrentHashMap<>();

  PpcIpcSystem(Machine machine) {
    this.kernel = PpcKernel.install(machine);
  }

  /** The native PPC installation underneath. */
  public PpcKernel kernel() {
    return kernel;
  }

  @Override
  public Machine machine() {
    return kernel.machine();
  }

  @Override
  public Service export(Process server, ServiceSpec spec, Handler handler) {
    for (int cpu : spec.cpus()) {
      kernel.machine().cpu(cpu); // validates, naming the range
    }
    PpcProcess sp = kernel.process(server);
    for (int cpu : spec.cpus()) {
      Dispatcher d = sp.dispatcherOn(cpu);
      if (d == null) {
        sp.createDispatcher(cpu);
      } else if (!d.hasEntryPoint()) {
        d.setEntryPoint();
      }
    }
    XObject object =
        XObject.builder(spec.name())
            .method((self, caller, args, result) -> handler.handle(self, args, result))
            .universal(XObject.ALL)
            .build();
    PpcService s = new PpcService(spec, server, sp.handle(sp.export(object)));
    if (services.putIfAbsent(spec.name(), s) != null) {
      throw new IllegalArgumentException("service name '" + spec.name() + "' is already exported");
    }
    return s;
  }

  @Override
  public Connection connect(Process client, int clientCpu, Service service) {
    kernel.machine().cpu(clientCpu);
    if (!(service instanceof PpcService s) || services.get(s.spec().name()) != s) {
      throw new IllegalArgumentException("service " + service + " was not exported by this PPC instance");
    }
    PpcProcess cp = kernel.process(client);
    if (cp.dispatcherOn(clientCpu) == null) {
      cp.createDispatcher(clientCpu);
    }
    return new PpcConnection(cp, clientCpu, s);
  }

  /** An exported service: its spec, server process and the object handle clients call. */
  record PpcService(ServiceSpec spec, Process server, ObjectHandle handle) implements Service {}
}
