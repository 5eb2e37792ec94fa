package org.ipctestbed.experiments.calibration;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ipctestbed.experiments.results.Environment;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.CostDistribution;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.EngineKind;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.jctools.queues.MpscArrayQueue;

/**
 * {@code testbed calibrate}: measures on this host the primitive costs the real engine pays and
 * writes them as a cost model whose every figure is an empirical distribution with its provenance
 * (issue 12, "calibrate"; DESIGN.md, "Two engines": "a calibrated one written by ./testbed calibrate
 * on the current machine"). The simulated engine with this model is then validated against the
 * real engine ({@link Validation}).
 *
 * <p>What is measured, each as {@code batches} batch means of {@code batch} operations (a batch
 * amortises the ~24 ns of {@code System.nanoTime()}, research/anchors.md; so the spread recorded is
 * that of batch means, narrower than that of single operations):
 *
 * <ul>
 *   <li>{@link Cost#THREAD_SWITCH}: a continuation switch: two fibers on one real CPU handing the
 *       CPU to each other ({@code handoff}, no scheduler decision).
 *   <li>{@link Cost#SCHED_DECISION}: two fibers yielding to each other (a dispatch through the run
 *       queue) minus the switch's median.
 *   <li>{@link Cost#IPI_LATENCY}: two fibers on two CPUs waking each other (each wake is an IPI to
 *       the other carrier), half the round trip minus a dispatch.
 *   <li>{@link Cost#QUEUE_OP}: an offer and a poll on the JCTools MPSC queue the real engine's IPI
 *       inbox uses, per operation.
 *   <li>{@link Cost#ATOMIC}: an uncontended {@code compareAndSet}.
 *   <li>{@link Cost#COPY_PER_BYTE}: {@code System.arraycopy} of a 4 KiB payload, per byte.
 *   <li>{@link Cost#CACHE_LINE_TRANSFER}: two platform threads passing a flag back and forth (the
 *       busy-spin ping-pong of research/anchors.md B.6): a round trip moves the line four times (each
 *       side's write takes it, the other side's read fetches it back), so a quarter of it.
 *   <li>{@link Cost#TRAP}, {@link Cost#ADDRESS_SPACE_SWITCH}, {@link Cost#SOFT_INTERRUPT}, {@link
 *       Cost#PROCEDURE_CALL}: the real engine has no kernel, address spaces or interrupt hardware:
 *       these steps cost it only the Java code that does them, which is the fiber's {@code charge}
 *       bookkeeping (measured: a real fiber charging in a loop). {@link Cost#IPI_SEND}: that plus one
 *       queue operation (posting to the target's inbox).
 * </ul>
 *
 * <p>Deliberate limits: the host is what it is (shared, loaded: the provenance records its load
 * average); no CPU pinning is possible from Java; each figure is the real engine's cost of the step,
 * not the original system's.
 */
public final class Calibration {
  /** Share of the largest batch means left out of each distribution (host interference). */
  static final double TRIM = 0.05;

  private final int batches;
  private final int batch;
  private final PrintStream log;
  private final Map<Cost, CostDistribution> costs = new EnumMap<>(Cost.class);
  private final Map<String, String> provenance = new LinkedHashMap<>();
  private List<String> fitMechanisms = List.of();
  private double fitScale = 1;

  /**
   * @param batches samples per cost (>= 5)
   * @param batch operations per sample (>= 1)
   * @param log progress lines
   */
  public Calibration(int batches, int batch, PrintStream log) {
    if (batches < 5 || batch < 1) {
      throw new IllegalArgumentException("calibration needs >= 5 samples of >= 1 operation, got " + batches + " x " + batch);
    }
    this.batches = batches;
    this.batch = batch;
    this.log = log;
  }

  /**
   * After the primitives, measure {@code mechanisms}' real round trips and fit the model to them
   * ({@link MechanismFit}); none (the default): the primitives only.
   *
   * @param scale share of the full probe sizes, (0, 1]
   */
  public Calibration fit(List<String> mechanisms, double scale) {
    this.fitMechanisms = List.copyOf(mechanisms);
    this.fitScale = scale;
    return this;
  }

