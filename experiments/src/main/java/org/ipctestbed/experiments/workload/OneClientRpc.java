package org.ipctestbed.experiments.workload;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * The topology of {@code null-rpc} and {@code payload-sweep}: one client on CPU 0 calling a {@link
 * RequestedWork} server placed by {@link Placement}, in a {@link CallLoop}. The two workloads differ
 * only in the request's payload and the server's work. After its last call the client notes ({@code
 * served-on}) on which CPUs the mechanism actually ran the handler.
 */
final class OneClientRpc {
  private OneClientRpc() {}

  /** Largest request the service accepts: the payload sweep's top (4 KiB). */
  static final int MAX_PAYLOAD = 4096;

  static void install(
      Machine machine,
      IpcSystem ipc,
      Measurements sink,
      Placement placement,
      int bytes,
      long workNs,
      long warmup,
      long ops) {
    install(machine, ipc, sink, placement, bytes, TimeDistribution.constant(workNs), warmup, ops);
  }

  /** As above, each call's server work drawn from {@code work} (client 0's stream). */
  static void install(
      Machine machine,
      IpcSystem ipc,
      Measurements sink,
      Placement placement,
      int bytes,
      TimeDistribution work,
      long warmup,
      long ops) {
    long workNs = work.isConstant() ? (long) work.mean() : 0;
    Process server = machine.newProcess("server");
    int serverCpu = placement.serverCpu();
    ServedOn servedOn = new ServedOn(RequestedWork.INSTANCE, machine.cpuCount());
    Service service = ipc.export(server, new ServiceSpec("rpc", new int[] {serverCpu}, MAX_PAYLOAD), servedOn);
    Process client = machine.newProcess("client-0");
    Connection c = ipc.connect(client, 0, service);
    IpcMessage request = new IpcMessage(bytes);
    request.op(1).word(RequestedWork.WORK_WORD, workNs).length(bytes);
    byte[] p = request.payload();
    for (int i = 0; i < bytes; i++) {
      p[i] = (byte) i;
    }
    CallLoop loop =
        new CallLoop(
            "client-0", c, request, new IpcMessage(0), warmup, ops, sink.latency("call"), sink.counter("ops"),
            new Refusals(sink)).withWarmupBarrier(sink.warmupBarrier(1));
    if (!work.isConstant()) {
      loop.withTimes(work, null, machine.random(0));
    }
    client.spawn("client-0", 0, self -> {
      loop.run(self);
      sink.note("served-on", servedOn.describe(serverCpu));
    });
  }
}
