package org.ipctestbed.experiments.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.Format;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.stats.Stats;

/**
 * report.md of a results folder: what ran, on what, whether it finished, a short table of the
 * headline numbers (each an interval, never a bare mean), the significance tests between mechanisms,
 * and every chart embedded (issue 6, "Results layout").
 */
final class Report {
  private Report() {}

  static String num(double v) {
    return Format.num(v);
  }

  static String interval(Stats.Summary s) {
    if (s.n() == 0) {
      return "";
    }
    if (s.n() < 2) {
      return num(s.mean()) + " (n=1, no interval)";
    }
    return num(s.mean()) + " [" + num(s.ciLow()) + (s.lowClamped() ? "*" : "") + ", " + num(s.ciHigh()) + "]";
  }

  static String pval(String s) {
    return Format.p(Csv.parseNumber(s));
  }

  static void write(ResultData d, List<ChartBook.Figure> figs) {
    Map<String, Object> md = d.metadata;
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(d.workload).append(": ").append(String.join(" vs ", d.mechanisms)).append("\n\n");
    Object desc = md.get("workloadDescription");
    if (desc != null) {
      sb.append(desc).append("\n\n");
    }
    boolean interrupted = Boolean.TRUE.equals(md.get("interrupted"));
    if (interrupted) {
      sb.append("> **Incomplete run** (status `").append(md.get("status")).append("`): ").append(md.get("interruptReason"))
          .append(". ").append(md.get("completedReps")).append(" of ").append(md.get("plannedReps"))
          .append(" repetitions finished; the numbers below use only those.\n\n");
    }
    sb.append("| | |\n|---|---|\n");
    sb.append("| command | `").append(md.get("commandLine")).append("` |\n");
    sb.append("| engine(s) | ").append(md.get("engines")).append(" |\n");
    sb.append("| cost model | ").append(d.costModel()).append(" (figures in metadata.json; used by the sim engine only) |\n");
    sb.append("| scheduler policy | ").append(md.get("policy")).append(" |\n");
    sb.append("| CPUs | ").append(md.get("cpus")).append(" |\n");
    sb.append("| repetitions | ").append(md.get("reps")).append(" per point and mechanism, seed ").append(md.get("seed")).append(" + rep |\n");
    sb.append("| parameters | `").append(md.get("params")).append("` |\n");
    if (md.get("environment") instanceof Map<?, ?> env) {
      sb.append("| host | ").append(env.get("cpuModel")).append(", ").append(env.get("cores")).append(" cores, ")
          .append(env.get("os")).append(", JDK ").append(env.get("jdk")).append(" |\n");
    }
    if (md.get("git") instanceof Map<?, ?> git) {
      sb.append("| commit | ").append(git.get("commit")).append(Boolean.TRUE.equals(git.get("dirty")) ? " (uncommitted changes)" : "").append(" |\n");
    }
    sb.append("\nAll intervals are 95% Student-t intervals across repetitions (for latency: on the repetition medians). ")
        .append("Latencies in ns (virtual time in the sim engine); throughput in operations per second; CPU time per operation ")
        .append("is the ledger's charged time (all processes, without idle) divided by the operations. Throughput and CPU time ")
        .append("cover the measured window only (from the end of the warm-up to the end of the run). An interval whose lower ")
        .append("end is marked `0*` reached below zero and was cut there: the repetitions are too few or too spread for a ")
        .append("symmetric interval of a quantity that cannot be negative.\n\n");
    table(d, sb);
    published(d, sb);
    identityWarning(d, sb);
    if (md.get("notes") instanceof Map<?, ?> notes && !notes.isEmpty()) {
      sb.append("## How the workload mapped onto each mechanism\n\n");
      notes.forEach((mech, kv) -> {
        if (kv instanceof Map<?, ?> m) {
          m.forEach((k, v) -> sb.append("- **").append(mech).append("**, ").append(k).append(": ").append(v).append('\n'));
        }
      });
      sb.append('\n');
    }
    contention(d, sb);
    significance(d, sb);
    sb.append("## Figures\n\n");
    for (ChartBook.Figure f : figs) {
      sb.append("### ").append(f.name()).append("\n\n").append(f.caption()).append("\n\n");
      sb.append("![").append(f.name()).append("](").append(f.name()).append(".png)\n\n");
      sb.append("[SVG](").append(f.name()).append(".svg)\n\n");
    }
    sb.append("## Files\n\n")
        .append("- `results.csv`: one row per measurement and repetition (tidy).\n")
        .append("- `summary.csv`: n, mean, sd, median, min, max and 95% interval per measurement.\n")
        .append("- `significance.csv`: Welch's t-test and Mann-Whitney U between mechanisms.\n")
        .append("- `latency-*.hlog`: HdrHistogram logs, one interval per repetition (tag `rep<N>`).\n")
        .append("- `metadata.json`: command line, configuration, cost model figures, machine, commit, times.\n");
    AtomicFiles.writeString(d.dir.resolve(ResultsDir.REPORT), sb.toString());
  }