  /** Runs every measurement and returns the model, named {@code name}. */
  public CostModel run(String name) {
    provenance.put("host", host());
    Map<String, Object> env = Environment.describe();
    provenance.put("jdk", env.get("jdkVendor") + " " + env.get("jdk"));
    provenance.put("cpuModel", String.valueOf(env.get("cpuModel")));
    provenance.put("cores", String.valueOf(env.get("cores")));
    provenance.put("os", String.valueOf(env.get("os")));
    provenance.put("date", Instant.now().toString());
    provenance.put("loadAverageBefore", String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    provenance.put("method", batches + " samples per cost, each the mean of " + batch
        + " operations (spread: of batch means); see Calibration's Javadoc for what each cost measures");

    double[] charge = measureCharge();
    double[] sw = perOp(handoffPingPong(), 2);
    put(Cost.THREAD_SWITCH, sw, "real-engine continuation switch: two fibers handing one CPU to each other");
    double[] dispatch = perOp(yieldPingPong(), 2);
    double swMedian = median(sw);
    put(Cost.SCHED_DECISION, shift(dispatch, -swMedian), "real-engine dispatch through the run queue (yield ping-pong) minus the switch's median "
        + fmt(swMedian));
    double dispatchMedian = median(dispatch);
    double[] wake = perOp(crossCpuPingPong(), 2);
    put(Cost.IPI_LATENCY, shift(wake, -dispatchMedian), "real-engine cross-CPU wake (two fibers on two carriers waking each other), "
        + "one way, minus a dispatch's median " + fmt(dispatchMedian));
    double[] queue = queueOps();
    put(Cost.QUEUE_OP, queue, "JCTools MpscArrayQueue offer+poll, per operation");
    put(Cost.ATOMIC, atomics(), "uncontended AtomicLong.compareAndSet");
    put(Cost.COPY_PER_BYTE, copies(4096), "System.arraycopy of 4096 bytes, per byte");
    put(Cost.CACHE_LINE_TRANSFER, lineTransfers(), "two platform threads passing an AtomicInteger flag (busy spin), per one-way transfer "
        + "(a quarter of the round trip)");
    put(Cost.TRAP, charge, "real engine: no kernel entry, only the charge bookkeeping of a real fiber");
    put(Cost.ADDRESS_SPACE_SWITCH, charge, "real engine: no address spaces, only the charge bookkeeping of a real fiber");
    put(Cost.SOFT_INTERRUPT, charge, "real engine: a flag and the charge bookkeeping of a real fiber");
    put(Cost.PROCEDURE_CALL, charge, "real engine: the charge bookkeeping of a real fiber (the call itself is inlined)");
    put(Cost.IPI_SEND, shift(charge, median(queue)), "real engine: the charge bookkeeping plus one inbox queue operation (median "
        + fmt(median(queue)) + ")");
    for (Cost c : Cost.values()) {
      if (!costs.containsKey(c) && c != Cost.CONTENTION_WAIT && c != Cost.NOISE) {
        put(c, charge, "real engine: no dedicated measurement; this step costs the real engine its Java code, "
            + "approximated by the charge bookkeeping of a real fiber");
      }
    }
    if (fitMechanisms.isEmpty()) {
      provenance.put("loadAverageAfter", String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      return CostModel.ofDistributions(name, costs, List.of(), provenance);
    }
    CostModel primitive = CostModel.ofDistributions(name, costs, List.of(), provenance);
    MechanismFit.Result fitted = new MechanismFit(fitMechanisms, fitScale, log).fit(name, primitive, costs, provenance);
    Map<String, String> prov = new LinkedHashMap<>(fitted.provenance());
    prov.put("loadAverageAfter", String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    return CostModel.ofDistributions(name, fittedCosts(fitted.model()), List.of(), prov);
  }

  private static Map<Cost, CostDistribution> fittedCosts(CostModel m) {
    Map<Cost, CostDistribution> out = new EnumMap<>(Cost.class);
    for (Cost c : Cost.values()) {
      if (c != Cost.CONTENTION_WAIT && c != Cost.NOISE) {
        out.put(c, m.distribution(c));
      }
    }
    return out;
  }

  private void put(Cost c, double[] samples, String what) {
    double[] s = samples.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.max(0, s[i]);
    }
    Arrays.sort(s);
    // The top 5% of batch means hold host interference (the carrier preempted, a GC or JIT pause):
    // a noise source's business (+background), not the step's cost.
    int keep = Math.max(1, (int) Math.ceil(s.length * (1 - TRIM)));
    double dropped = s[s.length - 1];
    s = Arrays.copyOf(s, keep);
    String source = String.format(Locale.ROOT, "measured here (%s, %s): %s; median %s, p10 %s, p90 %s ns, n=%d "
            + "(the top %.0f%%, up to %s ns, left out as host interference)",
        provenance.get("host"), provenance.get("date"), what, fmt(q(s, 0.5)), fmt(q(s, 0.1)), fmt(q(s, 0.9)), s.length,
        100 * TRIM, fmt(dropped));
    costs.put(c, CostDistribution.empirical(s, source));
    log.printf(Locale.ROOT, "calibrate: %-20s median %9s ns  (p10 %s, p90 %s)%n", c.name(), fmt(q(s, 0.5)), fmt(q(s, 0.1)), fmt(q(s, 0.9)));
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.3g" : "%.0f", v);
  }

  private static double q(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return q(s, 0.5);
  }

  private static double[] shift(double[] v, double by) {
    double[] o = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      o[i] = v[i] + by;
    }
    return o;
  }

  private double[] perOp(double[] batchNs, int opsPerIteration) {
    double[] o = new double[batchNs.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = batchNs[i] / (batch * (double) opsPerIteration);
    }
    return o;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private Machine real(int cpus) {
    return Machine.create(MachineConfig.builder().cpus(cpus).engine(EngineKind.REAL).build());
  }

  /** Warm-up batches before the measured ones, discarded. */
  private int warm() {
    return Math.max(5, batches / 2);
  }

  // ------------------------------------------------------------------ fibers

  private double[] measureCharge() {
    Machine m = real(1);
    double[] out = new double[batches];
    m.newProcess("p").spawn("charger", 0, self -> {
      for (int b = -warm(); b < batches; b++) {
        long t = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          self.charge(Cost.TRAP);
        }
        if (b >= 0) {
          out[b] = (System.nanoTime() - t) / (double) batch;
        }
      }
    });
    m.run();
    return out;
  }

  private double[] handoffPingPong() {
    Machine m = real(1);
    Process p = m.newProcess("p");
    int total = (warm() + batches) * batch;
    double[] out = new double[batches];
    Fiber[] a = new Fiber[1];
    Fiber b = p.spawnParked("b", 0, "start", self -> {
      for (int i = 0; i < total - 1; i++) {
        self.handoff(a[0], true, "pong");
      }
      self.handoff(a[0], true, null);
    });
    a[0] = p.spawn("a", 0, self -> {
      for (int k = -warm(); k < batches; k++) {
        long t = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          self.handoff(b, true, "ping");
        }
        if (k >= 0) {
          out[k] = System.nanoTime() - t;
        }
      }
    });
    m.run();
    return out;
  }

