package org.ipctestbed.examples.rendezvous;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * One installation of the {@link RendezvousProvider rendezvous} strategy on a machine: its endpoints
 * by name, its options, and the counters it reports into the results ({@link #counters()}). Export and
 * connect are setup (they allocate); not thread-safe between themselves.
 */
final class RendezvousSystem implements IpcSystem {
  private final Machine machine;
  final int threads;
  final boolean donate;
  final int mrBytes;
  private final Map<String, Endpoint> endpoints = new HashMap<>();

  /** Calls that met a waiting server thread on the caller's CPU and switched to it directly. */
  final LongAdder directSwitches = new LongAdder();
  /** Calls that met a waiting server thread on another CPU (woken by an IPI). */
  final LongAdder crossCpuCalls = new LongAdder();
  /** Calls that found no server thread waiting and queued on the endpoint. */
  final LongAdder queuedCalls = new LongAdder();
  /** Calls whose payload did not fit the message registers: copied as a string item. */
  final LongAdder stringCopies = new LongAdder();
  /** Returns through the scheduler because a scheduling event had ended the donation. */
  final LongAdder slowReturns = new LongAdder();
  /** One-way sends refused with EBUSY: no server thread was waiting (zero timeout). */
  final LongAdder busySends = new LongAdder();

  RendezvousSystem(Machine machine, int threads, boolean donate, int mrBytes) {
    this.machine = machine;
    this.threads = threads;
    this.donate = donate;
    this.mrBytes = mrBytes;
  }

  @Override
  public Machine machine() {
    return machine;
  }

  @Override
  public Service export(Process server, ServiceSpec spec, Handler handler) {
    if (server.machine() != machine) {
      throw new IllegalArgumentException("service '" + spec.name() + "': server " + server + " belongs to another machine");
    }
    for (int cpu : spec.cpus()) {
      machine.cpu(cpu); // throws naming the valid range
    }
    if (endpoints.containsKey(spec.name())) {
      throw new IllegalArgumentException("a service named '" + spec.name() + "' is already exported");
    }
    Endpoint e = new Endpoint(this, server, spec, handler);
    endpoints.put(spec.name(), e);
    return e;
  }

  @Override
  public Connection connect(Process client, int clientCpu, Service service) {
    machine.cpu(clientCpu); // throws naming the valid range
    if (!(service instanceof Endpoint e) || endpoints.get(e.spec().name()) != e) {
      throw new IllegalArgumentException("service " + service.spec().name() + " was not exported by this rendezvous instance");
    }
    return new RendezvousConnection(e, e.newCall());
  }

  @Override
  public Map<String, Long> counters() {
    Map<String, Long> m = new TreeMap<>();
    m.put("direct-switches", directSwitches.sum());
    m.put("cross-cpu-calls", crossCpuCalls.sum());
    m.put("queued-calls", queuedCalls.sum());
    m.put("string-copies", stringCopies.sum());
    m.put("slow-returns", slowReturns.sum());
    m.put("busy-sends", busySends.sum());
    return m;
  }

  @Override
  public Map<String, String> notes() {
    return Map.of("options", "threads=" + threads + " per CPU, donate=" + donate + ", " + mrBytes
        + " bytes in message registers (longer call payloads are string copies; longer sends EMSGSIZE)");
  }
}
