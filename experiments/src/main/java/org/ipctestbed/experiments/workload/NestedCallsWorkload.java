package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code nested-calls}: a call that travels through a chain of {@code depth} servers, each calling
 * the next from inside its handler, and the replies unwinding back.
 *
 * <pre>
 *   CPU 0: [client-0] --call--> [server-1] --call--> [server-2] --> ... --> [server-depth]
 *                     <-reply--            <-reply--            <-- ... <--
 * </pre>
 *
 * <p>All on CPU 0, the case K42 designed PPC for: each call pushes the callee on the CPU's borrow
 * chain, a ring of 8 entries, so a chain deeper than 7 wraps it and later returns take the slow path
 * (research/k42.md 3.2); LWKT runs each hop as a message to the next server's port. Metric {@code
 * call}: the client's end-to-end latency; counter {@code ops}.
 *
 * <p>Each intermediate server owns one connection to the next service and one pair of messages for
 * the nested call, allocated here, so the chain allocates nothing per call. They are not shared
 * between concurrent invocations, which is safe because one client drives the chain; a server whose
 * nested call fails returns that status to its caller, so the client sees the innermost failure.
 */
public final class NestedCallsWorkload implements Workload {
  /** Deepest chain: two wraps of K42's 8-entry borrow ring. */
  static final int MAX_DEPTH = 16;

  @Override
  public String name() {
    return "nested-calls";
  }

  @Override
  public String description() {
    return "a call through a chain of 'depth' servers, each calling the next";
  }

  @Override
  public List<Param> params() {
    return List.of(
        new Param("depth", "3", "servers in the chain, 1.." + MAX_DEPTH),
        StandardParams.ops(10_000, "end-to-end calls"),
        StandardParams.warmup(1_000, "end-to-end calls"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    int depth = params.intValue("depth", 1, MAX_DEPTH);
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    // Build from the innermost server outwards: each handler needs the connection to the next.
    Process innermost = machine.newProcess("server-" + depth);
    Service next = ipc.export(innermost, ServiceSpec.on("nested-" + depth, 0), RequestedWork.INSTANCE);
    for (int level = depth - 1; level >= 1; level--) {
      Process server = machine.newProcess("server-" + level);
      Connection onward = ipc.connect(server, 0, next);
      next = ipc.export(server, ServiceSpec.on("nested-" + level, 0), new Hop(onward));
    }
    Process client = machine.newProcess("client-0");
    Connection c = ipc.connect(client, 0, next);
    CallLoop loop =
        new CallLoop(
            "client-0", c, new IpcMessage(0).op(1), new IpcMessage(0), warmup, ops, sink.latency("call"),
            sink.counter("ops"), new Refusals(sink)).withWarmupBarrier(sink.warmupBarrier(1));
    client.spawn("client-0", 0, loop::run);
  }

  /** An intermediate server: forwards the call to the next server and answers with its reply. */
  private static final class Hop implements Handler {
    private final Connection onward;
    private final IpcMessage request = new IpcMessage(0);
    private final IpcMessage reply = new IpcMessage(0);

    Hop(Connection onward) {
      this.onward = onward;
    }

    @Override
    public int handle(Fiber self, IpcMessage in, IpcMessage out) {
      request.clear().op(in.op()).word(RequestedWork.SEQ_WORD, in.word(RequestedWork.SEQ_WORD));
      int st = onward.call(self, request, reply);
      out.op(in.op()).word(RequestedWork.SEQ_WORD, reply.word(RequestedWork.SEQ_WORD)).length(0);
      return st;
    }
  }
}