  /**
   * The named contention points of the simulated runs (issue 12): which shared line or lock word moved
   * between CPUs, how often, and how long CPUs waited for it, so that a scaling difference has a
   * named cause.
   */
  static void contention(ResultData d, StringBuilder sb) {
    if (d.contentionPoints().isEmpty()) {
      return;
    }
    StringBuilder rows = new StringBuilder();
    String worst = null;
    double worstWait = 0;
    for (String p : d.points.keySet()) {
      for (String mech : d.mechanisms) {
        for (String cp : d.contentionPoints()) {
          double[] tr = d.values(p, mech, "contention", cp, "transfers");
          double[] wait = d.values(p, mech, "contention", cp, "wait_ns");
          double t = mean(tr);
          double w = mean(wait);
          if (!(t > 0 || w > 0)) {
            continue;
          }
          rows.append("| ").append(d.label(p)).append(" | ").append(mech).append(" | ").append(cp).append(" | ").append(num(t))
              .append(" | ").append(num(w / 1000)).append(" | ").append(t > 0 ? num(w / t) : "n/a").append(" |\n");
          if (w > worstWait) {
            worstWait = w;
            worst = cp + "** (" + mech + ", " + d.label(p) + ": " + num(w / 1000) + " us of waiting per repetition)";
          }
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    sb.append("## Contention points\n\n")
        .append("Where the simulated engine charged state shared between CPUs: each named cache line or lock word that moved ")
        .append("between CPUs (a transfer, one `CACHE_LINE_TRANSFER`) or made a CPU wait while it was in flight or held ")
        .append("(`CONTENTION_WAIT`), over the whole run (warm-up included), mean over the repetitions in which it occurred. Lines that differ only by a ")
        .append("CPU or replica number are summed (`N`). Sources: `SharedLine`, `ContendedLock` and the research notes they cite.\n\n");
    if (worst != null) {
      sb.append("Most waiting: **").append(worst).append(".\n\n");
    } else {
      sb.append("No CPU waited for a line or lock: the transfers below cost their own time only.\n\n");
    }
    sb.append("| point | mechanism | contention point | transfers | waiting (us) | waiting per transfer (ns) |\n|---|---|---|---:|---:|---:|\n")
        .append(rows).append('\n');
  }

  private static double mean(double[] v) {
    if (v == null || v.length == 0) {
      return 0;
    }
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static void table(ResultData d, StringBuilder sb) {
    List<String> lat = d.latencyMetrics();
    sb.append("## Headline numbers\n\n| point | mechanism |");
    for (String m : lat) {
      sb.append(" ").append(m).append(" p50 (ns) | ").append(m).append(" p99 (ns) |");
    }
    sb.append(d.hasThroughput() ? " throughput (ops/s) |" : "").append(" CPU ns per op (charged, without idle) |\n|---|---|");
    sb.append("---|---|".repeat(lat.size())).append(d.hasThroughput() ? "---|" : "").append("---|\n");
    for (String p : d.points.keySet()) {
      for (String m : d.mechanisms) {
        if (d.values(p, m, "elapsed", "", "value").length == 0) {
          continue;
        }
        String label = d.label(p);
        sb.append("| ").append(label.isEmpty() ? "-" : label).append(" | ").append(m).append(" |");
        for (String metric : lat) {
          sb.append(" ").append(interval(d.summary(p, m, metric, "", "p50"))).append(" | ")
              .append(interval(d.summary(p, m, metric, "", "p99"))).append(" |");
        }
        if (d.hasThroughput()) {
          sb.append(" ").append(interval(d.summary(p, m, "throughput", "", "value"))).append(" |");
        }
        sb.append(" ").append(interval(Stats.summarizeNonNegative(cpuPerOp(d, p, m)))).append(" |\n");
      }
    }
    sb.append('\n');
  }

  /**
   * The published figures of this cost model (metadata "published") beside the measured medians of
   * the simulated points, with the difference in percent.
   */
  private static void published(ResultData d, StringBuilder sb) {
    if (!(d.metadata.get("published") instanceof List<?> figs) || figs.isEmpty()) {
      return;
    }
    StringBuilder rows = new StringBuilder();
    for (Object o : figs) {
      if (!(o instanceof Map<?, ?> f)) {
        continue;
      }
      String metric = String.valueOf(f.get("metric"));
      String mech = String.valueOf(f.get("mechanism"));
      double pub = ((Number) f.get("ns")).doubleValue();
      for (String p : d.points.keySet()) {
        if (!"sim".equals(d.points.get(p).get("engine"))) {
          continue;
        }
        Stats.Summary s = d.summary(p, mech, metric, "", "p50");
        if (s.n() == 0) {
          continue;
        }
        String label = d.label(p);
        rows.append("| ").append(label.isEmpty() ? "-" : label).append(" | ").append(mech).append(" | ").append(metric)
            .append(" | ").append(num(s.mean())).append(" | ").append(num(pub)).append(" | ")
            .append(String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * (s.mean() - pub) / pub)).append(" | ")
            .append(f.get("source")).append(" |\n");
      }
    }
    if (rows.length() == 0) {
      return;
    }
    sb.append("## Measured vs published\n\n")
        .append("The simulated median (mean over repetitions) on cost model `").append(d.costModel())
        .append("` beside the figure its authors published for the machine that preset models.\n\n")
        .append("| point | mechanism | metric | measured p50 (ns) | published (ns) | difference | source |\n")
        .append("|---|---|---|---|---|---|---|\n").append(rows).append('\n');
  }

  /** Says so when the ledger did not account for every CPU nanosecond exactly once in some repetition. */
  private static void identityWarning(ResultData d, StringBuilder sb) {
    for (String p : d.points.keySet()) {
      for (String m : d.mechanisms) {
        for (double v : d.values(p, m, "ledger_identity_error", "", "value")) {
          if (v != 0) {
            sb.append("> **Accounting warning**: the ledger identity (accounts + idle = CPUs x elapsed) is off by ")
                .append(num(v)).append(" ns for ").append(m).append(d.label(p).isEmpty() ? "" : " at " + d.label(p))
                .append("; CPU-time figures there are not exact.\n\n");
            return;
          }
        }
      }
    }
  }

  /**
   * Per repetition: CPU time charged to every process (idle excluded) divided by the operations. The
   * rows of one repetition are written together, so the i-th value of every measurement belongs to
   * the same repetition.
   */
  static double[] cpuPerOp(ResultData d, String p, String m) {
    double[] ops = d.values(p, m, "ops", "", "count");
    double[] out = new double[ops.length];
    for (String sc : d.cpuSubjects()) {
      String subject = sc.substring(0, sc.indexOf('|'));
      if (subject.equals("idle")) {
        continue;
      }
      double[] ns = d.values(p, m, "cpu_time", subject, sc.substring(sc.indexOf('|') + 1));
      for (int i = 0; i < Math.min(ns.length, out.length); i++) {
        out[i] += ns[i];
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = ops[i] > 0 ? out[i] / ops[i] : Double.NaN;
    }
    return out;
  }

  private static void significance(ResultData d, StringBuilder sb) {
    Csv.Table sig = Analysis.significance(ResultsDir.results(d.dir));
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, String> r : Analysis.rows(sig)) {
      if (r.get("stat").equals("p50") || r.get("metric").equals("throughput")) {
        rows.add(r);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    sb.append("## Differences between mechanisms\n\n")
        .append("Welch's t-test and the Mann-Whitney U test across repetitions (two-sided); \"significant\" is `yes` when both")
        .append(" give p < 0.05, `mixed` when they disagree, `n/a` when either cannot be computed (too few repetitions, or no")
        .append(" variance on either side). Full table: `significance.csv`.\n\n")
        .append("| point | measure | A | B | mean B / mean A | Welch p | Mann-Whitney p | significant |\n|---|---|---|---|---|---|---|---|\n");
    for (Map<String, String> r : rows) {
      StringBuilder point = new StringBuilder();
      for (String v : d.varying) {
        String col = v;
        if (r.containsKey(col)) {
          point.append(point.length() == 0 ? "" : " ").append(v).append('=').append(r.get(col));
        }
      }
      String measure = r.get("metric").equals("throughput") ? "throughput" : r.get("metric") + " " + r.get("stat");
      sb.append("| ").append(point.length() == 0 ? "-" : point).append(" | ").append(measure).append(" | ")
          .append(r.get("mechanism_a")).append(" | ").append(r.get("mechanism_b")).append(" | ")
          .append(num(Csv.parseNumber(r.get("ratio_b_to_a")))).append(" | ").append(pval(r.get("welch_p"))).append(" | ")
          .append(pval(r.get("mann_whitney_p"))).append(" | ").append(r.get("significant")).append(" |\n");
    }
    sb.append('\n');
  }
}
