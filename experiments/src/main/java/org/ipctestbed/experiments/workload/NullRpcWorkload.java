package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Machine;

/**
 * {@code null-rpc}: the cost of one synchronous call that carries nothing, the figure every IPC
 * paper opens with (research/anchors.md).
 *
 * <pre>
 *   same-cpu:   CPU 0: [client-0] --call--> [server]      (K42: hand-off on one CPU, 1.2)
 *                                 <--reply--
 *   cross-cpu:  CPU 0: [client-0] --call--> CPU 1: [server]  (K42: remote PPC, 1.7; LWKT: IPI, 4)
 *                                 <--reply--
 * </pre>
 *
 * <p>The client makes {@code warmup} then {@code ops} calls back to back with an empty payload; the
 * server does {@code work-ns} of its own work per call and replies. Metric {@code call}: the latency
 * of each measured call on the machine's clock; counter {@code ops}. The ledger says who was charged
 * for the server's work (the caller under K42's borrowed domain, the server under LWKT).
 *
 * <p>Mapping: a mechanism without a cross-CPU path (the direct-call lower bound) runs the handler on
 * the caller's CPU whatever the placement, so its cross-cpu figure equals its same-cpu one; the note
 * {@code served-on} says on which CPUs the handler really ran.
 */
public final class NullRpcWorkload implements Workload {
  @Override
  public String name() {
    return "null-rpc";
  }

  @Override
  public String description() {
    return "one client, one server, empty synchronous calls, same or cross CPU";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(20_000, "calls"),
        StandardParams.warmup(2_000, "calls"),
        Placement.DECLARATION,
        StandardParams.timeNs("work-ns", "0", "server work per call"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    Placement placement = Placement.of(params, machine);
    TimeDistribution work = StandardParams.timeNs(params, "work-ns");
    OneClientRpc.install(machine, ipc, sink, placement, 0, work, warmup, ops);
  }
}
