package org.ipctestbed.experiments.charts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Json;
import org.ipctestbed.experiments.stats.LatencyStats;
import org.ipctestbed.experiments.stats.Stats;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws every chart a results folder supports, from the files in it (issue 6, "Charts"), as PNG at
 * 300 dpi and SVG, then writes report.md embedding them. Which charts apply is decided by the data:
 *
 * <ul>
 *   <li>{@code percentiles}: p50 … max of each latency metric per mechanism, mean of the repetitions
 *       with 95 % t-interval error bars, one chart per point;
 *   <li>{@code latency-vs-param}: median latency (with interval) and p99 against every swept numeric
 *       parameter, such as the payload size;
 *   <li>{@code throughput-vs-cpus}: operations per second against the CPU count, with ideal linear
 *       scaling from the smallest count drawn dashed;
 *   <li>{@code cpu-time}: the ledger's CPU time per operation, stacked by process and category (user,
 *       mechanism) plus idle: who paid for the service;
 *   <li>{@code async}: deposits, wake-ups and EBUSY refusals per repetition;
 *   <li>{@code cdf}: the latency distribution of all repetitions merged, on a logarithmic latency axis,
 *       from the .hlog files.
 * </ul>
 */
public final class ChartBook {
  private ChartBook() {}

  /** The chart types {@code chart --type} accepts. */
  public static final List<String> TYPES =
      List.of("percentiles", "latency-vs-param", "throughput-vs-cpus", "cpu-time", "async", "cdf");

  /** A drawn figure: file base name (without extension), type and a one-sentence caption. */
  public record Figure(String name, String type, String caption) {}

  /** Counters drawn by the {@code async} chart. */
  static final List<String> ASYNC_COUNTERS = List.of("deposits", "wakeups", "ebusy");

  /** Draws every chart type into {@code dir} and writes report.md; returns the figures. */
  public static List<Figure> drawAll(Path dir) {
    return draw(dir, TYPES);
  }

  /**
   * Draws the given chart types from the data in {@code dir}, replacing earlier charts of those
   * types, and rewrites report.md.
   *
   * @throws IllegalArgumentException for an unknown type (naming the allowed ones) or a folder that is
   *     not a compatible results folder
   */
  public static List<Figure> draw(Path dir, List<String> types) {
    return draw(dir, types, null);
  }

  /**
   * {@link #draw(Path, List)} with {@code metadata} in place of the folder's metadata.json (null: read
   * it): the harness draws the report of a run before it marks metadata.json finished, so that a
   * folder never says {@code complete} without its report.
   */
  public static List<Figure> draw(Path dir, List<String> types, java.util.Map<String, Object> metadata) {
    return draw(dir, types, metadata, w -> {});
  }

  /**
   * {@link #draw(Path, List, java.util.Map)}, telling {@code warn} (one line each) about input it had
   * to leave out: a damaged .hlog file, whose CDF is drawn from the intervals that could be read.
   */
  public static List<Figure> draw(Path dir, List<String> types, java.util.Map<String, Object> metadata,
      java.util.function.Consumer<String> warn) {
    for (String t : types) {
      if (!TYPES.contains(t)) {
        throw new IllegalArgumentException("unknown chart type '" + t + "'; allowed: " + String.join(", ", TYPES));
      }
    }
    ResultData d = new ResultData(dir, metadata);
    d.warn = warn;
    // Every chart is built (cheap) so that report.md lists them all; only the selected types are rendered.
    List<Figure> figs = new ArrayList<>();
    Render r = new Render(types);
    percentiles(d, figs, r);
    latencyVsParam(d, figs, r);
    throughputVsCpus(d, figs, r);
    cpuTime(d, figs, r);
    async(d, figs, r);
    cdf(d, figs, r);
    figs.removeIf(f -> !types.contains(f.type()) && !Files.isRegularFile(dir.resolve(f.name() + ".png")));
    Report.write(d, figs);
    return figs.stream().filter(f -> types.contains(f.type())).toList();
  }

  private static String suffix(ResultData d, String point) {
    String s = d.slug(point);
    return s.isEmpty() ? "" : "-" + s;
  }

  private static String where(ResultData d, String point) {
    String l = d.paramLabel(point);
    return d.context(point) + (l.isEmpty() ? "" : ", " + l);
  }

