package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code many-clients}: many clients on many CPUs calling one server process, which serves on the
 * first {@code server-cpus} CPUs; how latency and throughput scale with clients and with the
 * server's placement.
 *
 * <pre>
 *   CPU 0: [client-0] [client-n] ..  --+
 *   CPU 1: [client-1] ..               +--call--> [server] serving on CPUs 0 .. server-cpus-1
 *   CPU k: [client-k] ..             --+          (a client elsewhere is served remotely)
 * </pre>
 *
 * <p>Client {@code i} runs on CPU {@code i mod cpus} and makes {@code warmup} then {@code ops} empty
 * calls back to back (or thinking {@code think-ns} between them; each call asks for {@code work-ns}
 * of server work, both drawn from the client's own seeded stream). Metric {@code call} (all clients into one recorder); counter {@code ops}, the
 * measured calls of all clients.
 *
 * <p>Mapping: the placement asks the mechanism for a serving fiber on each of those CPUs. K42 system
 * servers create one dispatcher per CPU for this (research/k42.md 1.7); an LWKT port has one owner
 * thread, so a per-CPU server is one port per CPU, which the mechanism's export creates (issue 5). A
 * client on a CPU outside the placement takes the mechanism's cross-CPU path. The direct-call lower
 * bound ignores placement: every client runs the handler itself.
 */
public final class ManyClientsWorkload implements Workload {
  @Override
  public String name() {
    return "many-clients";
  }

  @Override
  public String description() {
    return "many clients on many CPUs calling one server served on 'server-cpus' CPUs";
  }

  @Override
  public List<Param> params() {
    return List.of(
        new Param("clients", "0", "client processes, spread round-robin over the CPUs; 0 = one per CPU, 0..4096"),
        StandardParams.ops(5_000, "calls per client"),
        StandardParams.warmup(500, "calls per client"),
        new Param("server-cpus", "1", "CPUs the server serves on (CPUs 0 .. n-1), 1..CPUs"),
        StandardParams.timeNs("work-ns", "0", "server work per call"),
        StandardParams.timeNs("think-ns", "0", "client think time after each call (sleeping)"),
        new Param("server-state", "none", "state every call updates: " + ServerObject.LAYOUTS
            + " (one object all CPUs write, or one replica per CPU)"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    int cpus = machine.cpuCount();
    int clients = params.intValue("clients", 0, 4096);
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    int serverCpus = params.intValue("server-cpus", 1, Integer.MAX_VALUE);
    if (serverCpus > cpus) {
      throw new IllegalArgumentException(
          "parameter 'server-cpus' must be in 1.." + cpus + " (this machine's CPUs), got " + serverCpus);
    }
    TimeDistribution work = StandardParams.timeNs(params, "work-ns");
    TimeDistribution think = StandardParams.timeNs(params, "think-ns");
    if (clients == 0) {
      clients = cpus;
    }
    Process server = machine.newProcess("server");
    Service service =
        ipc.export(server, new ServiceSpec("many", StandardParams.firstCpus(serverCpus), 64),
            ServerObject.of(params.text("server-state"), machine));
    Measurements.LatencyRecorder latency = sink.latency("call");
    Measurements.Counter opsCounter = sink.counter("ops");
    Refusals refusals = new Refusals(sink);
    WarmupBarrier barrier = clients > 0 ? sink.warmupBarrier(clients) : null;
    for (int i = 0; i < clients; i++) {
      String name = "client-" + i;
      int cpu = i % cpus;
      Process client = machine.newProcess(name);
      Connection c = ipc.connect(client, cpu, service);
      IpcMessage request = new IpcMessage(0).op(1);
      CallLoop loop = new CallLoop(name, c, request, new IpcMessage(0), warmup, ops, latency, opsCounter, refusals)
          .withTimes(work, think, machine.random(i))
          .withWarmupBarrier(barrier);
      client.spawn(name, cpu, loop::run);
    }
  }
}
