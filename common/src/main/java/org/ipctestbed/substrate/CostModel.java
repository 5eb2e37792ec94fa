package org.ipctestbed.substrate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Named mechanism costs in nanoseconds, used by the simulated engine to advance virtual time
 * (DESIGN.md, "Two engines, one code path"). Immutable.
 *
 * <p>Presets, by name ({@link #named(String)}):
 *
 * <ul>
 *   <li>{@code zero}: every cost is 0; only declared {@code work(ns)} takes time. The lower bound that
 *       isolates the structure of a mechanism (how many switches, queue operations and IPIs it needs)
 *       from their price.
 *   <li>{@code modern-x86}: a current x86 server core, hot caches. Provenance, per cost: cache-line
 *       transfer 40 ns (one-way core-to-core, 17–51 ns within a die, research/anchors.md B.1); IPI
 *       latency 1,000 ns and IPI send 100 ns (x2APIC send plus interrupt entry on the target:
 *       assumed, order of magnitude only); trap 70 ns (syscall/sysret round trip on a Spectre-era
 *       kernel: assumed); address-space switch 150 ns (CR3 write with PCID, assumed); thread switch
 *       90 ns (one-way seL4 IPC on i7-4770 is 89 ns including a switch, anchors.md A.3, used as the
 *       register save/restore figure); scheduler decision 50 ns, atomic 10 ns, queue op 15 ns, soft
 *       interrupt 20 ns (assumed); copy 0.1 ns per byte (~10 GB/s memcpy, assumed); procedure call
 *       and return 2 ns (a handful of cycles at 3-4 GHz, assumed). K42's two levels, all
 *       estimated (no published figure was retrieved, research/k42.md 5): user-level thread switch
 *       20 ns (callee-saved registers and a ready-queue pop in user mode, no trap: a fifth of the
 *       kernel's thread switch plus decision); soft-preemption save 40 ns (the dispatcher stores
 *       its thread's registers at user level and takes the soft interrupt's bookkeeping); hard-
 *       preemption save 400 ns (the kernel saves and later restores the whole context, including
 *       the FP/vector state that XSAVE/XRSTOR move on a current core, and sets up the reserved
 *       thread: an order of magnitude above the soft path).
 * </ul>
 *
 * <p>A calibrated preset measured on the current machine comes from the harness ({@code calibrate});
 * {@link #of(String, Map)} builds any other. Assumed figures are labelled as such because a
 * reviewer must be able to tell a modelled result from a measured one.
 */
public final class CostModel {
  private final String name;
  private final double[] ns;

  private CostModel(String name, double[] ns) {
    this.name = name;
    this.ns = ns;
  }

  /** The preset names {@link #named(String)} accepts. */
  public static final String PRESETS = "zero, modern-x86";

  /**
   * The preset called {@code name}.
   *
   * @throws IllegalArgumentException naming the allowed presets when there is none by that name
   */
  public static CostModel named(String name) {
    Objects.requireNonNull(name, "cost model name");
    return switch (name.trim()) {
      case "zero" -> of("zero", Map.of());
      case "modern-x86" -> {
        Map<Cost, Double> m = new EnumMap<>(Cost.class);
        m.put(Cost.TRAP, 70.0);
        m.put(Cost.ADDRESS_SPACE_SWITCH, 150.0);
        m.put(Cost.THREAD_SWITCH, 90.0);
        m.put(Cost.SCHED_DECISION, 50.0);
        m.put(Cost.IPI_SEND, 100.0);
        m.put(Cost.IPI_LATENCY, 1_000.0);
        m.put(Cost.CACHE_LINE_TRANSFER, 40.0);
        m.put(Cost.COPY_PER_BYTE, 0.1);
        m.put(Cost.SOFT_INTERRUPT, 20.0);
        m.put(Cost.ATOMIC, 10.0);
        m.put(Cost.QUEUE_OP, 15.0);
        m.put(Cost.PROCEDURE_CALL, 2.0);
        m.put(Cost.USER_THREAD_SWITCH, 20.0);
        m.put(Cost.SOFT_PREEMPT_SAVE, 40.0);
        m.put(Cost.HARD_PREEMPT_SAVE, 400.0);
        yield of("modern-x86", m);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown cost model '" + name + "'; allowed: " + PRESETS);
    };
  }

  /**
   * A model called {@code name} with the given figures; costs not in {@code figures} are 0.
   *
   * @throws IllegalArgumentException if a figure is negative or not finite
   */
  public static CostModel of(String name, Map<Cost, Double> figures) {
    double[] ns = new double[Cost.values().length];
    for (Map.Entry<Cost, Double> e : figures.entrySet()) {
      double v = e.getValue();
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "cost " + e.getKey() + " must be a finite number >= 0 ns, got " + v);
      }
      ns[e.getKey().ordinal()] = v;
    }
    return new CostModel(name, ns);
  }

  /** The model's name, as recorded with every result. */
  public String name() {
    return name;
  }

  /** The figure for one unit of {@code cost}, in nanoseconds. */
  public double ns(Cost cost) {
    return ns[cost.ordinal()];
  }

  /** {@code units} of {@code cost}, rounded to whole nanoseconds (deterministically). */
  public long ns(Cost cost, long units) {
    return Math.round(ns[cost.ordinal()] * units);
  }

  /** All figures by cost name, in declaration order, for the metadata written with results. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Cost c : Cost.values()) {
      m.put(c.name(), ns[c.ordinal()]);
    }
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return "CostModel[" + name + " " + asMap() + "]";
  }
}
