package org.ipctestbed.experiments.calibration;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.ipctestbed.experiments.harness.RunMeasurements;
import org.ipctestbed.experiments.workload.Workload;
import org.ipctestbed.experiments.workload.WorkloadParams;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.ipctestbed.ipc.ConfiguredProvider;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.CostDistribution;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.EngineKind;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;

/**
 * The second half of {@code testbed calibrate} (issue 12: "measures ... each mechanism's steps, fits
 * the cost model"): the primitive costs {@link Calibration} measures describe the real engine's
 * substrate (a continuation switch, a dispatch, a wake), but not what each mechanism's own Java code
 * costs per named step: on the real engine a {@code charge(TRAP)} is only a count, and what the call
 * really pays around it (the PPC upcall, LWKT's port and message checks, the JIT's merging of
 * consecutive steps) belongs to no primitive. So the calibration also measures each mechanism's real
 * round trips here and fits the named costs to them.
 *
 * <p><b>Probes</b> (the calibration's own real-engine runs, {@value #REAL_REPS} measured repetitions
 * taken round-robin over the probes after one discarded JIT warm-up of each, each of {@value #REAL_OPS} calls after {@value #REAL_WARMUP}
 * unmeasured; the figure is the median over repetitions of each repetition's median): for every
 * mechanism, a null round trip on one CPU, a 4,072 B request on one CPU (the largest a PPC page
 * carries), and a null round trip across two CPUs. Two of these are the same workloads as {@link
 * Validation}'s null RPC scenarios (same CPU, across CPUs), and the third is close to its payload
 * sweep's 4096 B point, measured in separate runs; so those validation rows check the fit's
 * reproducibility, not its generality. The rows the fit never saw are the 0 and 256 B payloads (a
 * different workload from null RPC only in name), many clients on 1 and 2 CPUs, and every p99.
 *
 * <p><b>Fit.</b> Each named cost {@code c} that some probe charges gets a scale factor {@code
 * exp(θ_c)} on its measured distribution (the shape is kept). The objective is
 * {@code Σ_k ((sim_k(θ) - real_k) / real_k)² + λ² Σ_c θ_c²}: relative misfit of every probe's
 * simulated median (the model with its distributions, as validation runs it, one fixed seed, so the
 * same draws at every θ) plus a ridge that keeps each
 * cost at its primitive measurement where the probes cannot tell costs apart (PPC's TRAP and
 * ADDRESS_SPACE_SWITCH always come in pairs, for instance: the ridge splits their sum evenly).
 * Minimised by Gauss-Newton with the Jacobian taken by finite differences through the simulator itself,
 * so anything non-linear (who waits for whom across CPUs) is in it. {@code λ} is {@value #LAMBDA}:
 * doubling a cost weighs like a 7% misfit of one probe.
 *
 * <p>The fit, each probe's real figure, its simulated figure before and after, and each cost's
 * factor are written to the model's provenance ({@code fit.*}); each fitted cost's source says it
 * was fitted and by how much.
 */
final class MechanismFit {
  /** Ridge weight on log scale factors. */
  static final double LAMBDA = 0.1;

  static final int REAL_REPS = 7;
  static final int REAL_OPS = 20_000;
  static final int REAL_WARMUP = 5_000;
  static final int SIM_OPS = 2_000;
  static final int SIM_WARMUP = 200;
  static final int ITERATIONS = 8;
  /** Finite-difference step, on log scale. */
  static final double STEP = 0.1;

