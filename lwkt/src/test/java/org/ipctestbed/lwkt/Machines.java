package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;

/** Machines and small LWKT servers for the tests. */
final class Machines {
  private Machines() {}

  /** A simulated machine with the modern-x86 costs and the LWKT scheduler. */
  static Machine sim(int cpus) {
    return Machine.create(
        MachineConfig.builder().cpus(cpus).engine("sim").costModel("modern-x86").policy("fixed-priority-rr").seed(7).build());
  }

  /** A simulated machine where every mechanism cost is zero. */
  static Machine simZero(int cpus) {
    return Machine.create(
        MachineConfig.builder().cpus(cpus).engine("sim").costModel("zero").policy("fixed-priority-rr").seed(7).build());
  }

  /** A real-engine machine (carriers spin, then park, when idle). */
  static Machine real(int cpus) {
    return Machine.create(
        MachineConfig.builder().cpus(cpus).engine("real").policy("fixed-priority-rr")
            .watchdogNs(5_000_000_000L).timeLimitNs(60_000_000_000L).build());
  }

  /** A message that counts its replies: the test's request structure. */
  static class CountingMsg extends LwktMsg {
    int replies;
    int stateAtPull = -1;
    int flagsAtPull;
  }

  /**
   * An echo server thread on {@code cpu}: {@code waitport}, {@code work(workNs)}, result = cmd + 1,
   * {@code replymsg(0)}, forever. Returns its port.
   */
  static ThreadPort echoServer(Process p, int cpu, long workNs) {
    ThreadPort port = new ThreadPort(p.machine().cpu(cpu), p.name() + "@" + cpu);
    p.spawnDaemon(p.name() + "@" + cpu, cpu, self -> serveEcho(self, port, workNs));
    return port;
  }

  static void serveEcho(Fiber self, ThreadPort port, long workNs) {
    port.bindOwner(self);
    while (true) {
      LwktMsg m = Lwkt.waitport(self, port, 0);
      if (m instanceof CountingMsg c) {
        c.flagsAtPull = c.flags();
        c.replies++;
      }
      if (workNs > 0) {
        self.work(workNs);
      }
      m.result = m.cmd + 1;
      Lwkt.replymsg(self, m, 0);
    }
  }
}
