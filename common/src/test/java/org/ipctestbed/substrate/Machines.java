package org.ipctestbed.substrate;

/** Test helpers: small machines. */
final class Machines {
  private Machines() {}

  static MachineConfig.Builder sim(int cpus) {
    return MachineConfig.builder().cpus(cpus).engine(EngineKind.SIM).costModel("modern-x86").seed(42);
  }

  static MachineConfig.Builder real(int cpus) {
    return MachineConfig.builder()
        .cpus(cpus)
        .engine(EngineKind.REAL)
        .idlePolicy(IdlePolicy.SPIN_THEN_PARK)
        .watchdogNs(1_000_000_000L)
        .timeLimitNs(60_000_000_000L);
  }

  static MachineConfig.Builder of(String engine, int cpus) {
    return engine.equals("sim") ? sim(cpus) : real(cpus);
  }
}
