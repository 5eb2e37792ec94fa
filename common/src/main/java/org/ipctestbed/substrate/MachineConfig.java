package org.ipctestbed.substrate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ipctestbed.substrate.sched.SchedulerPolicy;

/**
 * Everything that defines a {@link Machine}: immutable, validated when built, and written with every
 * result ({@link #asMap()}). Build one with {@link #builder()}; each setter that takes a name
 * ({@code engine("sim")}, {@code costModel("modern-x86")}, {@code policy("fixed-priority-rr")})
 * fails at once with the allowed values when the name is unknown.
 *
 * @param cpus number of virtual CPUs (>= 1)
 * @param engine how time passes
 * @param costModel named mechanism costs (used by the simulated engine); {@link
 *     CostModel#isDeterministic() deterministic} unless {@link Builder#deterministic(boolean)
 *     deterministic(false)} was asked for
 * @param policy the scheduler policy
 * @param seed the seed of every random stream a workload draws from the machine
 * @param idlePolicy what an idle real-engine carrier does
 * @param idleSpinNs how long {@link IdlePolicy#SPIN_THEN_PARK} spins before parking
 * @param defaultQuantumNs quantum of processes created without one (100 µs–40 ms)
 * @param preemptGraceNs soft-preemption deadline: how long a fiber has to reach a safe point
 *     (K42's warning quantum, research/k42.md 4.4)
 * @param workSliceNs real engine: the longest stretch of {@code work} between two interrupt points
 * @param ipiQueueCapacity capacity of each (source CPU, target CPU) IPI FIFO, both engines (a power of
 *     two; 16 by default, as DragonFly's in 2004: {@link IpiQueues})
 * @param watchdogNs real engine: how long all CPUs may sit idle with unfinished fibers before the
 *     run is reported as deadlocked
 * @param timeLimitNs the longest a run may last (virtual ns in the simulated engine, wall ns in the
 *     real one) before it is stopped and reported
 */
