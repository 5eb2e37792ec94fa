package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;

/**
 * {@code preemption-soft-hard}: the claim that K42's soft preemption is cheaper than hard preemption
 * (research/k42.md 4.4, invariant 15), both in what a preemption costs and in how long a PPC that
 * arrives at a preempted server waits.
 *
 * <pre>
 *   CPU 0: [server]      compute thread: stretches of section-ns with no safe point (a disabled
 *                        dispatcher, critEnter/critExit), back to back, never blocks
 *          [competitor]  CPU-bound, same class
 *          [client-0]    sleep gap-ns, then call --(empty request)--> [server]
 *   every process: quantum = quantum-ns; the machine's warning deadline = warning-ns
 * </pre>
 *
 * <p>When the client wakes, or a quantum ends with a competitor runnable, the kernel warns the
 * running thread (a soft preemption with a deadline {@code warning-ns} away). A server whose stretches
 * are shorter than the deadline reaches a safe point in time and yields: a soft preemption, the state
 * saved at user level, and its dispatcher keeps accepting calls. Stretches longer than the deadline
 * are stopped by the kernel: a hard preemption, the full context saved by the kernel, and (in K42)
 * the dispatcher disabled, so the client's call is refused and retried once the server has run again.
 *
 * <p>Metric {@code call} (latency of the client's call, measured from its start); counters {@code
 * ops}, {@code server-soft-preemptions} and {@code server-hard-preemptions} (the server compute
 * thread's), and {@code preemption-save-ns} (what the named saves {@code SOFT_PREEMPT_SAVE} and {@code
 * HARD_PREEMPT_SAVE} cost on the simulated engine; only two-level processes, i.e. {@code ppc}, pay
 * them, one-level mechanisms pay only the kernel dispatch for a preemption).
 */
public final class PreemptionSoftHardWorkload implements Workload {
  @Override
  public String name() {
    return "preemption-soft-hard";
  }

  @Override
  public String description() {
    return "calls to a server that is preempted softly (yields before the warning deadline) or hard (stopped past it)";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(200, "calls"),
        StandardParams.warmup(10, "calls"),
        StandardParams.workNs("section-ns", 50_000, "the server's longest stretch without a safe point"),
        StandardParams.workNs("gap-ns", 300_000, "client pause before each call"),
        StandardParams.quantum(),
        new Param("warning-ns", "100000", "the soft-preemption warning deadline of the machine, ns, 1.." + StandardParams.MAX_WORK_NS));
  }

  /** The warning deadline is the machine's ({@code MachineConfig.preemptGraceNs}). */
  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder machine, WorkloadParams params) {
    return machine.preemptGraceNs(params.longValue("warning-ns", 1, StandardParams.MAX_WORK_NS));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    long section = Math.max(1, StandardParams.workNs(params, "section-ns"));
    long gap = StandardParams.workNs(params, "gap-ns");
    long quantumNs = StandardParams.quantumNs(params);
    params.longValue("warning-ns", 1, StandardParams.MAX_WORK_NS); // validated here too
    int cls = Process.DEFAULT_PRIORITY_CLASS;

    Process server = machine.newProcess("server", cls, 1024, quantumNs);
    Service service = ipc.export(server, ServiceSpec.on("preempted", 0), RequestedWork.INSTANCE);
    Fiber compute = server.spawnDaemon("server-compute", 0, self -> {
      while (true) {
        self.critEnter();
        self.work(section);
        self.critExit(); // the only safe point
      }
    });

    StandardParams.competitor(machine, quantumNs);

    Process client = machine.newProcess("client-0", cls, 1024, quantumNs);
    Connection connection = ipc.connect(client, 0, service);
    Measurements.LatencyRecorder latency = sink.latency("call");
    Measurements.Counter opsCounter = sink.counter("ops");
    Measurements.Counter soft = sink.counter("server-soft-preemptions");
    Measurements.Counter hard = sink.counter("server-hard-preemptions");
    Measurements.Counter saveNs = sink.counter("preemption-save-ns");
    IpcMessage request = new IpcMessage(0).op(1).word(RequestedWork.WORK_WORD, 0);
    IpcMessage reply = new IpcMessage(0);
    client.spawn("client-0", 0, self -> {
      for (long i = 0; i < warmup + ops; i++) {
        self.sleep(gap);
        request.word(RequestedWork.SEQ_WORD, i);
        long t0 = self.now();
        int st = connection.call(self, request, reply);
        long t1 = self.now();
        if (st != Status.OK) {
          throw new IllegalStateException("client-0: call " + i + " returned " + Status.name(st));
        }
        if (i >= warmup) {
          latency.record(t1 - t0);
          opsCounter.increment();
        }
      }
      // One CPU: its tallies and the compute thread's counters are exact here.
      soft.add(compute.softPreemptions());
      hard.add(compute.hardPreemptions());
      saveNs.add(machine.ledger().costNs(Cost.SOFT_PREEMPT_SAVE) + machine.ledger().costNs(Cost.HARD_PREEMPT_SAVE));
    });
  }
}
