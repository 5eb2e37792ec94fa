package org.ipctestbed.experiments.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.stats.Stats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code testbed compare A B}: what changed between two results folders and whether it is
 * significant. Measurements are matched on every identifying column (workload, mechanism, engine,
 * cost model, policy, CPUs, parameters, metric, subject, statistic); for each latency p50/p99/mean
 * and throughput present in both it prints both intervals, the relative change and the Welch and
 * Mann-Whitney p-values across repetitions. It also lists the configuration that differs (cost
 * model, commit, JDK, host), which is often the explanation.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "States what changed between two results folders (same workload) and whether each change is significant (Welch t-test and Mann-Whitney U, p < 0.05).")
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
      throw new IllegalArgumentException("cannot compare " + a + " and " + b + ": different columns (different workloads?): "
          + ta.header() + " vs " + tb.header());
    }
    List<String> keys = Analysis.keyColumns(ta.header());
    Map<List<String>, double[]> va = Analysis.valuesByKey(ta);
    Map<List<String>, double[]> vb = Analysis.valuesByKey(tb);
    int metric = keys.indexOf("metric");
    int stat = keys.indexOf("stat");
    int unit = keys.indexOf("unit");
    PrintStream out = CliContext.out();
    out.println("# compare " + a + " (A) with " + b + " (B)");
    out.println();
    List<String> differs = new ArrayList<>();
    diff(differs, "status", ma.get("status"), mb.get("status"));
    diff(differs, "cost model", name(ma.get("costModel")), name(mb.get("costModel")));
    diff(differs, "policy", ma.get("policy"), mb.get("policy"));
    diff(differs, "engines", ma.get("engines"), mb.get("engines"));
    diff(differs, "reps", ma.get("reps"), mb.get("reps"));
    diff(differs, "seed", ma.get("seed"), mb.get("seed"));
    diff(differs, "commit", sub(ma, "git", "commit"), sub(mb, "git", "commit"));
    diff(differs, "JDK", sub(ma, "environment", "jdk"), sub(mb, "environment", "jdk"));
    diff(differs, "CPU model", sub(ma, "environment", "cpuModel"), sub(mb, "environment", "cpuModel"));
    out.println(differs.isEmpty() ? "Configuration: the same (status, cost model, policy, engines, reps, seed, commit, JDK, CPU model)."
        : "Configuration that differs: " + String.join("; ", differs) + ".");
    out.println();
    out.println("| measurement | A: mean [95% CI] | B: mean [95% CI] | change | Welch p | Mann-Whitney p | significant |");
    out.println("|---|---|---|---|---|---|---|");
    int matched = 0;
    int significant = 0;
    for (Map.Entry<List<String>, double[]> e : va.entrySet()) {
      List<String> k = e.getKey();
      if (!Analysis.isTested(k.get(metric), k.get(stat), k.get(unit)) || !vb.containsKey(k)) {
        continue;
      }
      matched++;
      double[] xa = e.getValue();
      double[] xb = vb.get(k);
      List<String> row = Analysis.testRow(List.of(), "A", xa, "B", xb);
      String verdict = row.get(row.size() - 1);
      if (verdict.equals("yes")) {
        significant++;
      }
      Stats.Summary sa = Stats.summarize(xa);
      Stats.Summary sb = Stats.summarize(xb);
      double change = sa.mean() == 0 ? Double.NaN : (sb.mean() - sa.mean()) / sa.mean() * 100;
      out.println("| " + describe(keys, k) + " | " + ci(sa) + " | " + ci(sb) + " | "
          + (Double.isNaN(change) ? "n/a" : String.format(java.util.Locale.ROOT, "%+.1f%%", change)) + " | "
          + p(row.get(row.size() - 4)) + " | " + p(row.get(row.size() - 2)) + " | " + verdict + " |");
    }
    if (matched == 0) {
      throw new IllegalArgumentException("nothing to compare: " + a + " and " + b
          + " share no measurement (different workloads, strategies or parameters)");
    }
    out.println();
    out.println(matched + " measurement(s) compared; " + significant + " changed significantly (both tests p < 0.05).");
    return 0;
  }

  private static String describe(List<String> keys, List<String> k) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String c = keys.get(i);
      if (c.equals("workload") || c.equals("unit") || k.get(i).isEmpty()) {
        continue;
      }
      parts.add(c.equals("metric") || c.equals("stat") || c.equals("mechanism") ? k.get(i) : c + "=" + k.get(i));
    }
    return String.join(" ", parts);
  }

  private static String ci(Stats.Summary s) {
    return s.n() < 2 ? Csv.number(s.mean()) + " (n=" + s.n() + ")"
        : Csv.number(s.mean()) + " [" + Csv.number(s.ciLow()) + ", " + Csv.number(s.ciHigh()) + "]";
  }

  private static String p(String s) {
    double v = Csv.parseNumber(s);
    return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", v);
  }

  private static Object name(Object costModel) {
    return costModel instanceof Map<?, ?> m ? m.get("name") : costModel;
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
