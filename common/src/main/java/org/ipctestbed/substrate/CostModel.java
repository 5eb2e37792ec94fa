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
 *       and return 2 ns (a handful of cycles at 3-4 GHz, assumed); user copy 15 ns ({@code
 *       stac/clac}, range check and fault set-up, ~50 cycles, assumed); message cache 5 ns and
 *       validation 5 ns (a per-CPU free-list pop/push and a few compares, assumed); interrupt 300 ns
 *       (entry, EOI and return on a current core, assumed).
 *   <li>{@code via-c3-600}: a 600 MHz VIA C3, uniprocessor, running DragonFly in 2003: the machine
 *       of the published {@code getuid()} figures 1,300 ns through the trap and 1,700 ns through a
 *       message (research/lwkt.md section 7). Each step is estimated in cycles from the hardware, not
 *       fitted to the ratio: trap 1,270 ns (~760 cycles: the C3's microcoded {@code int 0x80} and
 *       {@code iret}, the register save and segment reloads, and {@code syscall2}'s bookkeeping and
 *       {@code userret} checks); procedure call 15 ns (~9 cycles); user copy 100 ns (~60 cycles:
 *       {@code copyin}'s range check and {@code pcb_onfault} set-up); copy 0.85 ns per byte (an
 *       in-cache {@code rep movsl}, ~2 cycles per 4 bytes); message cache 50 ns (~30 cycles: a
 *       critical section around a per-CPU free-list pop and the push back); validation 60 ns (~36
 *       cycles). Switches from the era's lmbench-scale figures: thread switch 300 ns, address-space
 *       switch 800 ns (a {@code %cr3} reload and the TLB refills that follow, no tagged TLB), scheduler
 *       decision 150 ns, queue op 30 ns, atomic 20 ns (no bus lock on a uniprocessor), interrupt
 *       1,500 ns (8259 PIC acknowledge and the interrupt frame). IPI and cache-line figures (1,000 /
 *       3,000 / 150 ns) are placeholders for simulated multi-CPU runs: the C3 had no second CPU.
 *       All estimated.
 *   <li>{@code dual-p3-1200}: two 1.2 GHz Pentium III on one front-side bus, SMP DragonFly in 2003,
 *       the machine of the figures 909 ns (trap) and 1,077 ns (message): trap 880 ns (~1,060 cycles:
 *       {@code int 0x80}/{@code iret} ~300 cycles on the P6 core, register save and segment reloads,
 *       {@code syscall2} and {@code userret}, and the SMP kernel's MP-lock acquire and release with
 *       bus-locked instructions); procedure call 8 ns; user copy 40 ns (~48 cycles); copy 0.25 ns per
 *       byte; message cache 30 ns and validation 30 ns (~36 cycles each); atomic 80 ns (a {@code lock
 *       cmpxchg} on a shared bus, ~100 cycles); thread switch 150 ns, address-space switch 600 ns,
 *       scheduler decision 80 ns, queue op 15 ns; IPI send 500 ns and latency 2,000 ns (local APIC
 *       ICR write and delivery over the APIC bus); cache-line transfer 150 ns (through the shared
 *       bus); interrupt 1,000 ns (IO-APIC). All estimated.
 * </ul>
 *
 * <p>From the two historical presets the published figures follow, as the {@code syscall-msg}
 * experiment measures them: through the trap, trap + procedure call; through a message, the same
 * plus a user copy and 48 bytes in, the message cache, the validation, and a user copy and 12 bytes
 * out. That is 1,285 vs 1,646 ns on the C3 (published 1,300 vs 1,700) and 888 vs 1,043 ns on the
 * Pentium III (published 909 vs 1,077).
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
  public static final String PRESETS = "zero, modern-x86, via-c3-600, dual-p3-1200";

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
        m.put(Cost.USER_COPY, 15.0);
        m.put(Cost.MSG_CACHE, 5.0);
        m.put(Cost.SYSCALL_VALIDATE, 5.0);
        m.put(Cost.INTERRUPT, 300.0);
        yield of("modern-x86", m);
      }
      case "via-c3-600" -> {
        // A 600 MHz VIA C3 (1.67 ns a cycle), uniprocessor, DragonFly of 2003: see the class comment.
        Map<Cost, Double> m = new EnumMap<>(Cost.class);
        m.put(Cost.TRAP, 1_270.0);
        m.put(Cost.ADDRESS_SPACE_SWITCH, 800.0);
        m.put(Cost.THREAD_SWITCH, 300.0);
        m.put(Cost.SCHED_DECISION, 150.0);
        m.put(Cost.IPI_SEND, 1_000.0);
        m.put(Cost.IPI_LATENCY, 3_000.0);
        m.put(Cost.CACHE_LINE_TRANSFER, 150.0);
        m.put(Cost.COPY_PER_BYTE, 0.85);
        m.put(Cost.SOFT_INTERRUPT, 100.0);
        m.put(Cost.ATOMIC, 20.0);
        m.put(Cost.QUEUE_OP, 30.0);
        m.put(Cost.PROCEDURE_CALL, 15.0);
        m.put(Cost.USER_COPY, 100.0);
        m.put(Cost.MSG_CACHE, 50.0);
        m.put(Cost.SYSCALL_VALIDATE, 60.0);
        m.put(Cost.INTERRUPT, 1_500.0);
        yield of("via-c3-600", m);
      }
      case "dual-p3-1200" -> {
        // Two 1.2 GHz Pentium III (0.83 ns a cycle) on a shared front-side bus, SMP DragonFly of 2003.
        Map<Cost, Double> m = new EnumMap<>(Cost.class);
        m.put(Cost.TRAP, 880.0);
        m.put(Cost.ADDRESS_SPACE_SWITCH, 600.0);
        m.put(Cost.THREAD_SWITCH, 150.0);
        m.put(Cost.SCHED_DECISION, 80.0);
        m.put(Cost.IPI_SEND, 500.0);
        m.put(Cost.IPI_LATENCY, 2_000.0);
        m.put(Cost.CACHE_LINE_TRANSFER, 150.0);
        m.put(Cost.COPY_PER_BYTE, 0.25);
        m.put(Cost.SOFT_INTERRUPT, 50.0);
        m.put(Cost.ATOMIC, 80.0);
        m.put(Cost.QUEUE_OP, 15.0);
        m.put(Cost.PROCEDURE_CALL, 8.0);
        m.put(Cost.USER_COPY, 40.0);
        m.put(Cost.MSG_CACHE, 30.0);
        m.put(Cost.SYSCALL_VALIDATE, 30.0);
        m.put(Cost.INTERRUPT, 1_000.0);
        yield of("dual-p3-1200", m);
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
