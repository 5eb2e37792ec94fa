package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Machine;

/**
 * {@code payload-sweep}: how call latency grows with the request's size, one point per run (the
 * harness sweeps {@code bytes} from 0 to 4096).
 *
 * <pre>
 *   CPU 0: [client-0] --call(bytes)--> [server]   (or the server on CPU 1: placement=cross-cpu)
 *                     <--reply(0)----
 * </pre>
 *
 * <p>The request carries {@code bytes} of payload, the reply none, so the figure isolates one
 * direction of copying (file-server-read measures the other). The server does no work. Metric {@code
 * call}; counter {@code ops}.
 *
 * <p>Mapping: a mechanism that carries fewer bytes than asked (K42's PPC page holds 4072,
 * research/k42.md 1.9) refuses the first call with {@code ENOSPC}/{@code EMSGSIZE}; the run then
 * records {@code refused} = 1, a note saying so, and no latency, rather than measuring a smaller
 * message.
 */
public final class PayloadSweepWorkload implements Workload {
  @Override
  public String name() {
    return "payload-sweep";
  }

  @Override
  public String description() {
    return "one client, one server, synchronous calls carrying a request payload of 'bytes'";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(20_000, "calls"),
        StandardParams.warmup(2_000, "calls"),
        new Param("bytes", "64", "request payload per call, bytes, 0.." + OneClientRpc.MAX_PAYLOAD),
        Placement.DECLARATION);
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    int bytes = params.intValue("bytes", 0, OneClientRpc.MAX_PAYLOAD);
    Placement placement = Placement.of(params, machine);
    OneClientRpc.install(machine, ipc, sink, placement, bytes, 0, warmup, ops);
  }
}
