package org.ipctestbed.experiments.workload;

import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.SharedLine;

/**
 * The server of {@code many-clients} with state that every call updates (a statistics counter, a
 * reference count: what a real server object keeps), in one of three layouts (issue 12,
 * "Shared-state contention"):
 *
 * <ul>
 *   <li>{@code none}: stateless ({@link RequestedWork}).
 *   <li>{@code shared}: one object, so one {@link SharedLine} that every serving CPU writes: in the
 *       simulated engine each call from a CPU other than the last writer's pays a cache-line transfer,
 *       and transfers of the one line serialise. This is the single object that Tornado's and K42's
 *       clustered objects were built to avoid (research/k42.md 1.7).
 *   <li>{@code per-cpu}: one replica per CPU (K42's clustered object with a representative per
 *       processor): each CPU writes only its own line, so nothing moves.
 * </ul>
 *
 * The counters are real (so the real engine pays what the hardware charges); the simulated engine
 * prices the lines through {@link SharedLine}.
 */
final class ServerObject implements Handler {
  /** The values of parameter {@code server-state}. */
  static final String LAYOUTS = "none, shared, per-cpu";

  private final SharedLine[] lines;
  private final long[] counters;
  private final boolean perCpu;

  private ServerObject(int cpus, boolean perCpu) {
    this.perCpu = perCpu;
    int n = perCpu ? cpus : 1;
    lines = new SharedLine[n];
    counters = new long[n * 8]; // one counter per 64-byte line: no false sharing between replicas
    for (int i = 0; i < n; i++) {
      lines[i] = new SharedLine(perCpu ? "server object replica " + i : "server object");
    }
  }

  /** The handler for layout {@code layout}, or an exception naming the allowed layouts. */
  static Handler of(String layout, Machine machine) {
    return switch (layout) {
      case "none" -> RequestedWork.INSTANCE;
      case "shared" -> new ServerObject(machine.cpuCount(), false);
      case "per-cpu" -> new ServerObject(machine.cpuCount(), true);
      default -> throw new IllegalArgumentException(
          "parameter 'server-state' must be one of " + LAYOUTS + ", got '" + layout + "'");
    };
  }

  @Override
  public int handle(Fiber self, IpcMessage request, IpcMessage reply) {
    int i = perCpu ? self.cpu().index() : 0;
    lines[i].write(self);
    counters[i * 8]++; // benign race on the real engine with a shared layout: it is a statistic
    return RequestedWork.INSTANCE.handle(self, request, reply);
  }
}
