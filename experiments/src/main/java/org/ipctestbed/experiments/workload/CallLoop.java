package org.ipctestbed.experiments.workload;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import java.util.SplittableRandom;
import org.ipctestbed.substrate.Fiber;

/**
 * One client's closed loop of synchronous calls, the core of the call workloads: {@code warmup}
 * unmeasured calls, a {@link WarmupBarrier} where the clients meet (when given one), then {@code ops} calls each timed with the machine's clock ({@link Fiber#now()})
 * into the latency recorder and counted in {@code ops}. Each call carries a fresh sequence number
 * (request word {@link RequestedWork#SEQ_WORD}) that the reply must echo.
 *
 * <p>A call refused for its size ({@link Status#ENOSPC}, {@link Status#EMSGSIZE}: the mechanism
 * carries less than the workload asked for, say K42's 4072-byte PPC page against a 4096-byte request)
 * ends the loop after noting it in the results ({@code refused} counter and a note); any other status
 * fails the run with a message naming it. Allocates nothing per call.
 */
final class CallLoop {
  private final String who;
  private final Connection connection;
  private final IpcMessage request;
  private final IpcMessage reply;
  private final long warmup;
  private final long ops;
  private final Measurements.LatencyRecorder latency;
  private final Measurements.Counter opsCounter;
  private final Refusals refusals;
  private TimeDistribution service;
  private TimeDistribution think;
  private SplittableRandom rng;
  private WarmupBarrier barrier;

  /**
   * @param who the client, for messages ({@code client-0})
   * @param request filled once by the caller (op, words, payload); the loop sets only the sequence word
   */
  CallLoop(
      String who,
      Connection connection,
      IpcMessage request,
      IpcMessage reply,
      long warmup,
      long ops,
      Measurements.LatencyRecorder latency,
      Measurements.Counter opsCounter,
      Refusals refusals) {
    this.who = who;
    this.connection = connection;
    this.request = request;
    this.reply = reply;
    this.warmup = warmup;
    this.ops = ops;
    this.latency = latency;
    this.opsCounter = opsCounter;
    this.refusals = refusals;
  }

  /**
   * Draws each call's server work (request word {@link RequestedWork#WORK_WORD}) from {@code service}
   * and sleeps a draw of {@code think} after each call (outside the timed span), both from {@code rng};
   * a {@code null} distribution leaves the request's work as filled and does not think.
   */
  CallLoop withTimes(TimeDistribution service, TimeDistribution think, SplittableRandom rng) {
    this.service = service;
    this.think = think != null && think.isConstant() && think.mean() == 0 ? null : think;
    this.rng = rng;
    return this;
  }

  /**
   * Meets the other clients at {@code barrier} (may be {@code null}: none) between the warm-up and the
   * measured calls, so that the measured window excludes every client's warm-up.
   */
  CallLoop withWarmupBarrier(WarmupBarrier barrier) {
    this.barrier = barrier;
    return this;
  }

  /** Runs the loop in {@code self}; returns early only when the mechanism refused the size. */
  void run(Fiber self) {
    long total = warmup + ops;
    for (long i = 0; i < total; i++) {
      if (i == warmup && barrier != null) {
        barrier.arrive(self);
      }
      request.word(RequestedWork.SEQ_WORD, i);
      if (service != null) {
        request.word(RequestedWork.WORK_WORD, service.draw(rng));
      }
      long t0 = self.now();
      int st = connection.call(self, request, reply);
      long t1 = self.now();
      if (st != Status.OK) {
        if (refusals.sizeRefused(st, request.length(), who)) {
          if (i < warmup && barrier != null) {
            barrier.withdraw();
          }
          return;
        }
        throw new IllegalStateException(who + ": call " + i + " returned " + Status.name(st));
      }
      if (reply.word(RequestedWork.SEQ_WORD) != i) {
        throw new IllegalStateException(
            who + ": call " + i + " got the reply to call " + reply.word(RequestedWork.SEQ_WORD));
      }
      if (i >= warmup) {
        latency.record(t1 - t0);
        opsCounter.increment();
      }
      if (think != null) {
        long ns = think.draw(rng);
        if (ns > 0) {
          self.sleep(ns);
        }
      }
    }
  }
}
