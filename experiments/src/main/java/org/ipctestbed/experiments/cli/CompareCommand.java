package org.ipctestbed.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.Format;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.stats.Stats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code testbed compare A B}: what changed between two results folders and whether it is
 * significant.
 *
 * <p>A column of results.csv that holds one value in A and another single value in B (the cost
 * model, the policy, a parameter such as {@code work-ns}) is a <em>changed setting</em>: it is
 * reported, and measurements are matched without it. Every other identifying column (strategy,
 * swept parameters, CPUs, metric, statistic) must match. For each latency p50/p99/mean and
 * throughput present in both, the command prints both 95 % intervals, the relative change and the
 * Welch and Mann-Whitney p-values across repetitions. It also lists the run configuration that
 * differs (commit, JDK, host, seed), which is often the explanation.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "States what changed between two results folders of one workload and whether each change is significant (Welch t-test and Mann-Whitney U, p < 0.05).")
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR_A", description = "baseline results folder")
  Path a;

  @Parameters(index = "1", paramLabel = "DIR_B", description = "results folder compared against it")
  Path b;

  @Override
  public Integer call() {
    Map<String, Object> ma = ResultsDir.metadata(a);
    Map<String, Object> mb = ResultsDir.metadata(b);
    Csv.Table ta = ResultsDir.results(a);
    Csv.Table tb = ResultsDir.results(b);
    if (!ta.header().equals(tb.header())) {
      throw new IllegalArgumentException("cannot compare " + a + " and " + b + ": their results.csv columns differ (different workloads?)");
    }
    List<String> keys = Analysis.keyColumns(ta.header());
    List<String> settings = new ArrayList<>();
    Set<Integer> dropped = new LinkedHashSet<>();
    Set<Integer> shown = new LinkedHashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      String c = keys.get(i);
      Set<String> va = distinct(ta, c);
      Set<String> vb = distinct(tb, c);
      if (va.size() == 1 && vb.size() == 1 && !va.equals(vb) && !List.of("metric", "subject", "stat", "unit", "mechanism").contains(c)) {
        settings.add(c + " " + va.iterator().next() + " -> " + vb.iterator().next());
        dropped.add(i);
      } else if (!c.equals("unit") && (va.size() > 1 || vb.size() > 1 || List.of("mechanism", "metric", "stat").contains(c))) {
        shown.add(i);
      }
    }
    int metric = keys.indexOf("metric");
    int stat = keys.indexOf("stat");
    int unit = keys.indexOf("unit");
    Map<List<String>, double[]> vb = reduce(Analysis.valuesByKey(tb), dropped);
    List<String> lines = new ArrayList<>();
    int significant = 0;
    for (Map.Entry<List<String>, double[]> e : reduce(Analysis.valuesByKey(ta), dropped).entrySet()) {
      List<String> k = e.getKey();
      int mi = reducedIndex(metric, dropped);
      int si = reducedIndex(stat, dropped);
      int ui = reducedIndex(unit, dropped);
      if (!Analysis.isTested(k.get(mi), k.get(si), k.get(ui)) || !vb.containsKey(k)) {
        continue;
      }
      double[] xa = e.getValue();
      double[] xb = vb.get(k);
      List<String> row = Analysis.testRow(List.of(), "A", xa, "B", xb);
      String verdict = row.get(row.size() - 1);
      if (verdict.equals("yes")) {
        significant++;
      }
      Stats.Summary sa = Stats.summarizeNonNegative(xa); // tested measurements are latencies and rates
      Stats.Summary sb = Stats.summarizeNonNegative(xb);
      double change = sa.mean() == 0 ? Double.NaN : (sb.mean() - sa.mean()) / sa.mean() * 100;
      List<String> what = new ArrayList<>();
      for (int i : shown) {
        String v = k.get(reducedIndex(i, dropped));
        String c = keys.get(i);
        if (v.isEmpty()) {
          continue;
        }
        what.add(List.of("mechanism", "metric", "stat").contains(c) ? v : c + "=" + v);
      }
      lines.add("| " + String.join(" ", what) + " | " + ci(sa) + " | " + ci(sb) + " | "
          + (Double.isNaN(change) ? "n/a" : String.format(java.util.Locale.ROOT, "%+.1f%%", change)) + " | "
          + Format.p(Csv.parseNumber(row.get(row.size() - 4))) + " | " + Format.p(Csv.parseNumber(row.get(row.size() - 2)))
          + " | " + verdict + " |");
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("nothing to compare: " + a + " and " + b
          + " share no latency or throughput measurement (different strategies or swept values?)");
    }
    List<String> differs = new ArrayList<>();
    diff(differs, "status", ma.get("status"), mb.get("status"));
    diff(differs, "reps", ma.get("reps"), mb.get("reps"));
    diff(differs, "seed", ma.get("seed"), mb.get("seed"));
    diff(differs, "commit", sub(ma, "git", "commit"), sub(mb, "git", "commit"));
    diff(differs, "JDK", sub(ma, "environment", "jdk"), sub(mb, "environment", "jdk"));
    diff(differs, "CPU model", sub(ma, "environment", "cpuModel"), sub(mb, "environment", "cpuModel"));
    var out = CliContext.out();
    out.println("# compare " + a + " (A) with " + b + " (B)");
    out.println();
    out.println(settings.isEmpty() ? "Settings: the same in both." : "Settings that changed: " + String.join("; ", settings) + ".");
    out.println(differs.isEmpty() ? "Run: same status, repetitions, seed, commit, JDK and CPU model."
        : "Run differences: " + String.join("; ", differs) + ".");
    out.println();
    out.println("| measurement | A: mean [95% CI] | B: mean [95% CI] | change | Welch p | Mann-Whitney p | significant |");
    out.println("|---|---|---|---|---|---|---|");
    lines.forEach(out::println);
    out.println();
    out.println(lines.size() + " measurement(s) compared; " + significant + " changed significantly (both tests p < 0.05).");
    return 0;
  }

  private static Set<String> distinct(Csv.Table t, String column) {
    int i = t.column(column);
    Set<String> s = new LinkedHashSet<>();
    for (List<String> r : t.rows()) {
      s.add(r.get(i));
    }
    return s;
  }

  private static Map<List<String>, double[]> reduce(Map<List<String>, double[]> byKey, Set<Integer> dropped) {
    Map<List<String>, double[]> out = new LinkedHashMap<>();
    byKey.forEach((k, v) -> {
      List<String> r = new ArrayList<>();
      for (int i = 0; i < k.size(); i++) {
        if (!dropped.contains(i)) {
          r.add(k.get(i));
        }
      }
      out.put(r, v);
    });
    return out;
  }

  private static int reducedIndex(int i, Set<Integer> dropped) {
    int n = i;
    for (int d : dropped) {
      if (d < i) {
        n--;
      }
    }
    return n;
  }

  private static String ci(Stats.Summary s) {
    return s.n() < 2 ? Format.num(s.mean()) + " (n=" + s.n() + ")"
        : Format.num(s.mean()) + " [" + Format.num(s.ciLow()) + (s.lowClamped() ? "*" : "") + ", " + Format.num(s.ciHigh()) + "]";
  }

  private static Object sub(Map<String, Object> m, String section, String key) {
    return m.get(section) instanceof Map<?, ?> s ? s.get(key) : null;
  }

  private static void diff(List<String> out, String what, Object x, Object y) {
    if (!Objects.equals(x, y)) {
      out.add(what + " " + x + " -> " + y);
    }
  }
}
