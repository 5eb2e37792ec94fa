package org.ipctestbed.experiments.workload;

import java.util.List;
import java.util.SplittableRandom;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code open-loop}: calls arrive at an offered rate, Poisson, whatever the server does; latency is
 * measured from each call's <em>intended</em> start, so a call that had to wait for a free client
 * (because earlier calls were slow) counts its wait: no coordinated omission (research/anchors.md
 * C.2; issue 12, "Open-loop load"). Sweep {@code rate} to get the latency-versus-load curve up to
 * saturation.
 *
 * <pre>
 *   arrivals t1 < t2 < ... (Poisson, 'rate' per second, one seeded stream)
 *        |  taken in order by whichever of 'clients' issuers is free
 *   CPU 0: [issuer-0] [issuer-1] .. [issuer-c]  --call-->  [server] on CPU 0 (same-cpu) or CPU 1 (cross-cpu)
 *        latency "call" = reply time - t_k (intended); "service" = reply time - actual start
 * </pre>
 *
 * <p>The issuers are a pool of synchronous callers (the SPI's call is synchronous), all on CPU 0 so
 * that the shared arrival schedule needs no lock on the real engine (one carrier runs them). When all
 * of them are busy, arrivals queue in the schedule and their wait shows in {@code call}: past
 * saturation latency grows with the run, as it must in an open system. Counter {@code late}: calls
 * that started after their intended time.
 */
public final class OpenLoopWorkload implements Workload {
  /** Largest offered rate: one call per nanosecond would be meaningless on any engine. */
  static final long MAX_RATE = 1_000_000_000L;

  @Override
  public String name() {
    return "open-loop";
  }

  @Override
  public String description() {
    return "calls arriving at an offered 'rate' (Poisson), latency from the intended start (no coordinated omission)";
  }

  @Override
  public List<Param> params() {
    return List.of(
        new Param("rate", "200000", "offered calls per second, Poisson arrivals, 1.." + MAX_RATE),
        StandardParams.ops(20_000, "calls (arrivals)"),
        StandardParams.warmup(2_000, "calls (arrivals)"),
        Placement.DECLARATION,
        new Param("clients", "16", "issuers that can have a call outstanding at once (all on CPU 0), 1..1024"),
        StandardParams.timeNs("work-ns", "0", "server work per call"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long rate = params.longValue("rate", 1, MAX_RATE);
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    Placement placement = Placement.of(params, machine);
    int clients = params.intValue("clients", 1, 1024);
    TimeDistribution work = StandardParams.timeNs(params, "work-ns");
    Process server = machine.newProcess("server");
    Service service = ipc.export(server, new ServiceSpec("open-loop", new int[] {placement.serverCpu()}, 64),
        RequestedWork.INSTANCE);
    Schedule schedule = new Schedule(machine.random(1_000_003), 1e9 / rate, warmup + ops);
    Measurements.LatencyRecorder latency = sink.latency("call");
    Measurements.LatencyRecorder serviceLatency = sink.latency("service");
    Measurements.Counter opsCounter = sink.counter("ops");
    Measurements.Counter late = sink.counter("late");
    for (int i = 0; i < clients; i++) {
      String name = "issuer-" + i;
      Process p = machine.newProcess(name);
      Connection c = ipc.connect(p, 0, service);
      IpcMessage request = new IpcMessage(0).op(1);
      IpcMessage reply = new IpcMessage(0);
      SplittableRandom rng = machine.random(i);
      p.spawn(name, 0, self -> issue(self, name, c, request, reply, schedule, warmup, work, rng, latency, serviceLatency,
          opsCounter, late));
    }
    sink.note("open-loop", clients + " issuers on CPU 0; latency 'call' from the intended (Poisson) start time, 'service' from the actual start");
  }

  private static void issue(Fiber self, String who, Connection c, IpcMessage request, IpcMessage reply, Schedule s,
      long warmup, TimeDistribution work, SplittableRandom rng, Measurements.LatencyRecorder latency,
      Measurements.LatencyRecorder serviceLatency, Measurements.Counter ops, Measurements.Counter late) {
    while (true) {
      long k = s.next;
      if (k >= s.total) {
        return;
      }
      s.next++;
      long now = self.now();
      long intended = s.nextArrival(now);
      if (intended > now) {
        self.sleep(intended - now);
      }
      request.word(RequestedWork.SEQ_WORD, k);
      request.word(RequestedWork.WORK_WORD, work.draw(rng));
      long start = self.now();
      int st = c.call(self, request, reply);
      long end = self.now();
      if (st != Status.OK) {
        throw new IllegalStateException(who + ": call " + k + " returned " + Status.name(st));
      }
      if (k >= warmup) {
        latency.record(end - intended);
        serviceLatency.record(end - start);
        ops.increment();
        if (start > intended) {
          late.increment();
        }
      }
    }
  }

  /**
   * The arrival times, drawn in order from one seeded stream, so the k-th arrival's time does not
   * depend on which issuer takes it. Used by fibers of one CPU only.
   */
  private static final class Schedule {
    private final SplittableRandom rng;
    private final double meanGapNs;
    final long total;
    long next;
    private double t = Double.NaN;

    Schedule(SplittableRandom rng, double meanGapNs, long total) {
      this.rng = rng;
      this.meanGapNs = meanGapNs;
      this.total = total;
    }

    /** The next arrival time; the first issuer to ask starts the clock at {@code now}. */
    long nextArrival(long now) {
      if (Double.isNaN(t)) {
        t = now;
      }
      t += meanGapNs * rng.nextExponential();
      return Math.round(t);
    }
  }
}
