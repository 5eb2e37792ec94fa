package org.ipctestbed.lwkt.spi;

import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.lwkt.ThreadPort;
import org.ipctestbed.substrate.Process;

/**
 * An exported service: its spec, its server process, and the thread port of its server thread on
 * each CPU of the placement ({@code null} on the other CPUs).
 */
final class LwktService implements Service {
  private final ServiceSpec spec;
  private final Process server;
  final ThreadPort[] portByCpu;

  LwktService(ServiceSpec spec, Process server, ThreadPort[] portByCpu) {
    this.spec = spec;
    this.server = server;
    this.portByCpu = portByCpu;
  }

  @Override
  public ServiceSpec spec() {
    return spec;
  }

  @Override
  public Process server() {
    return server;
  }

  /** The port a client on {@code clientCpu} sends to: its own CPU's if served there, else a serving CPU's. */
  ThreadPort portFor(int clientCpu) {
    ThreadPort local = portByCpu[clientCpu];
    if (local != null) {
      return local;
    }
    int[] cpus = spec.cpus();
    return portByCpu[cpus[clientCpu % cpus.length]];
  }

  @Override
  public String toString() {
    return "LWKT service " + spec + " of " + server;
  }
}
