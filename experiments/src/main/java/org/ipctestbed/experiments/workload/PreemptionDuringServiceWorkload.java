package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code preemption-during-service}: calls whose service outlasts the quantum, on a CPU shared with a
 * CPU-bound competitor, so that the scheduler notices every call in the middle of its service.
 *
 * <pre>
 *   CPU 0: [client-0] --call(service-ns)--> [server]
 *          [competitor]  (CPU-bound, never blocks)
 *   every process: quantum = quantum-ns < service-ns
 * </pre>
 *
 * <p>The client makes {@code warmup} then {@code ops} calls, each asking for {@code service-ns} of
 * server work. K42 (research/k42.md 3.1 (c), 3.2; invariant 8): the call starts in the client's
 * borrowed domain; the quantum expiry during service ends the borrowing, the rest of the service is
 * charged to the server and competes with the competitor at the server's own share, and the reply
 * waits until the client is dispatched in its own right. LWKT: the server thread is charged as itself
 * throughout and round-robins with the competitor. Metric {@code call}; counter {@code ops}; the
 * ledger shows the split of the service time between client and server.
 */
public final class PreemptionDuringServiceWorkload implements Workload {
  @Override
  public String name() {
    return "preemption-during-service";
  }

  @Override
  public String description() {
    return "calls whose service outlasts the quantum, beside a CPU-bound competitor on the same CPU";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(200, "calls"),
        StandardParams.warmup(10, "calls"),
        StandardParams.workNs("service-ns", 3_000_000, "server work per call (longer than the quantum)"),
        StandardParams.quantum());
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    long serviceNs = StandardParams.workNs(params, "service-ns");
    long quantumNs = StandardParams.quantumNs(params);
    int cls = Process.DEFAULT_PRIORITY_CLASS;
    Process server = machine.newProcess("server", cls, 1024, quantumNs);
    Service service = ipc.export(server, ServiceSpec.on("slow", 0), RequestedWork.INSTANCE);

    StandardParams.competitor(machine, quantumNs);

    Process client = machine.newProcess("client-0", cls, 1024, quantumNs);
    IpcMessage request = new IpcMessage(0).op(1).word(RequestedWork.WORK_WORD, serviceNs);
    CallLoop loop =
        new CallLoop(
            "client-0", ipc.connect(client, 0, service), request, new IpcMessage(0), warmup, ops,
            sink.latency("call"), sink.counter("ops"), new Refusals(sink)).withWarmupBarrier(sink.warmupBarrier(1));
    client.spawn("client-0", 0, loop::run);
  }
}