  private double[] yieldPingPong() {
    Machine m = real(1);
    Process p = m.newProcess("p");
    int total = (warm() + batches) * batch;
    double[] out = new double[batches];
    AtomicInteger done = new AtomicInteger();
    p.spawn("b", 0, self -> {
      while (done.get() == 0) {
        self.yieldCpu();
      }
    });
    p.spawn("a", 0, self -> {
      for (int k = -warm(); k < batches; k++) {
        long t = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          self.yieldCpu();
        }
        if (k >= 0) {
          out[k] = System.nanoTime() - t;
        }
      }
      done.set(1);
    });
    m.run();
    return out;
  }

  private double[] crossCpuPingPong() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      throw new IllegalStateException("calibrate needs 2 cores for the cross-CPU wake; this host has 1");
    }
    Machine m = real(2);
    Process p = m.newProcess("p");
    int total = (warm() + batches) * batch;
    double[] out = new double[batches];
    Fiber[] a = new Fiber[1];
    Fiber b = p.spawn("b", 1, self -> {
      for (int i = 0; i < total; i++) {
        self.block("ping");
        a[0].wake();
      }
    });
    a[0] = p.spawn("a", 0, self -> {
      for (int k = -warm(); k < batches; k++) {
        long t = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          b.wake();
          self.block("pong");
        }
        if (k >= 0) {
          out[k] = System.nanoTime() - t;
        }
      }
    });
    m.run();
    return out;
  }

  // ------------------------------------------------------------------ plain Java

  private static volatile long sink;

  private double[] queueOps() {
    MpscArrayQueue<Object> q = new MpscArrayQueue<>(1024);
    Object o = new Object();
    double[] out = new double[batches];
    for (int k = -warm() * 20; k < batches; k++) {
      long t = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        q.offer(o);
        q.poll();
      }
      if (k >= 0) {
        out[k] = (System.nanoTime() - t) / (2.0 * batch);
      }
    }
    return out;
  }

  private double[] atomics() {
    AtomicLong a = new AtomicLong();
    double[] out = new double[batches];
    for (int k = -warm() * 20; k < batches; k++) {
      long t = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        long v = a.get();
        a.compareAndSet(v, v + 1);
      }
      if (k >= 0) {
        out[k] = (System.nanoTime() - t) / (double) batch;
      }
    }
    sink = a.get();
    return out;
  }

  private double[] copies(int bytes) {
    byte[] src = new byte[bytes];
    byte[] dst = new byte[bytes];
    Arrays.fill(src, (byte) 7);
    double[] out = new double[batches];
    for (int k = -warm() * 20; k < batches; k++) {
      long t = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        System.arraycopy(src, 0, dst, 0, bytes);
        src[i & (bytes - 1)] = dst[(i + 1) & (bytes - 1)];
      }
      if (k >= 0) {
        out[k] = (System.nanoTime() - t) / ((double) batch * bytes);
      }
    }
    sink = dst[3];
    return out;
  }

  private double[] lineTransfers() {
    AtomicInteger flag = new AtomicInteger();
    int rounds = (warm() + batches) * batch;
    Thread other = new Thread(() -> {
      for (int i = 0; i < rounds; i++) {
        while (flag.get() != 1) {
          Thread.onSpinWait();
        }
        flag.set(0);
      }
    }, "calibrate-pong");
    other.setDaemon(true);
    other.start();
    double[] out = new double[batches];
    for (int k = -warm(); k < batches; k++) {
      long t = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        flag.set(1);
        while (flag.get() != 0) {
          Thread.onSpinWait();
        }
      }
      if (k >= 0) {
        out[k] = (System.nanoTime() - t) / (4.0 * batch);
      }
    }
    try {
      other.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