public record MachineConfig(
    int cpus,
    EngineKind engine,
    CostModel costModel,
    SchedulerPolicy policy,
    long seed,
    IdlePolicy idlePolicy,
    long idleSpinNs,
    long defaultQuantumNs,
    long preemptGraceNs,
    long workSliceNs,
    int ipiQueueCapacity,
    long watchdogNs,
    long timeLimitNs) {

  /** Most CPUs a machine may have. */
  public static final int MAX_CPUS = 4096;

  public MachineConfig {
    if (cpus < 1 || cpus > MAX_CPUS) {
      throw new IllegalArgumentException(
          "a machine needs 1.." + MAX_CPUS + " CPUs, got " + cpus);
    }
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(costModel, "cost model");
    Objects.requireNonNull(policy, "scheduler policy");
    Objects.requireNonNull(idlePolicy, "idle policy");
    positive("idle spin", idleSpinNs, true);
    if (defaultQuantumNs < Process.MIN_QUANTUM_NS || defaultQuantumNs > Process.MAX_QUANTUM_NS) {
      throw new IllegalArgumentException(
          "default quantum must be 100000..40000000 ns (100 us to 40 ms), got " + defaultQuantumNs);
    }
    positive("preempt grace", preemptGraceNs, true);
    positive("work slice", workSliceNs, false);
    if (ipiQueueCapacity < 2 || Integer.bitCount(ipiQueueCapacity) != 1) {
      throw new IllegalArgumentException(
          "IPI queue capacity must be a power of two >= 2, got " + ipiQueueCapacity);
    }
    positive("watchdog", watchdogNs, false);
    positive("time limit", timeLimitNs, false);
  }

  private static void positive(String what, long v, boolean zeroOk) {
    if (v < 0 || (!zeroOk && v == 0)) {
      throw new IllegalArgumentException(what + " must be " + (zeroOk ? ">= 0" : "> 0") + " ns, got " + v);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.cpus = cpus;
    b.engine = engine;
    b.costModel = costModel;
    b.deterministic = costModel.isDeterministic();
    b.policy = policy;
    b.seed = seed;
    b.idlePolicy = idlePolicy;
    b.idleSpinNs = idleSpinNs;
    b.defaultQuantumNs = defaultQuantumNs;
    b.preemptGraceNs = preemptGraceNs;
    b.workSliceNs = workSliceNs;
    b.ipiQueueCapacity = ipiQueueCapacity;
    b.watchdogNs = watchdogNs;
    b.timeLimitNs = timeLimitNs;
    return b;
  }

  /** The configuration as name/value pairs, in a stable order, for result metadata. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", cpus);
    m.put("engine", engine.name().toLowerCase(java.util.Locale.ROOT));
    m.put("costModel", costModel.name());
    m.put("deterministic", costModel.isDeterministic());
    m.put("costs", costModel.asMap());
    m.put("policy", policy.name());
    m.put("seed", seed);
    m.put("idlePolicy", idlePolicy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    m.put("idleSpinNs", idleSpinNs);
    m.put("defaultQuantumNs", defaultQuantumNs);
    m.put("preemptGraceNs", preemptGraceNs);
    m.put("workSliceNs", workSliceNs);
    m.put("ipiQueueCapacity", ipiQueueCapacity);
    m.put("watchdogNs", watchdogNs);
    m.put("timeLimitNs", timeLimitNs);
    return m;
  }

  /**
   * Builds a {@link MachineConfig}; defaults: 2 CPUs, sim, modern-x86, deterministic, proportional
   * share, seed 1. Deterministic is the default here (tests and teaching get exact, repeatable
   * figures); the harness and the CLI turn variability on unless {@code --deterministic} is given.
   */
  public static final class Builder {
    private int cpus = 2;
    private EngineKind engine = EngineKind.SIM;
    private CostModel costModel = CostModel.named("modern-x86");
    private boolean deterministic = true;
    private SchedulerPolicy policy = SchedulerPolicy.named("proportional-share");
    private long seed = 1;
    private IdlePolicy idlePolicy = IdlePolicy.SPIN_THEN_PARK;
    private long idleSpinNs = 50_000;
    private long defaultQuantumNs = 10_000_000;
    private long preemptGraceNs = 100_000;
    private long workSliceNs = 10_000;
    private int ipiQueueCapacity = 16;
    private long watchdogNs = 2_000_000_000L;
    private Long timeLimitNs;

    public Builder cpus(int v) {
      cpus = v;
      return this;
    }

    public Builder engine(EngineKind v) {
      engine = v;
      return this;
    }

    public Builder engine(String name) {
      engine = EngineKind.named(name);
      return this;
    }

    public Builder costModel(CostModel v) {
      costModel = v;
      return this;
    }

    public Builder costModel(String name) {
      costModel = CostModel.named(name);
      return this;
    }

    /**
     * Whether every cost is charged at its mean with no noise ({@link CostModel#deterministic()}),
     * as before costs were distributions; default true. With false each charge is a seeded draw.
     */
    public Builder deterministic(boolean v) {
      deterministic = v;
      return this;
    }

    public Builder policy(SchedulerPolicy v) {
      policy = v;
      return this;
    }

    public Builder policy(String name) {
      policy = SchedulerPolicy.named(name);
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder idlePolicy(IdlePolicy v) {
      idlePolicy = v;
      return this;
    }

    public Builder idleSpinNs(long v) {
      idleSpinNs = v;
      return this;
    }

    public Builder defaultQuantumNs(long v) {
      defaultQuantumNs = v;
      return this;
    }

    public Builder preemptGraceNs(long v) {
      preemptGraceNs = v;
      return this;
    }

    public Builder workSliceNs(long v) {
      workSliceNs = v;
      return this;
    }

    public Builder ipiQueueCapacity(int v) {
      ipiQueueCapacity = v;
      return this;
    }

    public Builder watchdogNs(long v) {
      watchdogNs = v;
      return this;
    }

    /** Default: one virtual hour (sim), ten wall minutes (real). */
    public Builder timeLimitNs(long v) {
      timeLimitNs = v;
      return this;
    }

    public MachineConfig build() {
      long limit =
          timeLimitNs != null ? timeLimitNs : engine == EngineKind.SIM ? 3_600_000_000_000L : 600_000_000_000L;
      return new MachineConfig(
          cpus, engine, deterministic ? costModel.deterministic() : costModel, policy, seed, idlePolicy, idleSpinNs, defaultQuantumNs,
          preemptGraceNs, workSliceNs, ipiQueueCapacity, watchdogNs, limit);
    }
  }
}
