package org.ipctestbed.lwkt.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.lwkt.Lwkt;
import org.ipctestbed.lwkt.ThreadPort;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * LWKT message ports behind the IPC SPI: a thin layer over the native API that never bypasses it.
 *
 * <table>
 *   <caption>Mapping of the SPI onto LWKT</caption>
 *   <tr><th>SPI</th><th>LWKT</th></tr>
 *   <tr><td>{@code export(server, spec, handler)}</td><td>one server thread (daemon fiber of the
 *       server process) per CPU of the placement, owning a {@link ThreadPort}; its loop is
 *       {@code waitport}, run the handler on the message's own request copy, {@code replymsg} with
 *       the handler's status. Client and server are user processes, so each reaches the ports through
 *       a system call: one {@code TRAP} per call, send and receive on the client side and one per
 *       reply-and-wait on the server side; the switches to and from the server thread are normal
 *       dispatches, which pay an address-space switch between the two processes. The handler's CPU time is charged to the server's process (research/
 *       lwkt.md 4: no borrowing).</td></tr>
 *   <tr><td>{@code connect(client, cpu, service)}</td><td>the target is the server thread's port on
 *       the client's CPU if the service is served there, else the port of serving CPU
 *       {@code cpus[clientCpu % cpus.length]}: puts to it travel as IPIs, replies come back the same
 *       way. The connection has its own reply port (a thread port bound to the first fiber that
 *       uses it), one call message and a pool of {@value #DEFAULT_POOL} preallocated send messages.</td></tr>
 *   <tr><td>{@code call}</td><td>copy the request into the call message (charging {@code
 *       COPY_PER_BYTE}), {@code domsg}, copy the reply out (charging it again). {@code EMSGSIZE} above
 *       the service's {@code maxPayload}; {@code ENOSPC} if the reply does not fit the caller's
 *       message; {@code ESRCH} if the server process is dead.</td></tr>
 *   <tr><td>{@code send}</td><td>take a message from the pool ({@code EBUSY} when empty: back-pressure),
 *       copy the request into it, {@code sendmsg} with the connection's reply port; {@code
 *       EMSGSIZE}, {@code ESRCH} as for call.</td></tr>
 *   <tr><td>{@code receive}</td><td>take a reply off the reply port ({@code getport}, or {@code
 *       waitport} when asked to wait), copy it out with the handler's status, return the message to
 *       the pool. {@code EWOULDBLOCK} when nothing is there and either waiting was not asked for or
 *       nothing is outstanding.</td></tr>
 * </table>
 *
 * <p>Server death is the native API's (invariant 20, {@link ThreadPort}): when the server process
 * is killed, each server thread's port is inherited by an exit-path thread of the {@code lwkt-exit}
 * kernel process, which replies {@code ESRCH} to the request that was in service (unless it was
 * already replied) and to every request still queued or arriving later, as an OS's exit path answers
 * the requests a dead server held. Callers therefore get {@code OK} (served before the death) or
 * {@code ESRCH}, never a wait without end. Calls made after the kill get {@code ESRCH} at once.
 */
public final class LwktIpcSystem implements IpcSystem {
  /** Send messages preallocated per connection. */
  public static final int DEFAULT_POOL = 32;

  /** Smallest reply buffer of a message: one K42 PPC page, the SPI's default payload bound. */
  static final int MIN_REPLY_CAPACITY = 4072;

  private final Machine machine;
  private final int poolSize;
  private final Map<String, LwktService> services = new LinkedHashMap<>();

  public LwktIpcSystem(Machine machine) {
    this(machine, DEFAULT_POOL);
  }

  /** @param poolSize send messages per connection (the depth of its asynchronous window) */
  public LwktIpcSystem(Machine machine, int poolSize) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("the send pool needs at least one message, got " + poolSize);
    }
    this.machine = java.util.Objects.requireNonNull(machine, "machine");
    this.poolSize = poolSize;
  }

  @Override
  public Machine machine() {
    return machine;
  }

  @Override
  public Service export(Process server, ServiceSpec spec, Handler handler) {
    java.util.Objects.requireNonNull(handler, "handler");
    if (services.containsKey(spec.name())) {
      throw new IllegalArgumentException("a service named '" + spec.name() + "' is already exported");
    }
    if (server.machine() != machine) {
      throw new IllegalArgumentException(server + " belongs to another machine");
    }
    ThreadPort[] ports = new ThreadPort[machine.cpuCount()];
    for (int c : spec.cpus()) {
      machine.cpu(c); // validates the CPU, naming the range
      if (ports[c] != null) {
        throw new IllegalArgumentException("service '" + spec.name() + "' lists CPU " + c + " twice");
      }
      ports[c] = new ThreadPort(machine.cpu(c), spec.name() + "@cpu" + c);
    }
    for (int c : spec.cpus()) {
      ThreadPort port = ports[c];
      server.spawnDaemon(spec.name() + "@cpu" + c, c, self -> serve(self, port, handler));
    }
    LwktService s = new LwktService(spec, server, ports);
    services.put(spec.name(), s);
    return s;
  }

  /** A server thread: {@code waitport}, handle, {@code replymsg}, forever. */
  private static void serve(Fiber self, ThreadPort port, Handler handler) {
    port.bindOwner(self);
    while (true) {
      RpcMsg m = (RpcMsg) Lwkt.waitport(self, port, 0);
      int status = handler.handle(self, m.request, m.reply);
      self.charge(Cost.TRAP); // the user-level server replies and waits again in one system call
      Lwkt.replymsg(self, m, status);
    }
  }

  @Override
  public Connection connect(Process client, int clientCpu, Service service) {
    machine.cpu(clientCpu);
    if (!(service instanceof LwktService s) || services.get(s.spec().name()) != s) {
      throw new IllegalArgumentException(service + " was not exported by this LWKT instance");
    }
    return new LwktConnection(s, client, clientCpu, poolSize, Math.max(MIN_REPLY_CAPACITY, s.spec().maxPayload()));
  }
}
