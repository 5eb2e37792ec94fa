package org.ipctestbed.experiments.workload;

import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Fiber;

/**
 * A handler wrapper that counts, per CPU, where the mechanism actually ran the handler, so that a
 * one-client workload can say in its output whether the mechanism honoured the placement (a remote
 * PPC or an LWKT port on CPU 1 serves there; the direct-call lower bound serves on the caller's CPU
 * whatever the placement). Written by the serving side, read by the client after its last call: one
 * client at a time, so plain fields suffice, and the reply orders the writes before the read.
 */
final class ServedOn implements Handler {
  private final Handler inner;
  private final long[] calls;

  ServedOn(Handler inner, int cpus) {
    this.inner = inner;
    this.calls = new long[cpus];
  }

  @Override
  public int handle(Fiber self, IpcMessage request, IpcMessage reply) {
    calls[self.cpu().index()]++;
    return inner.handle(self, request, reply);
  }

  /** One line: on which CPUs the handler ran, against the CPU the service was placed on. */
  String describe(int placedOn) {
    StringBuilder s = new StringBuilder("service placed on CPU " + placedOn + "; the handler ran on");
    long served = 0;
    for (long n : calls) {
      served += n;
    }
    if (served == 0) {
      return "service placed on CPU " + placedOn + "; the handler ran no call";
    }
    long elsewhere = 0;
    for (int cpu = 0; cpu < calls.length; cpu++) {
      if (calls[cpu] > 0) {
        s.append(" CPU ").append(cpu).append(" (").append(calls[cpu]).append(" calls)");
        if (cpu != placedOn) {
          elsewhere += calls[cpu];
        }
      }
    }
    if (elsewhere > 0) {
      s.append(": the mechanism did not serve every call where the service was placed");
    }
    return s.toString();
  }
}
