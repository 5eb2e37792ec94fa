package org.ipctestbed.experiments.results;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.harness.Point;
import org.ipctestbed.experiments.harness.RepResult;

/**
 * What a shard ({@code --shard I/N}, issue 18) keeps for {@code merge} beyond the ordinary results
 * folder: the {@code shard} block of its metadata.json (which part it is, the sweep it is a part of,
 * the host it ran on) and {@link #FILE}, every measured repetition whole (counters, histograms as
 * HdrHistogram's compressed encoding, CPU time, notes, trace digest), so that the merge writes the
 * merged folder through the same {@link ResultsWriter} as an unsharded run, from the same values, in
 * the same order, and so byte for byte the same files. results.csv alone would not do: its numbers
 * are rounded for reading and it has no notes or histograms.
 */
public final class ShardData {
  private ShardData() {}

  /** The file of a shard's repetitions, beside its results.csv. */
  public static final String FILE = "shard-results.json";

  /** Bumped when {@link #FILE} or the {@code shard} block changes incompatibly. */
  public static final int FORMAT = 1;

  /** The {@code shard} block of a shard's metadata.json. */
  public static Map<String, Object> block(Harness.Plan plan, Harness.ShardRun run) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("format", FORMAT);
    b.put("index", run.shard().index());
    b.put("count", run.shard().count());
    b.put("assignment", "unit k (point, strategy, repetition in run order) belongs to shard k mod count");
    b.put("units", plan.units());
    b.put("ownedUnits", run.shard().unitsOf(plan.units()));
    b.put("command", run.command());
    b.put("mergeAddsOut", run.addsOut());
    b.put("spec", specMap(plan.spec()));
    b.put("host", Environment.hostname());
    Map<String, Object> slurm = new LinkedHashMap<>();
    for (String v : List.of("SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURMD_NODENAME", "SLURM_JOB_PARTITION")) {
      String x = System.getenv(v);
      if (x != null) {
        slurm.put(v, x);
      }
    }
    b.put("slurm", slurm);
    return b;
  }

  /** The parts of {@code spec} that define the sweep (not where it is written or how it was typed). */
  public static Map<String, Object> specMap(ExperimentSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", spec.workload());
    m.put("mechanisms", spec.mechanisms());
    m.put("engines", spec.engines());
    m.put("cpus", spec.cpus().stream().map(Long::valueOf).toList());
    m.put("reps", (long) spec.reps());
    m.put("warmupReps", (long) spec.warmupReps());
    m.put("seed", spec.seed());
    m.put("sets", spec.sets());
    m.put("costModel", spec.costModel());
    m.put("policy", spec.policy());
    m.put("deterministic", spec.deterministic());
    return m;
  }

  /**
   * The spec of {@link #specMap}, written to {@code out} with {@code commandLine}.
   *
   * @throws IllegalArgumentException when a field is missing or of the wrong type
   */
  @SuppressWarnings("unchecked")
  public static ExperimentSpec spec(Map<String, Object> m, Path out, String commandLine) {
    try {
      Map<String, List<String>> sets = new LinkedHashMap<>();
      ((Map<String, Object>) m.get("sets")).forEach((k, v) -> sets.put(k, (List<String>) v));
      return new ExperimentSpec((String) m.get("workload"), (List<String>) m.get("mechanisms"), (List<String>) m.get("engines"),
          ((List<Long>) m.get("cpus")).stream().map(Long::intValue).toList(), Math.toIntExact((Long) m.get("reps")),
          Math.toIntExact((Long) m.get("warmupReps")), (Long) m.get("seed"), sets, (String) m.get("costModel"),
          (String) m.get("policy"), out, commandLine, (Boolean) m.get("deterministic"));
    } catch (ClassCastException | NullPointerException | ArithmeticException e) {
      throw new IllegalArgumentException("the shard's spec in metadata.json is damaged: " + e.getMessage(), e);
    }
  }

  /** {@link #FILE} for the repetitions {@code results} of a shard of {@code plan}. */
  public static String write(Harness.Plan plan, List<RepResult> results) {
    List<Object> reps = new ArrayList<>();
    for (RepResult r : results) {
      Map<String, Object> e = new LinkedHashMap<>();
      int point = plan.points().indexOf(r.point());
      int mech = mechanismIndex(plan, r.mechanism());
      e.put("unit", plan.unit(point, mech, r.rep()));
      e.put("point", point);
      e.put("pointLabel", r.point().label());
      e.put("mechanism", r.mechanism());
      e.put("rep", r.rep());
      e.put("seed", r.seed());
      e.put("elapsedNs", r.elapsedNs());
      e.put("measuredNs", r.measuredNs());
      e.put("counters", r.counters());
      Map<String, Object> hist = new LinkedHashMap<>();
      r.latencies().forEach((k, h) -> hist.put(k, encode(h)));
      e.put("latencies", hist);
      List<Object> cpu = new ArrayList<>();
      for (RepResult.CpuTime c : r.cpuTime()) {
        cpu.add(List.of(c.subject(), c.category(), c.ns()));
      }
      e.put("cpuTime", cpu);
      e.put("identityErrorNs", r.identityErrorNs());
      e.put("traceDigest", r.traceDigest());
      e.put("clampedSamples", r.clampedSamples());
      e.put("notes", r.notes());
      reps.add(e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("repetitions", reps);
    return Json.write(m);
  }

  private static int mechanismIndex(Harness.Plan plan, String name) {
    for (int i = 0; i < plan.providers().size(); i++) {
      if (plan.providers().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("no strategy " + name + " in the plan");
  }

  /** A repetition of a shard with its unit number. */
  public record Unit(long unit, RepResult result) {}

  /**
   * Reads {@link #FILE} of the shard folder {@code dir}, whose repetitions belong to {@code plan}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  @SuppressWarnings("unchecked")
  public static List<Unit> read(Path dir, Harness.Plan plan) {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(dir + " has no " + FILE + " (not a shard folder, or the shard did not finish)");
    }
    Object o = Json.read(f);
    List<Unit> out = new ArrayList<>();
    try {
      Map<String, Object> m = (Map<String, Object>) o;
      if (!Long.valueOf(FORMAT).equals(m.get("format"))) {
        throw new IllegalArgumentException(f + " has format " + m.get("format") + "; this testbed reads " + FORMAT);
      }
      for (Object x : (List<Object>) m.get("repetitions")) {
        Map<String, Object> e = (Map<String, Object>) x;
        int pi = Math.toIntExact((Long) e.get("point"));
        if (pi < 0 || pi >= plan.points().size() || !plan.points().get(pi).label().equals(e.get("pointLabel"))) {
          throw new IllegalArgumentException(f + ": a repetition's point '" + e.get("pointLabel") + "' is not in the sweep");
        }
        Point p = plan.points().get(pi);
        String mech = (String) e.get("mechanism");
        int mi = mechanismIndex(plan, mech);
        int rep = Math.toIntExact((Long) e.get("rep"));
        long unit = (Long) e.get("unit");
        if (rep < 0 || rep >= plan.spec().reps() || unit != plan.unit(pi, mi, rep)) {
          throw new IllegalArgumentException(f + ": repetition " + rep + " of " + mech + " does not fit the sweep");
        }
        Map<String, Long> counters = new LinkedHashMap<>((Map<String, Long>) e.get("counters"));
        Map<String, Histogram> hist = new TreeMap<>();
        ((Map<String, Object>) e.get("latencies")).forEach((k, v) -> hist.put(k, decode(f, (String) v)));
        List<RepResult.CpuTime> cpu = new ArrayList<>();
        for (Object c : (List<Object>) e.get("cpuTime")) {
          List<Object> l = (List<Object>) c;
          cpu.add(new RepResult.CpuTime((String) l.get(0), (String) l.get(1), (Long) l.get(2)));
        }
        Map<String, String> notes = new TreeMap<>((Map<String, String>) e.get("notes"));
        out.add(new Unit(unit, new RepResult(p, mech, rep, (Long) e.get("seed"), (Long) e.get("elapsedNs"), (Long) e.get("measuredNs"),
            java.util.Collections.unmodifiableMap(counters), java.util.Collections.unmodifiableMap(hist), List.copyOf(cpu),
            (Long) e.get("identityErrorNs"), (String) e.get("traceDigest"), (Long) e.get("clampedSamples"),
            java.util.Collections.unmodifiableMap(notes))));
      }
    } catch (ClassCastException | NullPointerException | ArithmeticException | IllegalStateException e) {
      throw new IllegalArgumentException(f + " is damaged: " + e.getMessage(), e);
    }
    return out;
  }

  private static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    byte[] b = new byte[n];
    buf.flip();
    buf.get(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static Histogram decode(Path f, String s) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new IllegalArgumentException(f + ": a histogram cannot be decoded: " + e.getMessage(), e);
    }
  }
}
