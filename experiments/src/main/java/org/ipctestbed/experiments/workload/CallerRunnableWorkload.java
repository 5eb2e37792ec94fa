package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code caller-runnable}: K42's claim that during a synchronous PPC the calling process's other
 * threads keep running (research/k42.md 1.4: the caller's dispatcher is left clean and "can be
 * rescheduled (perhaps to run another thread) if the call happens to block in the called process"),
 * against a design where the whole process waits for the reply (K42's primitive PPC, k42.md 1.8, or a
 * many-to-one thread package over a blocking call).
 *
 * <pre>
 *   CPU 0: [app]    caller thread:  call --(server blocks block-ns)--> [server]   (ops times)
 *                   sibling thread: units of unit-ns of its own work, back to back, counted
 * </pre>
 *
 * <p>The server blocks (a device wait) for {@code block-ns} per call, so the CPU has time to give
 * while the call is outstanding. With {@code process-waits=no} the mechanism decides who gets it; with
 * {@code process-waits=yes} the workload holds the sibling while a call is outstanding (it finishes the
 * unit in progress, then blocks until the caller's reply wakes it): the baseline in which the whole
 * process waits, modelled here because no strategy implements a primitive PPC.
 *
 * <p>Metric {@code call} (the calls' latencies); counters {@code ops}, {@code in-call-ns} (the measured
 * calls' total duration) and {@code sibling-units-in-call} (units the sibling finished while a measured
 * call was outstanding). The sibling's progress during calls is {@code sibling-units-in-call x unit-ns /
 * in-call-ns}: near 1 when the process stays runnable, near 0 when it waits.
 */
public final class CallerRunnableWorkload implements Workload {
  @Override
  public String name() {
    return "caller-runnable";
  }

  @Override
  public String description() {
    return "a sibling thread's progress while another thread of its process waits in a synchronous call to a blocking server";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(200, "calls"),
        StandardParams.warmup(10, "calls"),
        StandardParams.workNs("block-ns", 200_000, "how long the server blocks per call"),
        StandardParams.workNs("unit-ns", 1_000, "one unit of the sibling thread's own work"),
        new Param("process-waits", "no", "yes: the whole process waits during a call (the workload holds the sibling); no: the mechanism decides"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    long blockNs = StandardParams.workNs(params, "block-ns");
    long unitNs = StandardParams.workNs(params, "unit-ns");
    if (unitNs <= 0) {
      throw new IllegalArgumentException("caller-runnable: unit-ns must be > 0, got " + unitNs);
    }
    String waits = params.text("process-waits");
    if (!waits.equals("yes") && !waits.equals("no")) {
      throw new IllegalArgumentException("caller-runnable: process-waits must be yes or no, got '" + waits + "'");
    }
    State s = new State(waits.equals("yes"), unitNs, sink.counter("sibling-units-in-call"));
    Process server = machine.newProcess("server");
    Service service = ipc.export(server, ServiceSpec.on("blocking", 0), BLOCKING);
    Process app = machine.newProcess("app");
    Connection c = ipc.connect(app, 0, service);
    s.sibling = app.spawnDaemon("sibling", 0, s::siblingLoop);
    Measurements.LatencyRecorder latency = sink.latency("call");
    Measurements.Counter opsCounter = sink.counter("ops");
    Measurements.Counter inCallNs = sink.counter("in-call-ns");
    WarmupBarrier barrier = sink.warmupBarrier(1);
    IpcMessage request = new IpcMessage(0).op(1).word(RequestedWork.WORK_WORD, blockNs);
    IpcMessage reply = new IpcMessage(0);
    app.spawn("caller", 0, self -> {
      for (long i = 0; i < warmup + ops; i++) {
        if (i == warmup) {
          barrier.arrive(self);
        }
        boolean measured = i >= warmup;
        s.measured = measured;
        s.inCall = true;
        long t0 = self.now();
        int st = c.call(self, request, reply);
        long t1 = self.now();
        s.inCall = false;
        if (s.siblingHeld) {
          s.siblingHeld = false;
          s.sibling.wake();
        }
        if (st != Status.OK) {
          throw new IllegalStateException("caller: call " + i + " returned " + Status.name(st));
        }
        if (measured) {
          latency.record(t1 - t0);
          opsCounter.increment();
          inCallNs.add(t1 - t0);
        }
      }
    });
  }

  /** What the caller and the sibling share (one CPU: the substrate runs one of them at a time). */
  private static final class State {
    final boolean processWaits;
    final long unitNs;
    final Measurements.Counter unitsInCall;
    volatile Fiber sibling;
    volatile boolean inCall;
    volatile boolean measured;
    volatile boolean siblingHeld;

    State(boolean processWaits, long unitNs, Measurements.Counter unitsInCall) {
      this.processWaits = processWaits;
      this.unitNs = unitNs;
      this.unitsInCall = unitsInCall;
    }

    void siblingLoop(Fiber self) {
      while (true) {
        if (processWaits && inCall) {
          siblingHeld = true;
          self.block("the whole process waits for the reply");
          continue;
        }
        self.work(unitNs);
        if (inCall && measured) {
          unitsInCall.increment();
        }
      }
    }
  }

  /** The server: blocks for the request's {@link RequestedWork#WORK_WORD} nanoseconds, then answers. */
  private static final Handler BLOCKING = (self, request, reply) -> {
    long ns = request.word(RequestedWork.WORK_WORD);
    if (ns > 0) {
      self.sleep(ns);
    }
    reply.op(request.op()).length(0);
    return Status.OK;
  };
}
