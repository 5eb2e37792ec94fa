package org.ipctestbed.lwkt;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * What happens to a thread port when its owner's process dies (research/lwkt.md section 7,
 * invariant 20): a kernel thread of the {@code lwkt-exit} process, started on the port's CPU by the
 * kill, inherits the port and completes with {@link Lwkt#ESRCH} the messages the dead owner held in
 * service, then every message queued or arriving, for as long as the machine runs. Replies that
 * arrive for the dead owner (it was an originator too) are taken off the port and dropped: there is
 * nobody to give them to.
 *
 * <p>DragonFly has no single such mechanism (a dying thread's users are told by subsystem-specific
 * code: a socket's protocol thread, a device's close); the testbed does it once, at the port, so that
 * every user of the native API gets invariant 20. The exit path's CPU time is charged to the {@code
 * lwkt-exit} kernel process, as an OS's exit path is.
 */
final class ExitPath {
  private ExitPath() {}

  private static final Map<Machine, Process> KERNEL = Collections.synchronizedMap(new WeakHashMap<>());

  /** The kernel process whose threads answer for dead owners (highest priority class). */
  static Process kernelProcess(Machine m) {
    return KERNEL.computeIfAbsent(m, mm -> mm.newKernelProcess("lwkt-exit", Process.MIN_PRIORITY_CLASS, 1024));
  }

  /** Starts the exit path of {@code port} (called once, in the killer's context). */
  static void start(ThreadPort port) {
    kernelProcess(port.cpu().machine())
        .spawnDaemon(port.name() + ".exit", port.cpu().index(), self -> run(self, port));
  }

  private static void run(Fiber self, ThreadPort port) {
    port.bindOwner(self);
    LwktMsg m;
    while ((m = port.firstHeld()) != null) {
      if (m.state() == MsgState.IN_PROGRESS) {
        Lwkt.replymsg(self, m, Lwkt.ESRCH);
      } else {
        ThreadPort.release(m);
      }
    }
    while (true) {
      m = Lwkt.waitport(self, port, 0);
      if (!m.has(MsgFlags.REPLY)) {
        Lwkt.replymsg(self, m, Lwkt.ESRCH);
      }
    }
  }
}
