package org.ipctestbed.experiments.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.stats.Stats;

/**
 * Derives summary.csv and significance.csv from the tidy rows of results.csv, so that the same code
 * serves a fresh run, {@code chart} and {@code compare} (issue 6, "Statistics").
 *
 * <ul>
 *   <li>summary.csv: one row per measurement key (every results.csv column except rep, seed and
 *       value) with n, mean, sd, median, min, max and the 95 % t-interval across repetitions. For a
 *       latency metric the row with stat {@code p50} is the interval on the repetition medians.
 *   <li>significance.csv: for every pair of mechanisms at the same point, on the latency p50, p99 and
 *       mean and on throughput: Welch's t-test and the Mann-Whitney U test across repetitions.
 * </ul>
 */
public final class Analysis {
  private Analysis() {}

  public static final List<String> SUMMARY_STATS =
      List.of("n", "mean", "sd", "median", "min", "max", "ci95_low", "ci95_high", "ci95_low_clamped");

  public static final List<String> TEST_COLUMNS =
      List.of("mechanism_a", "mechanism_b", "n_a", "n_b", "mean_a", "mean_b", "ratio_b_to_a",
          "welch_t", "welch_p", "mann_whitney_u", "mann_whitney_p", "significant");

  /** Rows of a table as maps from column to value, in file order. */
  public static List<Map<String, String>> rows(Csv.Table t) {
    List<Map<String, String>> out = new ArrayList<>(t.rows().size());
    for (List<String> r : t.rows()) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < t.header().size(); i++) {
        m.put(t.header().get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  /** The columns of results.csv that identify a measurement across repetitions. */
  public static List<String> keyColumns(List<String> header) {
    List<String> k = new ArrayList<>(header);
    k.removeAll(List.of("rep", "seed", "value"));
    return k;
  }

  /** The repetition values of each measurement key, in first-seen order. */
  public static Map<List<String>, double[]> valuesByKey(Csv.Table results) {
    List<String> keys = keyColumns(results.header());
    int[] idx = keys.stream().mapToInt(results::column).toArray();
    int value = results.column("value");
    Map<List<String>, List<Double>> acc = new LinkedHashMap<>();
    for (List<String> r : results.rows()) {
      List<String> key = new ArrayList<>(idx.length);
      for (int i : idx) {
        key.add(r.get(i));
      }
      acc.computeIfAbsent(key, x -> new ArrayList<>()).add(Csv.parseNumber(r.get(value)));
    }
    Map<List<String>, double[]> out = new LinkedHashMap<>();
    acc.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return out;
  }

  /** summary.csv as a table. */
  public static Csv.Table summary(Csv.Table results) {
    List<String> header = new ArrayList<>(keyColumns(results.header()));
    header.addAll(SUMMARY_STATS);
    List<List<String>> rows = new ArrayList<>();
    int metric = keyColumns(results.header()).indexOf("metric");
    valuesByKey(results).forEach((key, xs) -> {
      Stats.Summary s = canBeNegative(key.get(metric)) ? Stats.summarize(xs) : Stats.summarizeNonNegative(xs);
      List<String> row = new ArrayList<>(key);
      row.add(Integer.toString(s.n()));
      for (double d : new double[] {s.mean(), s.sd(), s.median(), s.min(), s.max(), s.ciLow(), s.ciHigh()}) {
        row.add(Csv.number(d));
      }
      row.add(s.lowClamped() ? "yes" : "no");
      rows.add(row);
    });
    return new Csv.Table(header, rows);
  }

  /**
   * Whether a metric can take negative values (only the ledger's identity error can); every other
   * measurement is a latency, a rate, a time or a count, whose interval is cut at zero.
   */
  public static boolean canBeNegative(String metric) {
    return metric.equals("ledger_identity_error");
  }

  /** Whether a measurement is one the significance tests compare. */
  public static boolean isTested(String metric, String stat, String unit) {
    return (unit.equals("ns") && !metric.equals("elapsed") && !metric.equals("cpu_time") && !metric.equals("ledger_identity_error")
            && (stat.equals("p50") || stat.equals("p99") || stat.equals("mean")))
        || metric.equals("throughput");
  }

  /** significance.csv as a table. */
  public static Csv.Table significance(Csv.Table results) {
    List<String> keys = keyColumns(results.header());
    int mech = keys.indexOf("mechanism");
    int metric = keys.indexOf("metric");
    int stat = keys.indexOf("stat");
    int unit = keys.indexOf("unit");
    List<String> header = new ArrayList<>(keys);
    header.remove("mechanism");
    header.addAll(TEST_COLUMNS);
    Map<List<String>, Map<String, double[]>> byPoint = new LinkedHashMap<>();
    valuesByKey(results).forEach((key, xs) -> {
      if (!isTested(key.get(metric), key.get(stat), key.get(unit))) {
        return;
      }
      List<String> rest = new ArrayList<>(key);
      rest.remove(mech);
      byPoint.computeIfAbsent(rest, x -> new LinkedHashMap<>()).put(key.get(mech), xs);
    });
    List<List<String>> rows = new ArrayList<>();
    byPoint.forEach((rest, mechs) -> {
      List<String> names = new ArrayList<>(mechs.keySet());
      for (int i = 0; i < names.size(); i++) {
        for (int j = i + 1; j < names.size(); j++) {
          rows.add(testRow(rest, names.get(i), mechs.get(names.get(i)), names.get(j), mechs.get(names.get(j))));
        }
      }
    });
    return new Csv.Table(header, rows);
  }

  /** One significance row: {@code prefix} then {@link #TEST_COLUMNS}. */
  public static List<String> testRow(List<String> prefix, String nameA, double[] a, String nameB, double[] b) {
    Stats.TestResult w = Stats.welch(a, b);
    Stats.TestResult u = Stats.mannWhitney(a, b);
    double ma = Stats.summarize(a).mean();
    double mb = Stats.summarize(b).mean();
    List<String> row = new ArrayList<>(prefix);
    row.add(nameA);
    row.add(nameB);
    row.add(Integer.toString(a.length));
    row.add(Integer.toString(b.length));
    row.add(Csv.number(ma));
    row.add(Csv.number(mb));
    row.add(Csv.number(ma == 0 ? Double.NaN : mb / ma));
    row.add(Csv.number(w.statistic()));
    row.add(Csv.number(w.p()));
    row.add(Csv.number(u.statistic()));
    row.add(Csv.number(u.p()));
    row.add(verdict(w, u));
    return row;
  }

  /**
   * {@code yes} only when both tests can be computed and both reject equality at {@link Stats#ALPHA};
   * {@code no} when both can and neither does; {@code mixed} when they disagree; {@code n/a} when
   * either cannot be computed (too few repetitions, or zero variance on both sides for Welch's): one
   * test alone is not enough to call a difference significant.
   */
  public static String verdict(Stats.TestResult w, Stats.TestResult u) {
    if (Double.isNaN(w.p()) || Double.isNaN(u.p())) {
      return "n/a";
    }
    if (w.significant() != u.significant()) {
      return "mixed";
    }
    return w.significant() ? "yes" : "no";
  }
}
