package org.ipctestbed.experiments.calibration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.harness.Progress;
import org.ipctestbed.experiments.harness.RepResult;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Environment;
import org.ipctestbed.substrate.CostModel;
import org.ipctestbed.substrate.CostModelFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * {@code testbed validation}: the simulated engine with a calibrated cost model against the real
 * engine on the same host (issue 12, "Validation"; DESIGN.md: "The simulator is validated against the
 * real engine on the same host (results/validation/)"). For null RPC on one CPU and across CPUs, the
 * payload sweep, and many clients on 1 and 2 CPUs, each mechanism runs on both engines with the same
 * seeds; the relative error of the median latency, p99 and throughput is tabulated against the
 * targets (median within 15%, throughput within 20%), and each miss names its likely cause.
 *
 * <p>Writes into its folder: {@code README.md} (the table, the verdicts and causes, the host and the
 * model's provenance), {@code validation.csv}, {@code validation.png}, the cost model used
 * ({@code cost-model.properties}) and, under {@code runs/}, the harness's folder of each scenario.
 */
public final class Validation {
  /** Median latency target: |sim - real| / real. */
  public static final double MEDIAN_TARGET = 0.15;

  /** Throughput target. */
  public static final double THROUGHPUT_TARGET = 0.20;

  /** One comparison: a workload with fixed parameters. */
  record Scenario(String name, String workload, List<Integer> cpus, Map<String, List<String>> sets,
      Map<String, List<String>> quickSets) {}

  private static Map<String, List<String>> sets(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1].split(",")));
    }
    return m;
  }

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("null-rpc-same-cpu", "null-rpc", List.of(2), sets("placement", "same-cpu", "ops", "20000", "warmup", "5000"),
          sets("placement", "same-cpu", "ops", "5000", "warmup", "2000")),
      new Scenario("null-rpc-cross-cpu", "null-rpc", List.of(2), sets("placement", "cross-cpu", "ops", "20000", "warmup", "5000"),
          sets("placement", "cross-cpu", "ops", "5000", "warmup", "2000")),
      new Scenario("payload-sweep", "payload-sweep", List.of(2), sets("bytes", "0,256,4096", "placement", "same-cpu", "ops", "10000",
          "warmup", "3000"), sets("bytes", "0,4096", "placement", "same-cpu", "ops", "3000", "warmup", "1000")),
      new Scenario("many-clients", "many-clients", List.of(1, 2), sets("clients", "4", "server-cpus", "1", "ops", "5000", "warmup",
          "1000"), sets("clients", "4", "server-cpus", "1", "ops", "1500", "warmup", "500")));

  /** One row of the table. */
  public record Row(String scenario, String point, String mechanism, double realP50, double simP50, double realP99, double simP99,
      double realTput, double simTput) {
    public double errP50() {
      return rel(simP50, realP50);
    }

    public double errP99() {
      return rel(simP99, realP99);
    }

    public double errTput() {
      return rel(simTput, realTput);
    }

    boolean medianOk() {
      return Math.abs(errP50()) <= MEDIAN_TARGET;
    }

    boolean throughputOk() {
      return Double.isNaN(errTput()) || Math.abs(errTput()) <= THROUGHPUT_TARGET;
    }
  }

  static double rel(double sim, double real) {
    return real > 0 ? (sim - real) / real : Double.NaN;
  }

  private final PrintStream log;

  public Validation(PrintStream log) {
    this.log = log;
  }

  /**
   * Runs every scenario into {@code out}, comparing {@code mechanisms} on both engines with the model
   * in {@code costModelFile}, and writes the report.
   *
   * @return the rows of the table
   */
  public List<Row> run(Path costModelFile, Path out, List<String> mechanisms, int reps, boolean quick, boolean quiet) {
    CostModel model = CostModel.named(costModelFile.toString());
    try {
      Files.createDirectories(out.resolve("runs"));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create " + out + ": " + e.getMessage(), e);
    }
    AtomicFiles.writeString(out.resolve("cost-model.properties"), CostModelFile.format(model,
        "the cost model this validation used (from " + costModelFile + ")"));
    long t0 = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    for (Scenario s : SCENARIOS) {
      ExperimentSpec spec = new ExperimentSpec(s.workload(), mechanisms, List.of("real", "sim"), s.cpus(), reps, -1, 1,
          quick ? s.quickSets() : s.sets(), out.resolve("cost-model.properties").toString(), "proportional-share",
          out.resolve("runs").resolve(s.name()), "testbed validation" + (quick ? " --quick" : "") + " (scenario " + s.name() + ")", false);
      log.println("validation: " + s.name());
      // reference(true): a validation regenerates its own committed runs/ folders, as reproduce does
      Harness.Outcome o = new Harness(List.of()).reference(true).run(spec, quiet ? new Harness.Listener() {} : new Progress(log, false, false));
      if (!o.complete()) {
        throw new IllegalStateException("validation scenario " + s.name() + " " + o.status() + ": " + o.reason());
      }
      rows.addAll(compare(s, o.results()));
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    writeReport(out, model, costModelFile, rows, reps, quick, minutes);
    return rows;
  }

  private static List<Row> compare(Scenario s, List<RepResult> results) {
    Map<String, double[][]> acc = new LinkedHashMap<>(); // key -> [engine 0 real, 1 sim][p50 sum, p99 sum, tput sum, n]
    Map<String, String[]> keys = new LinkedHashMap<>();
    for (RepResult r : results) {
      Map<String, String> params = new LinkedHashMap<>(r.point().params());
      String point = "cpus=" + r.point().cpus() + (s.workload().equals("payload-sweep") ? " bytes=" + params.get("bytes") : "");
      String key = point + "|" + r.mechanism();
      keys.put(key, new String[] {point, r.mechanism()});
      double[][] a = acc.computeIfAbsent(key, k -> new double[2][4]);
      int e = r.point().engine().equals("real") ? 0 : 1;
      Histogram h = r.latencies().get("call");
      if (h == null || h.getTotalCount() == 0) {
        continue;
      }
      a[e][0] += h.getValueAtPercentile(50);
      a[e][1] += h.getValueAtPercentile(99);
      // Throughput by Little's law over the measured calls (N closed-loop clients / mean latency): the
      // real engine's elapsed time also holds carrier start-up and JIT warm-up, which are not the
      // mechanism's throughput and which the simulated engine does not have.
      double clients = params.containsKey("clients") ? Double.parseDouble(params.get("clients")) : 1;
      a[e][2] += clients * 1e9 / h.getMean();
      a[e][3]++;
    }
    List<Row> rows = new ArrayList<>();
    acc.forEach((k, a) -> {
      if (a[0][3] == 0 || a[1][3] == 0) {
        return;
      }
      String[] pm = keys.get(k);
      rows.add(new Row(s.name(), pm[0], pm[1], a[0][0] / a[0][3], a[1][0] / a[1][3], a[0][1] / a[0][3], a[1][1] / a[1][3],
          a[0][2] / a[0][3], a[1][2] / a[1][3]));
    });
    return rows;
  }

  /** The cause of a miss, without the calibration's figures (a model that was not fitted). */
  static String cause(Row r) {
    return cause(r, Map.of());
  }

  /** The calibration probe ({@link MechanismFit}) that measured the same round trip as {@code r}, or null. */
  static String probeOf(Row r) {
    if (r.scenario().equals("null-rpc-same-cpu") || (r.scenario().equals("payload-sweep") && !r.point().contains("bytes=4096"))) {
      return r.mechanism() + ".null-same-cpu";
    }
    if (r.scenario().equals("payload-sweep")) {
      return r.mechanism() + ".4072B-same-cpu";
    }
    if (r.scenario().equals("null-rpc-cross-cpu")) {
      return r.mechanism() + ".null-cross-cpu";
    }
    if (r.scenario().equals("many-clients")) {
      return r.mechanism() + (r.point().startsWith("cpus=1") ? ".null-same-cpu" : ".null-cross-cpu");
    }
    return null;
  }

  /** The real median the calibration measured for {@code probe}, from the model's provenance, or NaN. */
  static double calibrationReal(Map<String, String> provenance, String probe) {
    String v = probe == null ? null : provenance.get("fit.probe." + probe);
    if (v == null) {
      return Double.NaN;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("real median ([0-9.]+) ns").matcher(v);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The fit's residual for {@code probe} (a fraction), or NaN. */
  static double fitResidual(Map<String, String> provenance, String probe) {
    String v = probe == null ? null : provenance.get("fit.probe." + probe);
    if (v == null) {
      return Double.NaN;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("residual ([-+0-9.]+)%").matcher(v);
    return m.find() ? Double.parseDouble(m.group(1)) / 100 : Double.NaN;
  }

  /**
   * The cause of a miss, from figures measured here: the two engines' tails (mean and p99 against the
   * median, from the rows themselves), the real round trip the calibration measured for the same
   * mechanism ({@code provenance}'s {@code fit.probe.*}: if the real engine moved between calibration
   * and validation, the host did), and the fit's own residual for it.
   */
  static String cause(Row r, Map<String, String> provenance) {
    List<String> c = new ArrayList<>();
    double clients = r.scenario().equals("many-clients") ? 4 : 1;
    double realMean = clients * 1e9 / r.realTput();
    double simMean = clients * 1e9 / r.simTput();
    String probe = probeOf(r);
    double cal = calibrationReal(provenance, probe);
    double residual = fitResidual(provenance, probe);
    if (!r.medianOk()) {
      if (r.scenario().equals("many-clients")) {
        if (!Double.isNaN(cal)) {
          c.add(String.format(Locale.ROOT, "load the model does not scale: the real median with 4 clients is %.2fx the real "
                  + "round trip the calibration measured alone (%s ns, probe %s), the simulated %.2fx", r.realP50() / cal, num(cal), probe,
              r.simP50() / cal));
        } else {
          c.add(String.format(Locale.ROOT, "the real median with 4 clients (%s ns) against the simulated (%s ns); "
              + "no calibration probe measured this mechanism alone", num(r.realP50()), num(r.simP50())));
        }
      } else if (!Double.isNaN(cal) && Math.abs(r.realP50() - cal) / cal > MEDIAN_TARGET) {
        c.add(String.format(Locale.ROOT, "the real engine moved: the calibration measured this round trip at %s ns (probe %s), "
            + "this run at %s ns (%+.0f%%), on a host whose load average was %s before calibration and %s after",
            num(cal), probe, num(r.realP50()), 100 * (r.realP50() - cal) / cal, provenance.getOrDefault("loadAverageBefore", "?"),
            provenance.getOrDefault("loadAverageAfter", "?")));
      } else if (!Double.isNaN(residual) && Math.abs(residual) > MEDIAN_TARGET / 2) {
        c.add(String.format(Locale.ROOT, "the fit leaves the calibration's probe %s at %+.0f%%: the costs this mechanism shares with "
            + "the others cannot match every probe at once (see the fit table)", probe, 100 * residual));
      } else if (!Double.isNaN(cal)) {
        c.add(String.format(Locale.ROOT, "the calibration measured %s ns (probe %s, fit residual %+.0f%% at one seed) and the "
            + "simulated mean here is %s ns (%+.0f%% of the real median), but the simulated median over these seeds is %s: the "
            + "model's per-call distribution is multi-modal (its empirical costs are batch means whose spread holds slow host "
            + "states, drawn afresh per call), so its median jumps between modes with the seed", num(cal), probe, 100 * residual,
            num(simMean), 100 * (simMean - r.realP50()) / r.realP50(), num(r.simP50())));
      } else {
        c.add("the model was not fitted to this mechanism's round trips (testbed calibrate --fit)");
      }
    }
    if (!r.throughputOk()) {
      c.add(String.format(Locale.ROOT, "throughput is clients / mean latency: the real mean is %.2fx its median (%s against %s ns), "
          + "the simulated %.2fx: the real engine's tail (host preemption of carrier threads, parking, JIT, GC) is outside the model",
          realMean / r.realP50(), num(realMean), num(r.realP50()), simMean / r.simP50()));
    }
    if (Math.abs(r.errP99()) > 0.5) {
      c.add(String.format(Locale.ROOT, "p99: the real p99 is %.1fx its median, the simulated %.1fx (the model's spread is the "
          + "calibrated distributions' only; try +background)", r.realP99() / r.realP50(), r.simP99() / r.simP50()));
    }
    return String.join("; ", c);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * v);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : v >= 1e5 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.0f", v);
  }

  private void writeReport(Path out, CostModel model, Path modelFile, List<Row> rows, int reps, boolean quick, double minutes) {
    StringBuilder csv = new StringBuilder(
        "scenario,point,mechanism,real_p50_ns,sim_p50_ns,err_p50,real_p99_ns,sim_p99_ns,err_p99,real_ops_s,sim_ops_s,err_tput,median_ok,throughput_ok\n");
    for (Row r : rows) {
      csv.append(String.join(",", r.scenario(), r.point(), r.mechanism(), num(r.realP50()), num(r.simP50()),
          String.format(Locale.ROOT, "%.4f", r.errP50()), num(r.realP99()), num(r.simP99()), String.format(Locale.ROOT, "%.4f", r.errP99()),
          num(r.realTput()), num(r.simTput()), String.format(Locale.ROOT, "%.4f", r.errTput()),
          Boolean.toString(r.medianOk()), Boolean.toString(r.throughputOk()))).append('\n');
    }
    AtomicFiles.writeString(out.resolve("validation.csv"), csv.toString());
    long medOk = rows.stream().filter(Row::medianOk).count();
    long tputOk = rows.stream().filter(Row::throughputOk).count();
    StringBuilder md = new StringBuilder();
    md.append("# Validation: the simulated engine against the real engine on this host\n\n")
        .append("Written by `./testbed validation").append(quick ? " --quick" : "").append("` on ").append(Instant.now())
        .append(" in ").append(String.format(Locale.ROOT, "%.1f", minutes)).append(" minutes. Each mechanism ran every scenario on the ")
        .append("real engine and on the simulated engine with the calibrated cost model `").append(model.name())
        .append("` (file `cost-model.properties`, from `").append(modelFile).append("`), ").append(reps)
        .append(" repetitions each with the same seeds; figures are means over repetitions of each repetition's median, p99 and throughput. ")
        .append("Throughput is the closed-loop clients' rate by Little's law (clients / mean latency of the measured calls): the real ")
        .append("engine's elapsed time also holds carrier start-up and JIT warm-up, which would swamp the comparison.\n\n")
        .append("Targets: median latency within ").append((int) (100 * MEDIAN_TARGET)).append("%, throughput within ")
        .append((int) (100 * THROUGHPUT_TARGET)).append("%. Met: median ").append(medOk).append(" of ").append(rows.size())
        .append(", throughput ").append(tputOk).append(" of ").append(rows.size()).append(".\n\n")
        .append("Host: ").append(Environment.describe()).append(". Model provenance: ").append(withoutFit(model.provenance())).append(".\n\n")
        .append(fitSection(model.provenance()))
        .append("> The real engine's figures describe this host while it ran: on a shared or loaded machine they, and so the ")
        .append("errors, are only indicative. Re-run on a quiet host: `./testbed validation` (about 4 minutes on 2 cores; ")
        .append("`--quick` about 1).\n\n")
        .append("![relative error](validation.png)\n\n")
        .append("| scenario | point | mechanism | real p50 ns | sim p50 ns | error | real p99 ns | sim p99 ns | error | real ops/s | sim ops/s | error | verdict | cause of a miss |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (Row r : rows) {
      String verdict = (r.medianOk() ? "median ok" : "**median miss**") + ", " + (r.throughputOk() ? "throughput ok" : "**throughput miss**");
      md.append("| ").append(String.join(" | ", r.scenario(), r.point(), r.mechanism(), num(r.realP50()), num(r.simP50()), pct(r.errP50()),
          num(r.realP99()), num(r.simP99()), pct(r.errP99()), num(r.realTput()), num(r.simTput()), pct(r.errTput()), verdict, cause(r, model.provenance())))
          .append(" |\n");
    }
    md.append("\nData: `validation.csv`; every run's own results folder under `runs/` (results.csv with both engines, ")
        .append("`mechanism_cost` rows with the simulated time per named cost, metadata.json with the model's sources).\n");
    AtomicFiles.writeString(out.resolve("README.md"), md.toString());
    chart(out, rows);
  }

  private static Map<String, String> withoutFit(Map<String, String> provenance) {
    Map<String, String> m = new LinkedHashMap<>();
    provenance.forEach((k, v) -> {
      if (!k.startsWith("fit.")) {
        m.put(k, v);
      }
    });
    return m;
  }

  /** The calibration's fit (MechanismFit), as two tables, or a line saying the model was not fitted. */
  static String fitSection(Map<String, String> p) {
    StringBuilder b = new StringBuilder("## The calibration's fit\n\n");
    if (!p.containsKey("fit.method")) {
      return b.append("The model was not fitted to the mechanisms' round trips (`testbed calibrate --fit none`, or a preset): ")
          .append("its costs are the primitives as measured.\n\n").toString();
    }
    b.append("Method: ").append(p.get("fit.method")).append(". Relative misfit (rms over probes): before ")
        .append(p.get("fit.rmsMisfitBefore")).append(", after ").append(p.get("fit.rmsMisfitAfter")).append(".\n\n")
        .append("Which validation rows the fit saw: the probes are the calibration's own runs, but `null-rpc-same-cpu` and ")
        .append("`null-rpc-cross-cpu` are the same workloads, and the 4,072 B probe is next to the payload sweep's 4096 B point; ")
        .append("those rows test that the fit reproduces, not that it generalises. The 0 and 256 B payload points, many clients ")
        .append("and every p99 were not fitted.\n\n")
        .append("| probe | measured and fitted |\n|---|---|\n");
    p.forEach((k, v) -> {
      if (k.startsWith("fit.probe.")) {
        b.append("| ").append(k.substring("fit.probe.".length())).append(" | ").append(v).append(" |\n");
      }
    });
    b.append("\n| cost | fitted factor on the primitive measurement |\n|---|---|\n");
    p.forEach((k, v) -> {
      if (k.startsWith("fit.cost.")) {
        b.append("| ").append(k.substring("fit.cost.".length())).append(" | ").append(v).append(" |\n");
      }
    });
    return b.append("\n").toString();
  }

  private static void chart(Path out, List<Row> rows) {
    CategoryChart c = new CategoryChartBuilder().width(1400).height(600).title("Simulated vs real engine: relative error (sim - real) / real")
        .xAxisTitle("scenario, point, mechanism").yAxisTitle("relative error, %").build();
    c.getStyler().setXAxisLabelRotation(60);
    List<String> labels = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> tput = new ArrayList<>();
    for (Row r : rows) {
      labels.add(r.scenario() + " " + r.point() + " " + r.mechanism());
      p50.add(100 * r.errP50());
      tput.add(Double.isNaN(r.errTput()) ? 0 : 100 * r.errTput());
    }
    if (labels.isEmpty()) {
      return;
    }
    c.addSeries("median latency", labels, p50);
    c.addSeries("throughput", labels, tput);
    AtomicFiles.writeVia(out.resolve("validation.png"), p -> BitmapEncoder.saveBitmap(c, p.toString(), BitmapEncoder.BitmapFormat.PNG));
  }
}
