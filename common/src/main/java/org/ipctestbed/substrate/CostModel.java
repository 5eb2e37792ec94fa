package org.ipctestbed.substrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Named mechanism costs, each a seeded {@link CostDistribution} with its provenance, used by the
 * simulated engine to advance virtual time (DESIGN.md, "Two engines, one code path"). Immutable.
 *
 * <p>Presets, by name ({@link #named(String)}):
 *
 * <ul>
 *   <li>{@code zero}: every cost is 0; only declared {@code work(ns)} takes time. The lower bound that
 *       isolates the structure of a mechanism (how many switches, queue operations and IPIs it needs)
 *       from their price.
 *   <li>{@code modern-x86}: a current x86 server core, hot caches. Every figure's source is in {@link
 *       #source(Cost)} and printed by {@code testbed list --cost-models}; most are estimates, labelled
 *       as such, because a reviewer must be able to tell a modelled result from a measured one.
 *   <li>{@code via-c3-600}: a 600 MHz VIA C3, uniprocessor, DragonFly of 2003; {@code dual-p3-1200}:
 *       two 1.2 GHz Pentium III, SMP DragonFly of 2003. The machines of the published {@code
 *       getuid()} figures (research/lwkt.md section 7: 1,300 vs 1,700 ns, 909 vs 1,077 ns through
 *       the trap vs a message). Each step is estimated in cycles from the hardware, not fitted to the
 *       ratio (sources per cost); from them the figures follow, as {@code syscall-msg} measures:
 *       through the trap, trap + handler call; through a message, the same plus a user copy and 48
 *       bytes in, the message cache, the validation, and a user copy and 12 bytes out, that is
 *       1,285 vs 1,646 ns on the C3 and 888 vs 1,043 ns on the Pentium III (means).
 * </ul>
 *
 * <p>A cost-model file written by {@code testbed calibrate} ({@link CostModelFile}) is loaded by its
 * path wherever a preset name is accepted. Noise sources are added with {@code +}: {@code
 * modern-x86+timer+background} ({@link NoiseSource}).
 *
 * <p><b>Variability.</b> {@link #sample(Cost, long, RandomGenerator)} draws from each cost's
 * distribution; {@link #ns(Cost)} is its mean. A {@link #deterministic()} model charges the mean
 * every time, which is this project's behaviour before distributions existed (figures unchanged), for
 * tests and teaching. Every shape keeps the mean, so a deterministic and a variable run agree on
 * average.
 */
public final class CostModel {
  private final String name;
  private final CostDistribution[] costs;
  private final double[] mean;
  private static final byte CONSTANT = 0;
  private static final byte EXPONENTIAL = 1;
  private static final byte LOGNORMAL = 2;
  private static final byte EMPIRICAL = 3;
  private final byte[] kind;
  private final double[] fixed;
  private final double[] tail;
  private final double[] mu;
  private final double[] sigma;
  private final double[][] empirical;
  private final List<NoiseSource> noise;
  private final boolean deterministic;
  private final Map<String, String> provenance;

  private CostModel(
      String name, CostDistribution[] costs, List<NoiseSource> noise, boolean deterministic, Map<String, String> provenance) {
    this.name = name;
    this.costs = costs;
    this.mean = new double[costs.length];
    this.kind = new byte[costs.length];
    this.fixed = new double[costs.length];
    this.tail = new double[costs.length];
    this.mu = new double[costs.length];
    this.sigma = new double[costs.length];
    this.empirical = new double[costs.length][];
    for (int i = 0; i < costs.length; i++) {
      CostDistribution d = costs[i];
      mean[i] = d.meanNs();
      // Precomputed once, so that a draw is one switch and the generator call (the simulated engine
      // draws on every charge): the same arithmetic as CostDistribution.sample, bit for bit.
      kind[i] = d.isConstant() ? CONSTANT : switch (d.shape()) {
        case EXPONENTIAL -> EXPONENTIAL;
        case LOGNORMAL -> LOGNORMAL;
        case EMPIRICAL -> EMPIRICAL;
        case CONSTANT -> CONSTANT;
      };
      fixed[i] = d.meanNs() * (1 - d.randomFraction());
      tail[i] = d.meanNs() * d.randomFraction();
      sigma[i] = d.sigma();
      if (kind[i] == LOGNORMAL) {
        mu[i] = Math.log(d.meanNs() * d.randomFraction()) - d.sigma() * d.sigma() / 2;
      }
      if (kind[i] == EMPIRICAL) {
        empirical[i] = d.samples();
      }
    }
    this.noise = List.copyOf(noise);
    this.deterministic = deterministic;
    this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
  }

  /** The preset names {@link #named(String)} accepts. */
  public static final String PRESETS = "zero, modern-x86, via-c3-600, dual-p3-1200";

  private static final String E = "estimated: ";

  /**
   * The preset called {@code name}, a cost-model file at that path, optionally followed by {@code
   * +NOISE} names.
   *
   * @throws IllegalArgumentException naming the allowed presets when there is none by that name, or
   *     the problem with the file
   */
  public static CostModel named(String name) {
    Objects.requireNonNull(name, "cost model name");
    String[] parts = name.trim().split("\\+");
    CostModel base = base(parts[0].trim());
    if (parts.length == 1) {
      return base;
    }
    List<NoiseSource> ns = new ArrayList<>(base.noise);
    for (int i = 1; i < parts.length; i++) {
      NoiseSource s = NoiseSource.named(parts[i]);
      if (ns.stream().anyMatch(x -> x.name().equals(s.name()))) {
        throw new IllegalArgumentException("noise source '" + s.name() + "' given twice in cost model '" + name + "'");
      }
      ns.add(s);
    }
    return new CostModel(name.trim(), base.costs, ns, base.deterministic, base.provenance);
  }

  private static CostModel base(String name) {
    return switch (name) {
      case "zero" -> of("zero", Map.of());
      case "modern-x86" -> modernX86();
      case "via-c3-600" -> viaC3();
      case "dual-p3-1200" -> dualP3();
      default -> {
        if (name.endsWith(".properties") || name.contains("/") || Files.isRegularFile(Path.of(name))) {
          yield CostModelFile.read(Path.of(name));
        }
        throw new IllegalArgumentException(
            "unknown cost model '" + name + "'; allowed: " + PRESETS + ", or the path of a file written by 'testbed calibrate'"
                + ", each optionally +" + NoiseSource.NAMES.replace(", ", "/+"));
      }
    };
  }

  private static CostModel modernX86() {
    Map<Cost, CostDistribution> m = new EnumMap<>(Cost.class);
    m.put(Cost.TRAP, CostDistribution.exponential(70, 0.2,
        E + "syscall/sysret round trip on a Spectre-era kernel (KPTI off with PCID); 20% exponential tail for cache/TLB misses"));
    m.put(Cost.ADDRESS_SPACE_SWITCH, CostDistribution.exponential(150, 0.3,
        E + "CR3 write with PCID plus the first TLB refills; 30% exponential tail (refills vary with the working set)"));
    m.put(Cost.THREAD_SWITCH, CostDistribution.exponential(90, 0.2,
        "one-way seL4 IPC on i7-4770, 89 ns including a switch (research/anchors.md A.3), used as the register save/restore figure; tail estimated"));
    m.put(Cost.SCHED_DECISION, CostDistribution.exponential(50, 0.2, E + "a run-queue pick from a bitmap of priorities, ~150 cycles"));
    m.put(Cost.IPI_SEND, CostDistribution.exponential(100, 0.2, E + "x2APIC ICR write plus the queue write, order of magnitude"));
    m.put(Cost.IPI_LATENCY, CostDistribution.lognormal(1_000, 0.3, 0.6,
        E + "x2APIC delivery plus interrupt entry on the target, order of magnitude; log-normal tail because the target may sit in a critical section"));
    m.put(Cost.CACHE_LINE_TRANSFER, CostDistribution.exponential(40, 0.25,
        "one-way core-to-core cache-line transfer, 17-51 ns within a die (research/anchors.md 0.6 and B.1); tail estimated"));
    m.put(Cost.COPY_PER_BYTE, CostDistribution.exponential(0.1, 0.1, E + "~10 GB/s memcpy of a hot buffer"));
    m.put(Cost.SOFT_INTERRUPT, CostDistribution.exponential(20, 0.2, E + "set a bit in a per-dispatcher word and test it at the next safe point"));
    m.put(Cost.ATOMIC, CostDistribution.exponential(10, 0.2, E + "an uncontended lock-prefixed RMW on a line in L1, ~20-40 cycles"));
    m.put(Cost.QUEUE_OP, CostDistribution.exponential(15, 0.2, E + "a few loads and stores on a hot ring or list"));
    m.put(Cost.PROCEDURE_CALL, CostDistribution.constant(2, E + "call and return, a handful of cycles at 3-4 GHz"));
    m.put(Cost.USER_COPY, CostDistribution.exponential(15, 0.2, E + "copyin/copyout set-up: stac/clac, range check, fault recovery, ~50 cycles"));
    m.put(Cost.MSG_CACHE, CostDistribution.exponential(5, 0.2, E + "a per-CPU free-list pop and push in a critical section"));
    m.put(Cost.SYSCALL_VALIDATE, CostDistribution.exponential(5, 0.2, E + "a few compares on command, flags and sizes"));
    m.put(Cost.INTERRUPT, CostDistribution.exponential(300, 0.3, E + "interrupt entry, handler dispatch, EOI and return on a current core"));
    m.put(Cost.IPI_REQUEST, CostDistribution.exponential(20, 0.2, E + "a ring read and an indirect call, ~60 cycles"));
    // K42's two levels (UserLevelScheduler); no published figure was retrieved (research/k42.md 5).
    m.put(Cost.USER_THREAD_SWITCH, CostDistribution.exponential(20, 0.2,
        E + "K42 user-level thread switch: callee-saved registers and a ready-queue pop in user mode, no trap; about a fifth of a kernel switch plus decision"));
    m.put(Cost.SOFT_PREEMPT_SAVE, CostDistribution.exponential(40, 0.2,
        E + "K42 soft preemption: the dispatcher stores its thread's registers at user level and clears the PREEMPT bit before it yields"));
    m.put(Cost.HARD_PREEMPT_SAVE, CostDistribution.exponential(400, 0.3,
        E + "K42 hard preemption: the kernel saves and later restores the whole context, FP/vector state included (XSAVE/XRSTOR, a few hundred ns on a current core), and sets up the reserved thread; an order of magnitude above the soft path"));
    return ofDistributions("modern-x86", m, List.of(), Map.of());
  }

  /** Small tail of the costs on the published getuid path: the figures are averages of a hot loop. */
  private static final double HOT_LOOP = 0.05;

  /**
   * A 600 MHz VIA C3 (1.67 ns a cycle), uniprocessor, DragonFly of 2003: the machine of the published
   * {@code getuid()} figures, 1,300 ns through the trap and 1,700 ns through a message (research/
   * lwkt.md section 7). Each step is estimated in cycles from the hardware, not fitted to the ratio.
   */
  private static CostModel viaC3() {
    Map<Cost, CostDistribution> m = new EnumMap<>(Cost.class);
    m.put(Cost.TRAP, CostDistribution.exponential(1_270, HOT_LOOP, E + "~760 cycles: the C3's microcoded int 0x80 and iret, "
        + "register save and segment reloads, syscall2's bookkeeping and userret checks"));
    m.put(Cost.PROCEDURE_CALL, CostDistribution.constant(15, E + "call and return of the handler, ~9 cycles"));
    m.put(Cost.USER_COPY, CostDistribution.exponential(100, HOT_LOOP, E + "~60 cycles: copyin's range check and pcb_onfault set-up"));
    m.put(Cost.COPY_PER_BYTE, CostDistribution.exponential(0.85, HOT_LOOP, E + "an in-cache rep movsl, ~2 cycles per 4 bytes"));
    m.put(Cost.MSG_CACHE, CostDistribution.exponential(50, HOT_LOOP, E + "~30 cycles: a critical section around a per-CPU free-list pop, and the push back"));
    m.put(Cost.SYSCALL_VALIDATE, CostDistribution.exponential(60, HOT_LOOP, E + "~36 cycles: command, flags and sizes checked"));
    m.put(Cost.THREAD_SWITCH, CostDistribution.exponential(300, 0.2, E + "lmbench-scale context switch of the era, ~180 cycles of save/restore"));
    m.put(Cost.ADDRESS_SPACE_SWITCH, CostDistribution.exponential(800, 0.3, E + "a %cr3 reload and the TLB refills that follow (no tagged TLB)"));
    m.put(Cost.SCHED_DECISION, CostDistribution.exponential(150, 0.2, E + "an LWKT run-queue pick, ~90 cycles"));
    m.put(Cost.QUEUE_OP, CostDistribution.exponential(30, 0.2, E + "a few loads and stores on a list, ~18 cycles"));
    m.put(Cost.ATOMIC, CostDistribution.exponential(20, 0.2, E + "no bus lock on a uniprocessor, ~12 cycles"));
    m.put(Cost.SOFT_INTERRUPT, CostDistribution.exponential(100, 0.2, E + "an AST-like flag set and tested"));
    m.put(Cost.INTERRUPT, CostDistribution.exponential(1_500, 0.3, E + "8259 PIC acknowledge, the interrupt frame and iret"));
    m.put(Cost.IPI_REQUEST, CostDistribution.exponential(60, 0.2, E + "a ring read and an indirect call, ~36 cycles"));
    m.put(Cost.IPI_SEND, CostDistribution.constant(1_000, E + "placeholder for simulated multi-CPU runs: the C3 had no second CPU"));
    m.put(Cost.IPI_LATENCY, CostDistribution.constant(3_000, E + "placeholder for simulated multi-CPU runs: the C3 had no second CPU"));
    m.put(Cost.CACHE_LINE_TRANSFER, CostDistribution.constant(150, E + "placeholder for simulated multi-CPU runs: the C3 had no second CPU"));
    return ofDistributions("via-c3-600", m, List.of(), Map.of());
  }

  /**
   * Two 1.2 GHz Pentium III (0.83 ns a cycle) on one front-side bus, SMP DragonFly of 2003: the
   * machine of the figures 909 ns (trap) and 1,077 ns (message) for {@code getuid()} (research/
   * lwkt.md section 7). Each step estimated in cycles, not fitted.
   */
  private static CostModel dualP3() {
    Map<Cost, CostDistribution> m = new EnumMap<>(Cost.class);
    m.put(Cost.TRAP, CostDistribution.exponential(880, HOT_LOOP, E + "~1,060 cycles: int 0x80/iret ~300 cycles on the P6 core, register save "
        + "and segment reloads, syscall2 and userret, and the SMP kernel's MP-lock acquire and release with bus-locked instructions"));
    m.put(Cost.PROCEDURE_CALL, CostDistribution.constant(8, E + "call and return of the handler, ~10 cycles"));
    m.put(Cost.USER_COPY, CostDistribution.exponential(40, HOT_LOOP, E + "~48 cycles: copyin's range check and pcb_onfault set-up"));
    m.put(Cost.COPY_PER_BYTE, CostDistribution.exponential(0.25, HOT_LOOP, E + "an in-cache rep movsl, ~1 cycle per 4 bytes"));
    m.put(Cost.MSG_CACHE, CostDistribution.exponential(30, HOT_LOOP, E + "~36 cycles: a critical section around a per-CPU free-list pop, and the push back"));
    m.put(Cost.SYSCALL_VALIDATE, CostDistribution.exponential(30, HOT_LOOP, E + "~36 cycles: command, flags and sizes checked"));
    m.put(Cost.THREAD_SWITCH, CostDistribution.exponential(150, 0.2, E + "lmbench-scale context switch of the era, ~180 cycles of save/restore"));
    m.put(Cost.ADDRESS_SPACE_SWITCH, CostDistribution.exponential(600, 0.3, E + "a %cr3 reload and the TLB refills that follow (no tagged TLB)"));
    m.put(Cost.SCHED_DECISION, CostDistribution.exponential(80, 0.2, E + "an LWKT run-queue pick, ~100 cycles"));
    m.put(Cost.QUEUE_OP, CostDistribution.exponential(15, 0.2, E + "a few loads and stores on a list, ~18 cycles"));
    m.put(Cost.ATOMIC, CostDistribution.exponential(80, 0.2, E + "a lock cmpxchg on a shared front-side bus, ~100 cycles"));
    m.put(Cost.SOFT_INTERRUPT, CostDistribution.exponential(50, 0.2, E + "an AST-like flag set and tested"));
    m.put(Cost.INTERRUPT, CostDistribution.exponential(1_000, 0.3, E + "IO-APIC delivery, the interrupt frame and iret"));
    m.put(Cost.IPI_REQUEST, CostDistribution.exponential(30, 0.2, E + "a ring read and an indirect call, ~36 cycles"));
    m.put(Cost.IPI_SEND, CostDistribution.exponential(500, 0.2, E + "local APIC ICR write and the IPI queue write"));
    m.put(Cost.IPI_LATENCY, CostDistribution.lognormal(2_000, 0.3, 0.6, E + "delivery over the APIC bus and interrupt entry on the target"));
    m.put(Cost.CACHE_LINE_TRANSFER, CostDistribution.exponential(150, 0.25, E + "a cache line moved through the shared front-side bus"));
    return ofDistributions("dual-p3-1200", m, List.of(), Map.of());
  }

  /**
   * A model called {@code name} with the given constant figures; costs not in {@code figures} are 0.
   *
   * @throws IllegalArgumentException if a figure is negative or not finite
   */
  public static CostModel of(String name, Map<Cost, Double> figures) {
    Map<Cost, CostDistribution> m = new EnumMap<>(Cost.class);
    for (Map.Entry<Cost, Double> e : figures.entrySet()) {
      double v = e.getValue();
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "cost " + e.getKey() + " must be a finite number >= 0 ns, got " + v);
      }
      m.put(e.getKey(), CostDistribution.constant(v, "given: model '" + name + "' built in code"));
    }
    return ofDistributions(name, m, List.of(), Map.of());
  }

  /**
   * A model with distributions, noise sources and provenance (host, JDK, date, ... for a calibrated
   * model; empty for a preset); costs not in {@code costs} are {@link CostDistribution#ZERO}.
   */
  public static CostModel ofDistributions(
      String name, Map<Cost, CostDistribution> costs, List<NoiseSource> noise, Map<String, String> provenance) {
    CostDistribution[] d = new CostDistribution[Cost.values().length];
    for (Cost c : Cost.values()) {
      CostDistribution x = costs.get(c);
      if (x != null && (c == Cost.CONTENTION_WAIT || c == Cost.NOISE) && x.meanNs() != 0) {
        throw new IllegalArgumentException("cost " + c + " is emergent, not a model figure; it must be 0");
      }
      d[c.ordinal()] = x != null ? x : emergentOrZero(c);
    }
    return new CostModel(name, d, noise, false, provenance);
  }

  private static CostDistribution emergentOrZero(Cost c) {
    return switch (c) {
      case CONTENTION_WAIT -> CostDistribution.constant(0,
          "emergent: waiting for a cache line or lock another CPU holds (SharedLine, ContendedLock)");
      case NOISE -> CostDistribution.constant(0, "emergent: time stolen by the model's noise sources");
      default -> CostDistribution.ZERO;
    };
  }

  /** This model with every draw fixed at its cost's mean and no noise: today's deterministic figures. */
  public CostModel deterministic() {
    if (deterministic) {
      return this;
    }
    CostDistribution[] d = new CostDistribution[costs.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = costs[i].atMean();
    }
    return new CostModel(name, d, List.of(), true, provenance);
  }

  /** Whether every draw is the mean and no noise is added ({@link #deterministic()}). */
  public boolean isDeterministic() {
    return deterministic;
  }

  /** The model's name, as recorded with every result. */
  public String name() {
    return name;
  }

  /** The mean of one unit of {@code cost}, in nanoseconds. */
  public double ns(Cost cost) {
    return mean[cost.ordinal()];
  }

  /** {@code units} of {@code cost} at its mean, rounded to whole nanoseconds (deterministically). */
  public long ns(Cost cost, long units) {
    return Math.round(mean[cost.ordinal()] * units);
  }

  /**
   * {@code units} of {@code cost}, one draw from its distribution scaled by {@code units} (a copy of
   * 4 KiB is one draw, not 4096: its bytes share the same cache state), rounded to whole ns.
   * Allocates nothing; draws nothing when the cost is constant or {@code units} is 0 (a copy of no
   * bytes costs nothing whatever its draw), so a deterministic model leaves the generator untouched.
   */
  public long sample(Cost cost, long units, RandomGenerator rng) {
    int i = cost.ordinal();
    if (deterministic || units == 0) {
      return Math.round(mean[i] * units);
    }
    return switch (kind[i]) {
      case EXPONENTIAL -> Math.round((fixed[i] + tail[i] * rng.nextExponential()) * units);
      case LOGNORMAL -> Math.round((fixed[i] + Math.exp(mu[i] + sigma[i] * rng.nextGaussian())) * units);
      case EMPIRICAL -> Math.round(empirical[i][rng.nextInt(empirical[i].length)] * units);
      default -> Math.round(mean[i] * units);
    };
  }

  /** The distribution of {@code cost}. */
  public CostDistribution distribution(Cost cost) {
    return costs[cost.ordinal()];
  }

  /** Where the figure of {@code cost} comes from. */
  public String source(Cost cost) {
    return costs[cost.ordinal()].source();
  }

  /** The noise sources this model enables (none when deterministic). */
  public List<NoiseSource> noise() {
    return noise;
  }

  /** Host, JDK, date and method of a calibrated model; empty for a preset. */
  public Map<String, String> provenance() {
    return provenance;
  }

  /** All means by cost name, in declaration order, for the metadata written with results. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Cost c : Cost.values()) {
      m.put(c.name(), mean[c.ordinal()]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Every cost with its mean, shape and source, the noise sources and the provenance, for
   * metadata.json and {@code testbed list --cost-models}.
   */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("deterministic", deterministic);
    Map<String, Object> cs = new LinkedHashMap<>();
    for (Cost c : Cost.values()) {
      CostDistribution d = costs[c.ordinal()];
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("meanNs", d.meanNs());
      e.put("shape", d.shape().label());
      e.put("distribution", d.describeShape());
      e.put("source", d.source());
      cs.put(c.name(), e);
    }
    m.put("costs", cs);
    List<String> ns = new ArrayList<>();
    for (NoiseSource s : noise) {
      ns.add(s.describe());
    }
    m.put("noise", ns);
    m.put("provenance", provenance);
    return m;
  }

  @Override
  public String toString() {
    return "CostModel[" + name + (deterministic ? " deterministic " : " ") + asMap() + "]";
  }
}