  /** The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above {@code max × 1.05}: an axis top that gets regular ticks. */
  static double niceMax(double max) {
    if (!(max > 0)) {
      return 1;
    }
    double target = max * 1.05;
    double p = Math.pow(10, Math.floor(Math.log10(target)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= target) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  // ------------------------------------------------------------------ percentiles

  static void percentiles(ResultData d, List<Figure> figs, Render r) {
    for (String metric : d.latencyMetrics()) {
      for (String p : d.points.keySet()) {
        CategoryChart c = ChartStyle.category(
            d.workload + ": " + metric + " latency percentiles (" + where(d, p) + ")",
            "percentile (bars: mean of repetitions, whiskers: 95% CI)", "latency (ns)");
        boolean any = false;
        double top = 0;
        for (String m : d.mechanisms) {
          List<Double> y = new ArrayList<>();
          List<Double> e = new ArrayList<>();
          for (String s : LatencyStats.PERCENTILES) {
            Stats.Summary sum = d.summary(p, m, metric, "", s);
            y.add(orZero(sum.mean()));
            e.add(orZero(sum.ciHalfWidth()));
            top = Math.max(top, orZero(sum.mean()) + orZero(sum.ciHalfWidth()));
          }
          if (d.values(p, m, metric, "", "p50").length > 0) {
            c.addSeries(m, LatencyStats.PERCENTILES, y, e);
            any = true;
          }
        }
        if (any) {
          c.getStyler().setYAxisMax(niceMax(top));
          r.save(d, c, new Figure("percentiles-" + metric + suffix(d, p), "percentiles",
              "Latency percentiles of `" + metric + "` per mechanism" + (d.label(p).isEmpty() ? "" : " at " + d.label(p))
                  + ": mean over repetitions with 95% confidence intervals."), figs);
        }
      }
    }
  }

  // ------------------------------------------------------------------ latency vs a swept parameter

  private static boolean numeric(String s) {
    try {
      Double.parseDouble(s.replace("_", ""));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Points grouped by every varying dimension except {@code x}, each group sorted by {@code x}. */
  private static Map<String, List<String>> groupsAlong(ResultData d, String x) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : d.points.entrySet()) {
      List<String> rest = new ArrayList<>();
      for (String v : d.varying) {
        if (!v.equals(x) && e.getValue().containsKey(v)) {
          rest.add(v + "=" + e.getValue().get(v));
        }
      }
      groups.computeIfAbsent(String.join(" ", rest), k -> new ArrayList<>()).add(e.getKey());
    }
    for (List<String> g : groups.values()) {
      g.sort(Comparator.comparingDouble(pk -> Double.parseDouble(d.points.get(pk).get(x).replace("_", ""))));
    }
    return groups;
  }

  static String axisTitle(String param) {
    if (param.equals("bytes")) {
      return "payload (bytes)";
    }
    if (param.endsWith("-ns")) {
      return param + " (ns)";
    }
    return param;
  }

  static void latencyVsParam(ResultData d, List<Figure> figs, Render r) {
    for (String x : d.params) {
      if (!d.varying.contains(x) || !d.points.values().stream().allMatch(m -> numeric(m.get(x)))) {
        continue;
      }
      for (Map.Entry<String, List<String>> g : groupsAlong(d, x).entrySet()) {
        if (g.getValue().size() < 2) {
          continue;
        }
        String first = g.getValue().get(0);
        for (String metric : d.latencyMetrics()) {
          XYChart c = ChartStyle.xy(
              d.workload + ": " + metric + " latency vs " + x + " (" + d.context(first) + (g.getKey().isEmpty() ? "" : ", " + g.getKey()) + ")",
              axisTitle(x), "latency (ns): median with 95% CI; p99 dashed");
          int i = 0;
          for (String m : d.mechanisms) {
            List<Double> xs = new ArrayList<>();
            List<Double> p50 = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (String p : g.getValue()) {
              Stats.Summary s = d.summary(p, m, metric, "", "p50");
              if (s.n() == 0) {
                continue;
              }
              xs.add(Double.parseDouble(d.points.get(p).get(x).replace("_", "")));
              p50.add(s.mean());
              err.add(orZero(s.ciHalfWidth()));
              p99.add(d.summary(p, m, metric, "", "p99").mean());
            }
            if (xs.isEmpty()) {
              continue;
            }
            XYSeries a = c.addSeries(m + " p50", xs, p50, err);
            style(a, i, 0);
            XYSeries b = c.addSeries(m + " p99", xs, p99);
            style(b, i, 1);
            i++;
          }
          if (i > 0) {
            String rest = g.getKey().isEmpty() ? "" : "-" + ResultData.safe(g.getKey().replace(' ', '_').replace('=', '-'));
            r.save(d, c, new Figure("latency-vs-" + x + "-" + metric + rest, "latency-vs-param",
                "Median (with 95% CI) and p99 latency of `" + metric + "` against " + axisTitle(x)
                    + (g.getKey().isEmpty() ? "" : " at " + g.getKey()) + ", per mechanism."), figs);
          }
        }
      }
    }
  }

  private static void style(XYSeries s, int series, int line) {
    s.setLineColor(ChartStyle.GRAYS[series % ChartStyle.GRAYS.length]);
    s.setMarkerColor(ChartStyle.GRAYS[series % ChartStyle.GRAYS.length]);
    s.setMarker(ChartStyle.MARKERS[series % ChartStyle.MARKERS.length]);
    s.setLineStyle(line == 0 ? ChartStyle.LINES[0] : ChartStyle.LINES[1 + series % (ChartStyle.LINES.length - 1)]);
  }

  // ------------------------------------------------------------------ throughput vs CPUs

  static void throughputVsCpus(ResultData d, List<Figure> figs, Render r) {
    if (!d.varying.contains("cpus") || !d.hasThroughput()) {
      return;
    }
    for (Map.Entry<String, List<String>> g : groupsAlong(d, "cpus").entrySet()) {
      if (g.getValue().size() < 2) {
        continue;
      }
      String first = g.getValue().get(0);
      Map<String, String> dims = d.points.get(first);
      String ctx = dims.get("engine") + " engine" + (dims.get("engine").equals("sim") ? ", cost model " + d.costModel() : "");
      XYChart c = ChartStyle.xy(
          d.workload + ": throughput vs CPUs (" + ctx + (g.getKey().isEmpty() ? "" : ", " + g.getKey()) + ")",
          "CPUs", "throughput (operations/s, log scale), mean with 95% CI");
      // A log axis: the direct-call lower bound is orders of magnitude above the mechanisms, which a
      // linear axis flattens to zero (issue 12, "Charts that show the comparison").
      c.getStyler().setYAxisLogarithmic(true);
      XYChart speedup = ChartStyle.xy(
          d.workload + ": speed-up vs CPUs (" + ctx + (g.getKey().isEmpty() ? "" : ", " + g.getKey()) + ")",
          "CPUs", "speed-up: throughput / throughput at the smallest CPU count");
      int i = 0;
      for (String m : d.mechanisms) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (String p : g.getValue()) {
          Stats.Summary s = d.summary(p, m, "throughput", "", "value");
          if (s.n() == 0) {
            continue;
          }
          xs.add(Double.parseDouble(d.points.get(p).get("cpus")));
          ys.add(s.mean());
          err.add(Math.min(orZero(s.ciHalfWidth()), s.mean() * 0.99)); // a log axis cannot show a bar below 0
        }
        if (xs.isEmpty() || ys.get(0) <= 0) {
          continue;
        }
        XYSeries a = c.addSeries(m, xs, ys, err);
        style(a, i, 0);
        List<Double> su = new ArrayList<>();
        for (double y : ys) {
          su.add(y / ys.get(0));
        }
        style(speedup.addSeries(m, xs, su), i, 0);
        List<Double> ideal = new ArrayList<>();
        for (double x : xs) {
          ideal.add(ys.get(0) * x / xs.get(0));
        }
        XYSeries b = c.addSeries(m + " ideal linear", xs, ideal);
        b.setLineColor(ChartStyle.GRAYS[i % ChartStyle.GRAYS.length]);
        b.setLineStyle(ChartStyle.IDEAL);
        b.setMarker(SeriesMarkers.NONE);
        i++;
      }
      if (i > 0) {
        String rest = g.getKey().isEmpty() ? "" : "-" + ResultData.safe(g.getKey().replace(' ', '_').replace('=', '-'));
        r.save(d, c, new Figure("throughput-vs-cpus" + rest, "throughput-vs-cpus",
            "Throughput against the CPU count per mechanism (95% CI, log axis), with ideal linear scaling from the smallest count dashed."), figs);
        List<Double> xsAll = new ArrayList<>();
        for (String p : g.getValue()) {
          xsAll.add(Double.parseDouble(d.points.get(p).get("cpus")));
        }
        List<Double> ideal = new ArrayList<>();
        for (double x : xsAll) {
          ideal.add(x / xsAll.get(0));
        }
        XYSeries b = speedup.addSeries("ideal linear", xsAll, ideal);
        b.setLineColor(ChartStyle.GRAYS[0]);
        b.setLineStyle(ChartStyle.IDEAL);
        b.setMarker(SeriesMarkers.NONE);
        r.save(d, speedup, new Figure("speedup-vs-cpus" + rest, "throughput-vs-cpus",
            "Speed-up against the smallest CPU count per mechanism, with ideal linear speed-up dashed: where a mechanism "
                + "(or a shared object) stops scaling."), figs);
      }
    }
  }

  // ------------------------------------------------------------------ CPU time per process and category

  static void cpuTime(ResultData d, List<Figure> figs, Render r) {
    List<String> subjects = d.cpuSubjects();
    if (subjects.isEmpty()) {
      return;
    }
    for (String p : d.points.keySet()) {
      boolean perOp = d.counters().contains("ops");
      CategoryChart c = ChartStyle.category(
          d.workload + ": who paid for the CPU time (" + where(d, p) + ")", "mechanism",
          perOp ? "CPU time per operation (ns), mean of repetitions" : "CPU time (ns), mean of repetitions");
      c.getStyler().setStacked(true);
      List<org.knowm.xchart.CategorySeries> series = new ArrayList<>();
      List<String> mechs = new ArrayList<>();
      for (String m : d.mechanisms) {
        if (d.values(p, m, "cpu_time", "idle", "idle").length > 0) {
          mechs.add(m);
        }
      }
      if (mechs.isEmpty()) {
        continue;
      }
      double[] stack = new double[mechs.size()];
      for (String sc : subjects) {
        String subject = sc.substring(0, sc.indexOf('|'));
        String cat = sc.substring(sc.indexOf('|') + 1);
        List<Double> ys = new ArrayList<>();
        for (int j = 0; j < mechs.size(); j++) {
          String m = mechs.get(j);
          double ns = orZero(d.summary(p, m, "cpu_time", subject, cat).mean());
          double ops = perOp ? d.summary(p, m, "ops", "", "count").mean() : 1;
          ys.add(ops > 0 ? ns / ops : ns);
          stack[j] += ys.get(j);
        }
        if (ys.stream().allMatch(v -> v == 0)) {
          continue;
        }
        series.add(c.addSeries(subject.equals("idle") ? "idle" : subject + " " + cat, mechs, ys));
      }
      shadeStack(series);
      c.getStyler().setYAxisMax(niceMax(java.util.Arrays.stream(stack).max().orElse(0)));
      r.save(d, c, new Figure("cpu-time" + suffix(d, p), "cpu-time",
          "CPU time charged by the ledger per " + (perOp ? "operation" : "run") + ", stacked by process and category (user, mechanism) plus idle"
              + (d.label(p).isEmpty() ? "" : " at " + d.label(p)) + ": who paid for the service."), figs);
    }
  }

  /**
   * Gray levels for a stack that stay distinct in black and white however many layers there are:
   * evenly spaced from near-black to light gray, neighbours far apart; idle (the last layer) almost
   * white with a dark outline.
   */
  static void shadeStack(List<org.knowm.xchart.CategorySeries> series) {
    int n = series.size();
    boolean idleLast = n > 0 && series.get(n - 1).getName().equals("idle");
    int layers = idleLast ? n - 1 : n;
    for (int i = 0; i < layers; i++) {
      int step = layers == 1 ? 0 : (i % 2 == 0 ? i / 2 : (layers + 1) / 2 + i / 2);
      int level = 0x18 + (layers == 1 ? 0 : step * (0xC8 - 0x18) / (layers - 1));
      series.get(i).setFillColor(new java.awt.Color(level, level, level));
    }
    if (idleLast) {
      series.get(n - 1).setFillColor(new java.awt.Color(0xF4, 0xF4, 0xF4));
      series.get(n - 1).setLineColor(java.awt.Color.DARK_GRAY);
    }
  }

  // ------------------------------------------------------------------ async counters

  static void async(ResultData d, List<Figure> figs, Render r) {
    List<String> counters = ASYNC_COUNTERS.stream().filter(d.counters()::contains).toList();
    if (counters.isEmpty()) {
      return;
    }
    for (String p : d.points.keySet()) {
      CategoryChart c = ChartStyle.category(d.workload + ": asynchronous sends (" + where(d, p) + ")", "mechanism",
          "count per repetition (mean, 95% CI)");
      List<String> mechs = new ArrayList<>();
      for (String m : d.mechanisms) {
        if (d.values(p, m, counters.get(0), "", "count").length > 0) {
          mechs.add(m);
        }
      }
      if (mechs.isEmpty()) {
        continue;
      }
      double top = 0;
      for (String k : counters) {
        List<Double> ys = new ArrayList<>();
        List<Double> es = new ArrayList<>();
        for (String m : mechs) {
          Stats.Summary s = d.summary(p, m, k, "", "count");
          ys.add(orZero(s.mean()));
          es.add(orZero(s.ciHalfWidth()));
          top = Math.max(top, orZero(s.mean()) + orZero(s.ciHalfWidth()));
        }
        c.addSeries(k, mechs, ys, es);
      }
      c.getStyler().setYAxisMax(niceMax(top));
      r.save(d, c, new Figure("async" + suffix(d, p), "async",
          "Asynchronous sends: messages deposited, receiver wake-ups and EBUSY refusals per repetition"
              + (d.label(p).isEmpty() ? "" : " at " + d.label(p)) + "."), figs);
    }
  }

  // ------------------------------------------------------------------ latency CDF from the .hlog files

  /**
   * The repetitions of one .hlog file merged into one histogram, or null when the file is absent or
   * nothing in it can be read; a damaged file is reported to {@code warn}.
   */
  static Histogram readHlog(Path f) {
    return readHlog(f, w -> {});
  }

  static Histogram readHlog(Path f, java.util.function.Consumer<String> warn) {
    Histogram merged = null;
    List<Histogram> intervals;
    try {
      intervals = PercentileSpectrum.intervals(f);
    } catch (RuntimeException e) {
      warn.accept(Json.firstLine(e) + "; its CDF is left out");
      return null;
    }
    long lines = PercentileSpectrum.intervalLines(f);
    if (intervals.size() < lines) {
      warn.accept("damaged histogram log " + f + ": " + (lines - intervals.size()) + " of " + lines
          + " interval line(s) could not be read; its CDF shows the others");
    }
    for (Histogram h : intervals) {
      if (merged == null) {
        merged = new Histogram(h.getLowestDiscernibleValue(), h.getHighestTrackableValue(), h.getNumberOfSignificantValueDigits());
      }
      merged.add(h);
    }
    return merged;
  }

  static void cdf(ResultData d, List<Figure> figs, Render r) {
    for (String metric : d.latencyMetrics()) {
      for (String p : d.points.keySet()) {
        XYChart c = ChartStyle.xy(d.workload + ": " + metric + " latency CDF (" + where(d, p) + ")",
            "latency (ns, log scale)", "fraction of calls at or below");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("#,##0");
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        int i = 0;
        for (String m : d.mechanisms) {
          Histogram h = readHlog(d.hlog(p, m, metric), d.warn);
          if (h == null || h.getTotalCount() == 0) {
            continue;
          }
          List<Double> xs = new ArrayList<>();
          List<Double> ys = new ArrayList<>();
          double total = h.getTotalCount();
          for (HistogramIterationValue v : h.recordedValues()) {
            xs.add((double) Math.max(1, h.highestEquivalentValue(v.getValueIteratedTo())));
            ys.add(v.getTotalCountToThisValue() / total);
          }
          XYSeries a = c.addSeries(m, xs, ys);
          style(a, i, 0);
          a.setMarker(SeriesMarkers.NONE);
          a.setLineStyle(ChartStyle.LINES[i % ChartStyle.LINES.length]);
          i++;
        }
        if (i > 0) {
          r.save(d, c, new Figure("cdf-" + metric + suffix(d, p), "cdf",
              "Cumulative distribution of `" + metric + "` latency, all repetitions merged (from the .hlog files), log latency axis"
                  + (d.label(p).isEmpty() ? "" : ", at " + d.label(p)) + "."), figs);
        }
      }
    }
  }

  // ------------------------------------------------------------------ output

  /** Renders the charts of the selected types (PNG at 300 dpi and SVG, each written atomically) and lists every figure. */
  private record Render(List<String> types) {
    void save(ResultData d, Chart<?, ?> chart, Figure f, List<Figure> figs) {
      if (types.contains(f.type())) {
        Path png = d.dir.resolve(f.name() + ".png");
        Path svg = d.dir.resolve(f.name() + ".svg");
        AtomicFiles.writeVia(png, tmp -> BitmapEncoder.saveBitmapWithDPI(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG, 300));
        AtomicFiles.write(svg, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
      }
      figs.add(f);
    }
  }
}
