package org.ipctestbed.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Json;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;

/**
 * Writes one bench run to {@code results/bench/} (DESIGN.md, "Results"): {@value #CSV} (tidy: one
 * row per case and metric), {@value #JSON} (machine, JDK, commit, configuration, measurements,
 * ratios, targets) and {@value #CHART}{@code .png/.svg} (each mechanism and substrate benchmark as a
 * ratio to its baseline, log scale). Every file is written whole or not at all: to a temporary file
 * in the same directory, then renamed over the old one.
 */
public final class ResultsWriter {
  public static final String CSV = "bench.csv";
  public static final String JSON = "bench.json";
  public static final String CHART = "bench-ratios";

  /** The CSV's columns, in order. */
  public static final List<String> CSV_COLUMNS =
      List.of("case", "group", "mechanism", "kind", "payload_bytes", "cpus", "metric", "value", "error", "unit", "baseline", "outcome", "note");

  private ResultsWriter() {}

  /** Writes the CSV, the JSON (with {@code metadata} first) and the chart into {@code dir}. */
  public static void write(Path dir, Map<String, Object> metadata, List<Measurement> measurements, Targets.Evaluation eval)
      throws IOException {
    Files.createDirectories(dir);
    writeAtomically(dir.resolve(CSV), csv(measurements, eval).getBytes(StandardCharsets.UTF_8));
    writeAtomically(dir.resolve(JSON), Json.write(json(metadata, measurements, eval)).getBytes(StandardCharsets.UTF_8));
    if (!eval.ratios().isEmpty()) {
      CategoryChart chart = chart(eval.ratios());
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
      writeAtomically(dir.resolve(CHART + ".png"), png.toByteArray());
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      writeAtomically(dir.resolve(CHART + ".svg"), svg.toByteArray());
    }
  }

