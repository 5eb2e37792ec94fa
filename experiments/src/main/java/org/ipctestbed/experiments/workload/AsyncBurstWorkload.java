package org.ipctestbed.experiments.workload;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@code async-burst}: bursts of one-way sends to a slower consumer, and the back-pressure that
 * follows (research/k42.md 2.5, invariants 10-11; research/lwkt.md 2, {@code sendmsg}).
 *
 * <pre>
 *   CPU 0: [producer] --send x burst--> (mechanism's buffer / port queue) --> [consumer]
 *             ^   EBUSY: back off, retry the same message          work(consumer-work-ns) each
 *             +-- completions (where the mechanism has them) ------------+
 * </pre>
 *
 * <p>The producer sends {@code bursts} bursts of {@code burst} messages of {@code bytes} payload,
 * back to back. A send refused with {@code EBUSY} is counted and retried after a back-off that
 * starts at one message's service time and doubles (to 64x) while refusals continue, as K42's own
 * senders do (research/k42.md 2.5, {@code FRPA.C}). Between bursts the producer waits for the burst
 * to be consumed: it receives the burst's completions where the mechanism delivers them, and
 * otherwise sleeps for {@code 2 x burst x consumer-work-ns} (open loop, {@link #OPEN_LOOP_SLACK}); the
 * note {@code completions} says which. Latency {@code send}: the time a send that was accepted held the producer. Counters
 * {@code deposits} (accepted sends, also {@code ops}), {@code ebusy} (refusals) and {@code wakeups}.
 *
 * <p>{@code wakeups} is inferred, because the SPI does not expose a mechanism's wake-ups: it counts
 * the consumer's handler invocations that began after the consumer had handled every message offered
 * so far, i.e. after it must have gone idle and been woken. A K42 burst should give one per burst
 * (invariant 11), a mechanism that runs each send at once (the direct-call lower bound) one per
 * message. In the real engine a send racing with the end of a handler can be misclassified.
 *
 * <p>Mapping: a mechanism whose one-way sends carry fewer than {@code bytes} bytes (K42: 48) is
 * refused at install with a message naming its limit; a mechanism without completions (K42 async PPC
 * returns nothing to the sender) is paced open-loop as above.
 */
public final class AsyncBurstWorkload implements Workload {
  /** Largest back-off, in multiples of the first one. */
  static final int MAX_BACKOFF_FACTOR = 64;

  /**
   * How many times a burst's service time ({@code burst x consumer-work-ns}) a producer without
   * completions sleeps between bursts: twice, so that the consumer, which also pays the mechanism's
   * own costs per message, has drained the burst and gone idle before the next one, and the next
   * burst's first send must wake it (the transition invariant 11 is about). Paced at exactly the
   * consumer's capacity (the factor was 1 before) the consumer never caught up, was
   * never idle when a burst began, and ppc showed 0.015 wake-ups per burst at K = 8: coalescing
   * across bursts by an overloaded receiver, not the coalescing within a burst the claim is about.
   */
  static final int OPEN_LOOP_SLACK = 2;

  @Override
  public String name() {
    return "async-burst";
  }

  @Override
  public String description() {
    return "bursts of one-way sends to a slower consumer: deposits, EBUSY back-pressure, wake-ups";
  }

  @Override
  public List<Param> params() {
    return List.of(
        new Param("bursts", "200", "bursts, 1.." + StandardParams.MAX_OPS),
        new Param("burst", "32", "sends per burst, 1..65536"),
        StandardParams.workNs("consumer-work-ns", 500, "consumer work per message"),
        new Param("bytes", "32", "payload per send, bytes, 0..4096 and at most the mechanism's one-way limit"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long bursts = params.longValue("bursts", 1, StandardParams.MAX_OPS);
    int burst = params.intValue("burst", 1, 65_536);
    long consumerNs = StandardParams.workNs(params, "consumer-work-ns");
    int bytes = params.intValue("bytes", 0, 4096);

    AtomicLong offered = new AtomicLong();
    Consumer consumer = new Consumer(consumerNs, offered, sink.counter("wakeups"));
    Process consumerProcess = machine.newProcess("consumer");
    Service service = ipc.export(consumerProcess, new ServiceSpec("sink", new int[] {0}, 4096), consumer);
    Process producer = machine.newProcess("producer");
    Connection c = ipc.connect(producer, 0, service);
    if (bytes > c.maxSendPayload()) {
      throw new IllegalArgumentException(
          "parameter 'bytes' of workload 'async-burst' is " + bytes + ", but this mechanism's one-way sends carry at most "
              + c.maxSendPayload() + " bytes");
    }
    Measurements.LatencyRecorder sendLatency = sink.latency("send");
    Measurements.Counter deposits = sink.counter("deposits");
    Measurements.Counter opsCounter = sink.counter("ops");
    Measurements.Counter ebusy = sink.counter("ebusy");
    IpcMessage request = new IpcMessage(bytes).op(1).length(bytes);
    IpcMessage completion = new IpcMessage(4096);
    long firstBackoff = Math.max(1_000, consumerNs);
    producer.spawn("producer", 0, self -> {
      int probe = c.receive(self, completion, false);
      boolean completions = probe != Status.ENOTSUP;
      sink.note(
          "completions",
          completions
              ? "the mechanism returns a completion per send: the producer waits for each burst's completions"
              : "the mechanism returns no completions (receive: ENOTSUP): the producer sleeps " + OPEN_LOOP_SLACK
                  + " x burst x consumer-work-ns between bursts (the consumer drains each burst and goes idle)");
      sink.note("wakeups", "inferred at the consumer: the SPI does not expose the mechanism's wake-ups");
      long seq = 0;
      long received = 0;
      for (long b = 0; b < bursts; b++) {
        for (int k = 0; k < burst; k++, seq++) {
          request.word(0, seq);
          long backoff = firstBackoff;
          while (true) {
            offered.incrementAndGet();
            long t0 = self.now();
            int st = c.send(self, request);
            long t1 = self.now();
            if (st == Status.OK) {
              sendLatency.record(t1 - t0);
              deposits.increment();
              opsCounter.increment();
              break;
            }
            offered.decrementAndGet();
            if (st != Status.EBUSY) {
              throw new IllegalStateException("producer: send " + seq + " returned " + Status.name(st));
            }
            ebusy.increment();
            if (completions) {
              while (c.receive(self, completion, false) == Status.OK) {
                received++;
              }
            }
            self.sleep(backoff);
            backoff = Math.min(backoff * 2, firstBackoff * MAX_BACKOFF_FACTOR);
          }
        }
        if (completions) {
          while (received < seq) {
            int st = c.receive(self, completion, true);
            if (st != Status.OK) {
              throw new IllegalStateException("producer: waiting receive returned " + Status.name(st));
            }
            received++;
          }
        } else {
          self.sleep(OPEN_LOOP_SLACK * burst * consumerNs);
        }
      }
    });
  }

  /**
   * The consumer's handler: {@code consumer-work-ns} of work per message, and the inferred wake-up
   * count. Thread-safe: a mechanism may run several handlers at once (K42: up to 10 per dispatcher).
   */
  private static final class Consumer implements Handler {
    private final long workNs;
    private final AtomicLong offered;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicBoolean idle = new AtomicBoolean(true);
    private final Measurements.Counter wakeups;

    Consumer(long workNs, AtomicLong offered, Measurements.Counter wakeups) {
      this.workNs = workNs;
      this.offered = offered;
      this.wakeups = wakeups;
    }

    @Override
    public int handle(Fiber self, IpcMessage request, IpcMessage reply) {
      if (idle.getAndSet(false)) {
        wakeups.increment();
      }
      if (workNs > 0) {
        self.work(workNs);
      }
      reply.op(request.op()).word(0, request.word(0)).length(0);
      if (handled.incrementAndGet() >= offered.get()) {
        idle.set(true);
      }
      return Status.OK;
    }
  }
}