  /** One mechanism measurement. */
  record Probe(String label, String mechanism, String workload, String placement, int bytes) {
    Map<String, String> params(int ops, int warmup) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("placement", placement);
      if (workload.equals("payload-sweep")) {
        m.put("bytes", Integer.toString(bytes));
      }
      m.put("ops", Integer.toString(ops));
      m.put("warmup", Integer.toString(warmup));
      return m;
    }
  }

  static List<Probe> probes(List<String> mechanisms) {
    List<Probe> out = new ArrayList<>();
    for (String m : mechanisms) {
      out.add(new Probe(m + ".null-same-cpu", m, "null-rpc", "same-cpu", 0));
      out.add(new Probe(m + ".4072B-same-cpu", m, "payload-sweep", "same-cpu", 4072));
      out.add(new Probe(m + ".null-cross-cpu", m, "null-rpc", "cross-cpu", 0));
    }
    return out;
  }

  private final PrintStream log;
  private final List<Probe> probes;
  private final int realOps;
  private final int realWarmup;
  private final int simOps;
  private final int simWarmup;

  /**
   * @param mechanisms the strategies to probe (each a name {@link ConfiguredProvider#parse} accepts)
   * @param scale share of the full probe sizes ({@value #REAL_OPS} calls after {@value #REAL_WARMUP}),
   *     0..1: {@code --quick} and tests use less
   */
  MechanismFit(List<String> mechanisms, double scale, PrintStream log) {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("probe scale must be in (0, 1], got " + scale);
    }
    this.probes = probes(mechanisms);
    this.log = log;
    this.realOps = Math.max(200, (int) (REAL_OPS * scale));
    this.realWarmup = Math.max(100, (int) (REAL_WARMUP * scale));
    this.simOps = Math.max(300, (int) (SIM_OPS * scale));
    this.simWarmup = Math.max(50, (int) (SIM_WARMUP * scale));
  }

  /** The median latency of one run, and the ledger's count of each cost over it. */
  record Run(double median, long[] counts) {}

  static Run runOnce(Probe p, EngineKind engine, CostModel model, long seed, int ops, int warmup) {
    Workload w = WorkloadRegistry.named(p.workload());
    IpcProvider provider = ConfiguredProvider.parse(p.mechanism());
    WorkloadParams params = WorkloadParams.of(w, p.params(ops, warmup));
    MachineConfig.Builder b = MachineConfig.builder().cpus(2).engine(engine).costModel(model)
        .deterministic(false).policy("proportional-share").seed(seed);
    Machine m = Machine.create(w.machine(b, params).build());
    IpcSystem ipc = provider.install(m);
    RunMeasurements meas = new RunMeasurements(m);
    w.install(m, ipc, params, meas);
    m.run();
    Histogram h = meas.histograms().get("call");
    if (h == null || h.getTotalCount() == 0) {
      throw new IllegalStateException("calibration probe " + p.label() + " on the " + engine + " engine recorded no call");
    }
    long[] counts = new long[Cost.values().length];
    for (Cost c : Cost.values()) {
      counts[c.ordinal()] = m.ledger().costCount(c);
    }
    return new Run(h.getValueAtPercentile(50), counts);
  }

  /** What the fit found, for the provenance and the log. */
  record Result(CostModel model, Map<String, String> provenance) {}

  /**
   * Measures every probe on the real engine, fits {@code primitive}'s costs to them and returns the
   * fitted model (named {@code name}, with {@code provenance} plus the fit's own keys).
   */
  Result fit(String name, CostModel primitive, Map<Cost, CostDistribution> measured, Map<String, String> provenance) {
    int k = probes.size();
    double[] real = new double[k];
    String[] realSpread = new String[k];
    for (Probe p : probes) {
      runOnce(p, EngineKind.REAL, primitive, 1, realOps / 4, realWarmup / 4); // JIT warm-up, discarded
    }
    // Repetitions round-robin over the probes, so that a burst of host load hits all of them alike
    // rather than every repetition of one.
    double[][] reps = new double[k][REAL_REPS];
    for (int r = 0; r < REAL_REPS; r++) {
      for (int i = 0; i < k; i++) {
        reps[i][r] = runOnce(probes.get(i), EngineKind.REAL, primitive, r + 1, realOps, realWarmup).median();
      }
    }
    for (int i = 0; i < k; i++) {
      double[] s = reps[i].clone();
      Arrays.sort(s);
      real[i] = s[s.length / 2];
      realSpread[i] = String.format(Locale.ROOT, "real median %s ns (repetition medians %s .. %s, n=%d)",
          Calibration.fmt(real[i]), Calibration.fmt(s[0]), Calibration.fmt(s[s.length - 1]), s.length);
      log.printf(Locale.ROOT, "calibrate: probe %-22s %s%n", probes.get(i).label(), realSpread[i]);
    }
    // Candidates: every priced cost; the first Jacobian keeps those some probe's latency depends on
    // (a charge in its path, or a latency such as IPI_LATENCY that the engine draws without a charge).
    List<Cost> free = new ArrayList<>();
    for (Cost c : Cost.values()) {
      if (c != Cost.CONTENTION_WAIT && c != Cost.NOISE && measured.containsKey(c) && primitive.ns(c) > 0) {
        free.add(c);
      }
    }
    double[] theta = new double[free.size()];
    double[] before = simulate(name, measured, free, theta, provenance);
    double[] sim = before;
    for (int it = 0; it < ITERATIONS; it++) {
      int n = free.size();
      double[][] jac = new double[k][n];
      for (int j = 0; j < n; j++) {
        double[] t = theta.clone();
        t[j] += STEP;
        double[] s = simulate(name, measured, free, t, provenance);
        for (int i = 0; i < k; i++) {
          jac[i][j] = (s[i] - sim[i]) / real[i] / STEP;
        }
      }
      if (it == 0) {
        List<Cost> keep = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          double most = 0;
          for (int i = 0; i < k; i++) {
            most = Math.max(most, Math.abs(jac[i][j]));
          }
          if (most > 1e-4) {
            keep.add(free.get(j));
            double[] col = new double[k];
            for (int i = 0; i < k; i++) {
              col[i] = jac[i][j];
            }
            cols.add(col);
          }
        }
        free = keep;
        n = free.size();
        theta = new double[n];
        jac = new double[k][n];
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < k; i++) {
            jac[i][j] = cols.get(j)[i];
          }
        }
      }
      // (JᵀJ + λ²I) Δ = -(Jᵀr + λ²θ)
      double[][] a = new double[n][n + 1];
      for (int x = 0; x < n; x++) {
        for (int y = 0; y < n; y++) {
          double v = 0;
          for (int i = 0; i < k; i++) {
            v += jac[i][x] * jac[i][y];
          }
          a[x][y] = v + (x == y ? LAMBDA * LAMBDA : 0);
        }
        double g = LAMBDA * LAMBDA * theta[x];
        for (int i = 0; i < k; i++) {
          g += jac[i][x] * (sim[i] - real[i]) / real[i];
        }
        a[x][n] = -g;
      }
      double[] delta = solve(a);
      // Step halving: the simulated medians are not linear in the costs (who waits for whom).
      double current = objective(sim, real, theta);
      double biggest = 0;
      double[] trialSim = null;
      double[] trial = null;
      for (double scale = 1; scale >= 0.125; scale /= 2) {
        trial = theta.clone();
        biggest = 0;
        for (int j = 0; j < n; j++) {
          double d = scale * Math.max(-1.5, Math.min(1.5, delta[j]));
          trial[j] = Math.max(-4, Math.min(3, theta[j] + d));
          biggest = Math.max(biggest, Math.abs(trial[j] - theta[j]));
        }
        trialSim = simulate(name, measured, free, trial, provenance);
        if (objective(trialSim, real, trial) < current) {
          break;
        }
        trialSim = null;
      }
      if (trialSim == null) {
        log.printf(Locale.ROOT, "calibrate: fit iteration %d: no step lowers the misfit; stopping%n", it + 1);
        break;
      }
      theta = trial;
      sim = trialSim;
      log.printf(Locale.ROOT, "calibrate: fit iteration %d: %d costs, largest step %.3f, rms misfit %.1f%%%n", it + 1, n, biggest,
          100 * rms(sim, real));
      if (biggest < 0.01) {
        break;
      }
    }
    int n = free.size();
    Map<String, String> prov = new LinkedHashMap<>(provenance);
    prov.put("fit.method", String.format(Locale.ROOT, "each cost a probe charges scaled by exp(theta) to minimise the sum over probes of "
        + "((sim - real) / real)^2 + %.2g^2 * sum theta^2 (Gauss-Newton, Jacobian by finite differences through the simulator, "
        + "the model's distributions drawn with one fixed seed: the median of a sum of skewed draws is not the sum of means); probes: the calibration's own real-engine runs (%d repetitions of %d calls after %d, median of "
        + "repetition medians), not validation's runs, but the same workloads as validation's null-rpc rows (and close to its 4096 B payload row) "
        + "rows (see MechanismFit's Javadoc)", LAMBDA, REAL_REPS, realOps, realWarmup));
    prov.put("fit.rmsMisfitBefore", String.format(Locale.ROOT, "%.1f%%", 100 * rms(before, real)));
    prov.put("fit.rmsMisfitAfter", String.format(Locale.ROOT, "%.1f%%", 100 * rms(sim, real)));
    for (int i = 0; i < k; i++) {
      prov.put("fit.probe." + probes.get(i).label(), String.format(Locale.ROOT, "%s; sim before %s ns (%+.1f%%), after %s ns (residual %+.1f%%)",
          realSpread[i], Calibration.fmt(before[i]), 100 * (before[i] - real[i]) / real[i], Calibration.fmt(sim[i]),
          100 * (sim[i] - real[i]) / real[i]));
    }
    for (int j = 0; j < n; j++) {
      Cost c = free.get(j);
      prov.put("fit.cost." + c.name(), String.format(Locale.ROOT, "x%.3f (mean %s -> %s ns)", Math.exp(theta[j]),
          Calibration.fmt(measured.get(c).meanNs()), Calibration.fmt(measured.get(c).meanNs() * Math.exp(theta[j]))));
      log.printf(Locale.ROOT, "calibrate: fitted %-20s x%.3f (mean %s -> %s ns)%n", c.name(), Math.exp(theta[j]),
          Calibration.fmt(measured.get(c).meanNs()), Calibration.fmt(measured.get(c).meanNs() * Math.exp(theta[j])));
    }
    return new Result(model(name, measured, free, theta, prov, true), prov);
  }

  private static double objective(double[] sim, double[] real, double[] theta) {
    double s = 0;
    for (int i = 0; i < sim.length; i++) {
      double e = (sim[i] - real[i]) / real[i];
      s += e * e;
    }
    for (double t : theta) {
      s += LAMBDA * LAMBDA * t * t;
    }
    return s;
  }

  private static double rms(double[] sim, double[] real) {
    double s = 0;
    for (int i = 0; i < sim.length; i++) {
      double e = (sim[i] - real[i]) / real[i];
      s += e * e;
    }
    return Math.sqrt(s / sim.length);
  }

  private double[] simulate(String name, Map<Cost, CostDistribution> measured, List<Cost> free, double[] theta, Map<String, String> prov) {
    CostModel m = model(name, measured, free, theta, prov, false);
    double[] out = new double[probes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = runOnce(probes.get(i), EngineKind.SIM, m, 1, simOps, simWarmup).median();
    }
    return out;
  }

  /** {@code measured} with each cost of {@code free} scaled by {@code exp(theta)}. */
  static CostModel model(String name, Map<Cost, CostDistribution> measured, List<Cost> free, double[] theta, Map<String, String> prov,
      boolean withSources) {
    Map<Cost, CostDistribution> m = new EnumMap<>(measured);
    for (int j = 0; j < free.size(); j++) {
      Cost c = free.get(j);
      CostDistribution d = measured.get(c);
      double f = Math.exp(theta[j]);
      double[] s = d.samples();
      for (int i = 0; i < s.length; i++) {
        s[i] *= f;
      }
      String source = withSources
          ? d.source() + String.format(Locale.ROOT, "; then fitted x%.3f to the mechanisms' real round trips measured here "
              + "(provenance fit.*)", f)
          : d.source();
      m.put(c, d.shape() == CostDistribution.Shape.EMPIRICAL ? CostDistribution.empirical(s, source)
          : new CostDistribution(d.meanNs() * f, d.shape(), d.randomFraction(), d.sigma(), null, source));
    }
    return CostModel.ofDistributions(name, m, List.of(), prov);
  }

  /** Gaussian elimination with partial pivoting of an augmented n x (n+1) system. */
  static double[] solve(double[][] a) {
    int n = a.length;
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] t = a[col];
      a[col] = a[piv];
      a[piv] = t;
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int c = col; c <= n; c++) {
          a[r][c] -= f * a[col][c];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double v = a[r][n];
      for (int c = r + 1; c < n; c++) {
        v -= a[r][c] * x[c];
      }
      x[r] = v / a[r][r];
    }
    return x;
  }
}