  /** Writes {@code bytes} to {@code target} whole or not at all (the harness's atomic writer). */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    try {
      AtomicFiles.write(target, out -> out.write(bytes));
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static String csv(List<Measurement> measurements, Targets.Evaluation eval) {
    StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    Map<String, Targets.Ratio> ratios = new LinkedHashMap<>();
    for (Targets.Ratio r : eval.ratios()) {
      ratios.put(r.caseId(), r);
    }
    for (Measurement m : measurements) {
      BenchCase c = m.benchCase();
      row(sb, c, "time_per_op", m.score(), m.error(), m.unit(), "", m.outcome(), m.note());
      if (!Double.isNaN(m.allocBytesPerOp())) {
        row(sb, c, "alloc_per_op", m.allocBytesPerOp(), Double.NaN, "B/op", "", m.outcome(), "gc.alloc.rate.norm");
      }
      if (!Double.isNaN(m.carrierBytesPerOp())) {
        row(sb, c, "carrier_alloc_per_op", m.carrierBytesPerOp(), Double.NaN, "B/op", "", m.outcome(), "machine carriers");
      }
      if (!Double.isNaN(m.pairedRatio())) {
        row(sb, c, "variable_over_deterministic", m.pairedRatio(), Double.NaN, "x", "", m.outcome(),
            "wall time, paired in one JVM");
      }
      Targets.Ratio r = ratios.get(c.id());
      if (r != null) {
        row(sb, c, "ratio_to_baseline", r.ratio(), Double.NaN, "x", r.baselineId(), m.outcome(), "");
      }
    }
    for (Targets.SimSpeed s : eval.simSpeeds()) {
      BenchCase c = find(measurements, s);
      row(sb, c, "roundtrips_per_s", s.roundTripsPerSecond(), Double.NaN, "RT/s", "", Measurement.OK, "");
      row(sb, c, "wall_ms", s.wallMs(), Double.NaN, "ms", "", Measurement.OK, "");
    }
    return sb.toString();
  }

  private static BenchCase find(List<Measurement> measurements, Targets.SimSpeed s) {
    for (Measurement m : measurements) {
      BenchCase c = m.benchCase();
      if (c.group().equals("sim") && c.kind().equals(s.kind()) && c.mechanism().equals(s.mechanism()) && c.cpus() == s.cpus()) {
        return c;
      }
    }
    throw new IllegalStateException("no simulator case for " + s);
  }

  private static void row(
      StringBuilder sb, BenchCase c, String metric, double value, double error, String unit, String baseline, String outcome, String note) {
    List<String> f =
        List.of(
            c.id(), c.group(), c.mechanism(), c.kind(), Integer.toString(c.payload()), Integer.toString(c.cpus()), metric,
            num(value), num(error), unit, baseline, outcome, note);
    for (int i = 0; i < f.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(csvField(f.get(i)));
    }
    sb.append('\n');
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }

  static Map<String, Object> json(Map<String, Object> metadata, List<Measurement> measurements, Targets.Evaluation eval) {
    Map<String, Object> root = new LinkedHashMap<>(metadata);
    List<Object> ms = new ArrayList<>();
    for (Measurement m : measurements) {
      BenchCase c = m.benchCase();
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("case", c.id());
      o.put("group", c.group());
      o.put("mechanism", c.mechanism());
      o.put("kind", c.kind());
      o.put("payloadBytes", c.payload());
      o.put("cpus", c.cpus());
      o.put("jmhBenchmark", c.benchmark());
      o.put("jmhParams", new LinkedHashMap<>(c.params()));
      o.put("outcome", m.outcome());
      o.put("score", m.score());
      o.put("scoreError", m.error());
      o.put("unit", m.unit());
      o.put("allocBytesPerOp", m.allocBytesPerOp());
      o.put("carrierBytesPerOp", m.carrierBytesPerOp());
      if (!Double.isNaN(m.pairedRatio())) {
        o.put("pairedRatio", m.pairedRatio());
      }
      o.put("note", m.note());
      ms.add(o);
    }
    root.put("measurements", ms);
    List<Object> rs = new ArrayList<>();
    for (Targets.Ratio r : eval.ratios()) {
      rs.add(
          map("case", r.caseId(), "baseline", r.baselineId(), "nsPerOp", r.nsPerOp(), "baselineNsPerOp", r.baselineNsPerOp(),
              "ratio", r.ratio(), "allocBytesPerOp", r.allocBytesPerOp(),
              "carrierBytesPerOp", r.carrierBytesPerOp()));
    }
    root.put("ratios", rs);
    List<Object> ss = new ArrayList<>();
    for (Targets.SimSpeed s : eval.simSpeeds()) {
      ss.add(map("mechanism", s.mechanism(), "cpus", s.cpus(), "variability", s.variable() ? "variable" : "deterministic",
          "wallMs", s.wallMs(), "roundTripsPerSecond", s.roundTripsPerSecond()));
    }
    root.put("simSpeed", ss);
    List<Object> cs = new ArrayList<>();
    for (Targets.Check k : eval.checks()) {
      cs.add(
          map("target", k.target(), "case", k.caseId(), "measured", k.measured(), "unit", k.unit(), "limit", k.limit(),
              "atMost", k.atMost(), "verdict", k.verdict()));
    }
    root.put("targets", cs);
    return root;
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static CategoryChart chart(List<Targets.Ratio> ratios) {
    long omitted = ratios.stream().filter(r -> !r.baselineReliable()).count();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(Math.max(1000, 40 * ratios.size() + 200))
            .height(750)
            .title("Time per operation as a multiple of its baseline (same run)"
                + (omitted > 0 ? "; " + omitted + " case(s) against an unreliable baseline left out" : ""))
            .xAxisTitle("benchmark (same-CPU vs one continuation round trip; cross-CPU vs JCTools SPSC ping-pong)")
            .yAxisTitle("ratio to baseline (log)")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
    chart.getStyler().setLabelsVisible(true);
    List<String> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Targets.Ratio r : ratios) {
      if (r.baselineReliable() && Double.isFinite(r.ratio()) && r.ratio() > 0) {
        x.add(r.caseId());
        y.add(r.ratio());
      }
    }
    if (x.isEmpty()) {
      x.add("(no baseline measured)");
      y.add(1.0);
    }
    // A log axis on a bar chart needs an explicit floor (XChart refuses bars that start at 0).
    double min = y.stream().mapToDouble(Double::doubleValue).min().orElse(1.0);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.min(min, 1.0)))));
    chart.addSeries("ratio", x, y);
    return chart;
  }
}
