package org.ipctestbed.examples.rendezvous;

import java.util.concurrent.atomic.AtomicInteger;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Fiber;

/**
 * One call in flight: who made it, its messages and, once done, its status. One per connection (a
 * connection serves one client fiber, which makes one call at a time), reused: nothing is allocated
 * per call. The transition {@code PENDING -> DONE} happens once, by compare-and-set, so that a server
 * completing the call and a kill completing it with {@code ESRCH} cannot both answer.
 */
final class Call {
  static final int IDLE = 0;
  static final int PENDING = 1;
  static final int DONE = 2;

  final AtomicInteger phase = new AtomicInteger(IDLE);
  Fiber client;
  IpcMessage request;
  IpcMessage reply;
  /** The caller's CPU's scheduling epoch at the call: unchanged at the reply means the donation held. */
  long epoch;
  /** Whether the caller switched to the server keeping its account. */
  boolean donated;
  volatile int status;

  /** Arms the call for {@code client}. */
  void start(Fiber client, IpcMessage request, IpcMessage reply) {
    this.client = client;
    this.request = request;
    this.reply = reply;
    this.donated = false;
    this.epoch = client.cpu().schedulingEpoch();
    phase.set(PENDING);
  }

  /** Completes the call with {@code st} unless it is already complete; returns whether this did it. */
  boolean complete(int st) {
    status = st;
    return phase.compareAndSet(PENDING, DONE);
  }

  boolean done() {
    return phase.get() == DONE;
  }
}
