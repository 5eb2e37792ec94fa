package org.ipctestbed.experiments.testing;

import java.util.List;
import java.util.SplittableRandom;
import org.ipctestbed.experiments.workload.Measurements;
import org.ipctestbed.experiments.workload.Param;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadParams;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * A test-only workload ({@code test-rpc}), registered only in src/test/resources: {@code clients}
 * client fibers (one per CPU, round robin) call one server on CPU 0 {@code ops} times with {@code
 * bytes} of payload; the handler works {@code work-ns} plus a seeded jitter of up to half of it (so
 * repetitions differ). Then each client sends {@code sends} one-way messages, counting deposits and
 * EBUSY; the handler counts the one-way messages it runs as wake-ups. {@code fail-seed} makes the
 * repetition with that machine seed throw, to exercise failed runs; {@code error-seed} makes an IPI
 * handler of that repetition throw a {@link StackOverflowError} on the engine's own thread (outside
 * any fiber), as a broken engine would.
 *
 * <pre>
 *   client(cpu i) --call--> [queue] --> server(cpu 0): work(work-ns + jitter)
 * </pre>
 */
public final class EchoWorkload implements Workload {
  @Override
  public String name() {
    return "test-rpc";
  }

  @Override
  public String description() {
    return "test-only: clients call one server; optional one-way sends";
  }

  @Override
  public List<Param> params() {
    return List.of(
        new Param("ops", "200", "calls per client, 1..10^7"),
        new Param("bytes", "0", "request payload, 0..4096 bytes"),
        new Param("work-ns", "400", "handler work per call, ns"),
        new Param("clients", "1", "client fibers, 1..64"),
        new Param("sends", "0", "one-way sends per client after the calls"),
        new Param("fail-seed", "-1", "the machine seed whose repetition throws (-1: none)"),
        new Param("error-seed", "-1", "the machine seed whose repetition throws an Error outside a fiber (-1: none)"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    int ops = params.intValue("ops", 1, 10_000_000);
    int bytes = params.intValue("bytes", 0, 4096);
    long workNs = params.longValue("work-ns", 0, 1_000_000_000);
    int clients = params.intValue("clients", 1, 64);
    int sends = params.intValue("sends", 0, 1_000_000);
    long failSeed = params.longValue("fail-seed", -1, Long.MAX_VALUE);
    long errorSeed = params.longValue("error-seed", -1, Long.MAX_VALUE);
    if (machine.config().seed() == errorSeed) { // the preflight machine never runs, so it never fires there
      machine.cpu(0).post(cpu -> {
        throw new StackOverflowError();
      });
    }
    Measurements.LatencyRecorder lat = sink.latency("call");
    Measurements.Counter opsCounter = sink.counter("ops");
    Measurements.Counter deposits = sendsCounter(sink, sends, "deposits");
    Measurements.Counter ebusy = sendsCounter(sink, sends, "ebusy");
    Measurements.Counter wakeups = sendsCounter(sink, sends, "wakeups");
    if (sends > 0 && sink instanceof org.ipctestbed.experiments.harness.RunMeasurements rm) {
      rm.note("wakeups", "counted by the handler for each one-way message it runs");
    }
    Process server = machine.newProcess("server");
    SplittableRandom jitter = machine.random(1_000);
    Service svc = ipc.export(server, ServiceSpec.on("echo", 0), (self, req, reply) -> {
      if (req.op() == 2) {
        wakeups.increment();
        return Status.OK;
      }
      self.work(workNs + (workNs > 0 ? jitter.nextLong(workNs / 2 + 1) : 0));
      reply.length(0);
      return Status.OK;
    });
    for (int i = 0; i < clients; i++) {
      int cpu = i % machine.cpuCount();
      Process client = machine.newProcess("client");
      Connection c = ipc.connect(client, cpu, svc);
      IpcMessage req = new IpcMessage(4096);
      IpcMessage reply = new IpcMessage(4096);
      IpcMessage oneWay = new IpcMessage(48);
      client.spawn("client-" + i, cpu, self -> {
        if (machine.config().seed() == failSeed) {
          throw new IllegalStateException("test failure requested for seed " + failSeed);
        }
        req.op(1).length(bytes);
        for (int k = 0; k < ops; k++) {
          long t0 = self.now();
          int st = c.call(self, req, reply);
          lat.record(self.now() - t0);
          if (st != Status.OK) {
            throw new IllegalStateException("call failed: " + Status.name(st));
          }
          opsCounter.increment();
        }
        oneWay.op(2).length(8);
        for (int k = 0; k < sends; k++) {
          if (c.send(self, oneWay) == Status.EBUSY) {
            ebusy.increment();
            self.yieldCpu();
          } else {
            deposits.increment();
          }
        }
      });
    }
  }

  private static Measurements.Counter sendsCounter(Measurements sink, int sends, String name) {
    return sends > 0 ? sink.counter(name) : n -> {};
  }
}
