package org.ipctestbed.experiments.charts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.ResultsDir;

/**
 * Writes {@code percentiles.csv}: the whole latency distribution of every latency metric, per
 * mechanism, point and repetition, as plain CSV beside the {@code .hlog} files it is read from (issue
 * 16), for tools that cannot decode HdrHistogram logs (the notebooks: no HdrHistogram package exists
 * for Python on these machines).
 *
 * <p>One row per distinct recorded value of one repetition's histogram, in increasing order. Columns:
 * those of results.csv up to the parameters (workload, mechanism, engine, cost_model, policy, cpus,
 * one per parameter), then {@code rep, seed, metric}, then
 *
 * <ul>
 *   <li>{@code value}: the latency in ns, the highest value equivalent to the histogram bucket (3
 *       significant digits), as HdrHistogram reports percentiles;
 *   <li>{@code count}: samples in that bucket; {@code cumulative_count}: samples at or below it;
 *       {@code total_count}: samples in the repetition;
 *   <li>{@code percentile}: {@code 100 × cumulative_count / total_count}, the percentile this value
 *       reaches.
 * </ul>
 *
 * <p>Any percentile is recovered exactly as HdrHistogram's {@code getValueAtPercentile(p)} computes it
 * (and so as results.csv's p50 … max are): the {@code value} of the first row whose {@code
 * cumulative_count} is at least {@code max(1, ceil(p / 100 × total_count))}, with p taken one ulp
 * below its nominal value. Summing {@code count} per {@code value} over repetitions gives the merged
 * distribution the {@code cdf} chart draws.
 *
 * <p>The file is derived data: the harness writes it at the end of a run and {@code chart DIR}
 * rewrites it, so a folder written before it existed gets it without a re-run.
 */
public final class PercentileSpectrum {
  private PercentileSpectrum() {}

  /** The file name in a results folder. */
  public static final String FILE = ResultsDir.PERCENTILES;

  /** The columns after the point's columns. */
  public static final List<String> TAIL =
      List.of("rep", "seed", "metric", "value", "count", "cumulative_count", "total_count", "percentile");

  /**
   * Writes {@code dir/percentiles.csv} from the folder's results.csv and .hlog files, replacing an
   * earlier one; a repetition whose histogram is missing from its .hlog file (an interrupted write)
   * has no rows.
   *
   * @return the number of rows written
   * @throws IllegalArgumentException when {@code dir} is not a compatible results folder or a .hlog
   *     file cannot be read
   */
  public static int write(Path dir) {
    return write(dir, null);
  }

  /**
   * {@link #write(Path)}, but a damaged .hlog file is reported to {@code warn} (one line) and its
   * repetitions left out, instead of failing; {@code warn} null: fail.
   */
  public static int write(Path dir, java.util.function.Consumer<String> warn) {
    ResultData d = new ResultData(dir);
    Csv.Table t = ResultsDir.results(dir);
    List<String> lead = t.header().subList(0, t.header().size() - ResultsDir.TAIL.size());
    // (point, mechanism, metric) -> rep -> the results.csv row that names it (its p50 row)
    Map<List<String>, Map<String, Map<String, String>>> reps = new LinkedHashMap<>();
    for (Map<String, String> r : Analysis.rows(t)) {
      if (r.get("stat").equals("p50") && r.get("unit").equals("ns") && r.get("subject").isEmpty()) {
        reps.computeIfAbsent(List.of(d.pointOf(r), r.get("mechanism"), r.get("metric")), k -> new LinkedHashMap<>())
            .putIfAbsent(r.get("rep"), r);
      }
    }
    List<String> header = new ArrayList<>(lead);
    header.addAll(TAIL);
    List<List<String>> rows = new ArrayList<>();
    reps.forEach((key, byRep) -> {
      Map<String, Histogram> byTag = new LinkedHashMap<>();
      List<Histogram> read;
      try {
        read = intervals(d.hlog(key.get(0), key.get(1), key.get(2)));
      } catch (IllegalArgumentException e) {
        if (warn == null) {
          throw e;
        }
        warn.accept(e.getMessage() + "; left out of " + FILE);
        read = List.of();
      }
      for (Histogram h : read) {
        byTag.putIfAbsent(h.getTag(), h);
      }
      byRep.forEach((rep, r) -> {
        Histogram h = byTag.get("rep" + rep);
        if (h == null || h.getTotalCount() == 0) {
          return;
        }
        List<String> prefix = new ArrayList<>();
        for (String c : lead) {
          prefix.add(r.get(c));
        }
        prefix.add(rep);
        prefix.add(r.get("seed"));
        prefix.add(key.get(2));
        long total = h.getTotalCount();
        for (HistogramIterationValue v : h.recordedValues()) {
          List<String> row = new ArrayList<>(prefix);
          row.add(Long.toString(h.highestEquivalentValue(v.getValueIteratedTo())));
          row.add(Long.toString(v.getCountAtValueIteratedTo()));
          row.add(Long.toString(v.getTotalCountToThisValue()));
          row.add(Long.toString(total));
          row.add(Csv.number(100.0 * v.getTotalCountToThisValue() / total));
          rows.add(row);
        }
      });
    });
    AtomicFiles.writeString(dir.resolve(FILE), Csv.format(header, rows));
    return rows.size();
  }

  /**
   * The interval histograms of one .hlog file in file order, each tagged as written ({@code rep<N>}),
   * or none when the file is absent.
   *
   * @throws IllegalArgumentException when the file cannot be read
   */
  static List<Histogram> intervals(Path f) {
    List<Histogram> out = new ArrayList<>();
    if (!Files.isRegularFile(f)) {
      return out;
    }
    try (InputStream in = Files.newInputStream(f)) {
      HistogramLogReader r = new HistogramLogReader(in);
      EncodableHistogram e;
      while ((e = r.nextIntervalHistogram()) != null) {
        out.add((Histogram) e);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read histogram log " + f + ": " + e.getMessage(), e);
    } catch (RuntimeException e) { // HdrHistogram's reader throws unchecked exceptions on damaged lines
      throw new IllegalArgumentException("damaged histogram log " + f + ": " + e, e);
    }
  }

  /**
   * The number of interval lines in the .hlog file {@code f} (neither a comment, the legend nor a
   * header line), 0 when absent: what {@link #intervals} should read.
   */
  static long intervalLines(Path f) {
    if (!Files.isRegularFile(f)) {
      return 0;
    }
    try (java.util.stream.Stream<String> lines = Files.lines(f, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("\"StartTimestamp\"")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }
}
