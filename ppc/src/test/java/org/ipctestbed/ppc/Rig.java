package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.EngineKind;
import org.ipctestbed.substrate.IdlePolicy;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;

/** Test helpers: small machines with PPC installed, and an echo object. */
final class Rig {
  static final long US = 1_000;

  private Rig() {}

  static MachineConfig.Builder sim(int cpus) {
    return MachineConfig.builder().cpus(cpus).engine(EngineKind.SIM).costModel("zero").seed(7);
  }

  static MachineConfig.Builder real(int cpus) {
    return MachineConfig.builder()
        .cpus(cpus)
        .engine(EngineKind.REAL)
        .idlePolicy(IdlePolicy.SPIN_THEN_PARK)
        .watchdogNs(2_000_000_000L)
        .timeLimitNs(30_000_000_000L);
  }

  static MachineConfig.Builder of(String engine, int cpus) {
    return engine.equals("sim") ? sim(cpus) : real(cpus);
  }

  /** An object whose method 0 copies the request into the reply and adds 1 to word 0. */
  static XObject echo() {
    return XObject.builder("echo")
        .method((self, caller, in, out) -> {
          out.copyFrom(in);
          out.word(0, in.word(0) + 1);
          return Status.OK;
        })
        .build();
  }

  /** The PPC view of {@code p} with a dispatcher (entry point set) on each of {@code cpus}. */
  static PpcProcess ppc(PpcKernel k, org.ipctestbed.substrate.Process p, int... cpus) {
    PpcProcess pp = k.process(p);
    for (int c : cpus) {
      pp.createDispatcher(c);
    }
    return pp;
  }

  static IpcMessage msg() {
    return new IpcMessage(PpcPage.LENGTH_MAX);
  }

  static Machine machine(MachineConfig.Builder b) {
    return Machine.create(b.build());
  }
}
