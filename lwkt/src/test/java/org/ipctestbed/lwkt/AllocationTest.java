package org.ipctestbed.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing per message. Measured with {@code
 * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes} from inside a fiber of the real
 * engine, which counts what its carrier thread (the whole virtual CPU: fibers, IPI handlers,
 * scheduler) allocated. Each test runs a warm-up, then N and 2N messages: a per-message allocation
 * would show as a difference between the two.
 */
class AllocationTest {
  private static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int N = 5_000;

  private static long allocated() {
    return MX.getCurrentThreadAllocatedBytes();
  }

  /** Bytes allocated by {@code n} runs of {@code op}, on the calling carrier. */
  private interface Op {
    void run(Fiber self) throws Exception;
  }

  private static long measure(Fiber self, int n, Op op) throws Exception {
    long a = allocated();
    for (int i = 0; i < n; i++) {
      op.run(self);
    }
    return allocated() - a;
  }

  @Test
  void theDomsgFastPathToAPutOnlyPortAllocatesNothingPerMessage() {
    Machine m = Machines.real(1);
    long[] bytes = new long[2];
    m.newProcess("client").spawn("c", 0, self -> {
      LwktPort sync = LwktPort.putOnly("sync", (s, port, msg) -> {
        msg.result = msg.cmd;
        return 0;
      });
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Op op = s -> {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(s, sync, msg, 0);
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.sendmsg(s, sync, msg);
        Lwkt.waitmsg(s, msg, 0);
      };
      measure(self, N, op);
      bytes[0] = measure(self, N, op);
      bytes[1] = measure(self, 2 * N, op);
    });
    m.run();
    assertTrue(bytes[1] - bytes[0] < 1_024, "N: " + bytes[0] + " B, 2N: " + bytes[1] + " B");
    assertTrue(bytes[1] < 2 * N, "less than one byte a message: " + bytes[1]);
  }

  @Test
  void aThreadPortRoundTripOnOneCpuAllocatesNoMoreThanTheSubstratesOwnSwitches() {
    Machine m = Machines.real(1);
    Process server = m.newProcess("server");
    ThreadPort port = Machines.echoServer(server, 0, 0);
    long[] lwkt = new long[2];
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Op op = s -> {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(s, port, msg, 0);
      };
      measure(self, N, op);
      lwkt[0] = measure(self, N, op);
      lwkt[1] = measure(self, 2 * N, op);
    });
    m.run();
    System.out.printf("thread-port domsg round trip, one CPU: %d B for %d, %d B for %d%n", lwkt[0], N, lwkt[1], 2 * N);
    assertTrue(lwkt[1] - lwkt[0] < 1_024, "N: " + lwkt[0] + " B, 2N: " + lwkt[1] + " B");
  }

  @Test
  void aCrossCpuRoundTripAllocatesNothingPerMessageOnEitherCpu() {
    Machine m = Machines.real(2);
    Process server = m.newProcess("server");
    ThreadPort port = new ThreadPort(m.cpu(1), "server");
    long[] serverBytes = new long[3];
    int[] handled = new int[1];
    server.spawnDaemon("server", 1, self -> {
      port.bindOwner(self);
      while (true) {
        if (handled[0] == N) {
          serverBytes[0] = allocated();
        } else if (handled[0] == 2 * N) {
          serverBytes[1] = allocated();
        } else if (handled[0] == 4 * N) {
          serverBytes[2] = allocated();
        }
        LwktMsg msg = Lwkt.waitport(self, port, 0);
        handled[0]++;
        Lwkt.replymsg(self, msg, 0);
      }
    });
    long[] client = new long[2];
    m.newProcess("client").spawn("c", 0, self -> {
      ThreadPort reply = new ThreadPort(self);
      LwktMsg msg = new LwktMsg();
      Op op = s -> {
        Lwkt.initmsg(msg, reply, 0);
        Lwkt.domsg(s, port, msg, 0);
      };
      measure(self, N, op);
      client[0] = measure(self, N, op);
      client[1] = measure(self, 2 * N, op);
    });
    m.run();
    long serverN = serverBytes[1] - serverBytes[0];
    long server2N = serverBytes[2] - serverBytes[1];
    System.out.printf("cross-CPU domsg: client %d B / %d B, server %d B / %d B (N / 2N messages)%n",
        client[0], client[1], serverN, server2N);
    assertEquals(4 * N, handled[0]);
    assertTrue(client[1] - client[0] < 1_024, "client N: " + client[0] + " B, 2N: " + client[1] + " B");
    assertTrue(server2N - serverN < 1_024, "server N: " + serverN + " B, 2N: " + server2N + " B");
  }
}
