package org.ipctestbed.bench;

import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberState;
import org.ipctestbed.substrate.Process;

/**
 * The substrate's own round trips, measured under the mechanisms (issue 7, "Substrate"): each is a
 * {@link BatchRig.Setup} that creates a server fiber and returns the client's operation.
 *
 * <ul>
 *   <li>{@link #handoff()}: two fibers on one CPU hand the CPU to each other keeping the account
 *       ({@link Fiber#handoff} with {@code keepAccount}: K42's borrowed domain, research/k42.md 3.1
 *       (c)); one round trip is two hand-offs, two continuation switches, no scheduler decision.
 *   <li>{@link #upcall()}: {@link Fiber#upcall} to a blocked server on the same CPU, running a null
 *       method on the caller's stack (the K42 PPC fast path without a continuation switch).
 *   <li>{@link #wakeCross()}: a client on CPU 0 and a server on CPU 1 wake each other and block
 *       (every wake is an IPI through the real engine's MPSC inbox; run it with {@code
 *       IdlePolicy.SPIN}): the floor under any cross-CPU synchronous IPC on this substrate.
 * </ul>
 */
public final class SubstrateScenarios {
  private SubstrateScenarios() {}

  private static final Fiber.Upcall NULL_METHOD = server -> Status.OK;

  /** Two fibers of different processes on CPU 0 handing the CPU back and forth. */
  public static BatchRig.Setup handoff() {
    return (machine, clientProcess) -> {
      Process serverProcess = machine.newProcess("bench-handoff-server");
      Fiber[] caller = new Fiber[1];
      Fiber server =
          serverProcess.spawnDaemon(
              "handoff-server",
              0,
              self -> {
                while (caller[0] == null) {
                  self.block("waiting for the first hand-off");
                }
                while (true) {
                  self.handoff(caller[0], true, "waiting for a hand-off");
                }
              });
      return self -> {
        caller[0] = self;
        self.handoff(server, true, "in call (hand-off)");
        return Status.OK;
      };
    };
  }

  /** A null method run by {@link Fiber#upcall} as a blocked server fiber of another process. */
  public static BatchRig.Setup upcall() {
    return (machine, clientProcess) -> {
      Process serverProcess = machine.newProcess("bench-upcall-server");
      Fiber server =
          serverProcess.spawnDaemon(
              "upcall-server",
              0,
              self -> {
                while (true) {
                  self.block("serving upcalls");
                }
              });
      return self -> {
        while (server.state() != FiberState.BLOCKED) {
          self.yieldCpu(); // only before the server's first run
        }
        return self.upcall(server, NULL_METHOD);
      };
    };
  }

  /** Shared words of a cross-CPU ping-pong; each field has a single writer. */
  static final class PingPong {
    volatile long request;
    volatile long response;
    volatile Fiber client;
  }

  /** A client on CPU 0 and a server on CPU 1 exchanging wake-ups (needs a machine of 2 CPUs). */
  public static BatchRig.Setup wakeCross() {
    return (machine, clientProcess) -> {
      PingPong pp = new PingPong();
      Process serverProcess = machine.newProcess("bench-wake-server");
      Fiber server = serverProcess.spawnDaemon("wake-server", 1, self -> serveWakes(self, pp));
      return self -> {
        if (pp.client == null) {
          pp.client = self;
        }
        long r = pp.request + 1;
        pp.request = r;
        server.wake();
        while (pp.response != r) {
          self.block("waiting for the pong");
        }
        return Status.OK;
      };
    };
  }

  private static void serveWakes(Fiber self, PingPong pp) {
    long served = 0;
    while (true) {
      long r;
      while ((r = pp.request) == served) {
        self.block("waiting for a ping");
      }
      served = r;
      pp.response = r;
      pp.client.wake();
    }
  }
}
