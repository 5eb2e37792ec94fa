package org.ipctestbed.experiments.results;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ipctestbed.experiments.charts.ChartBook;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.harness.Harness;
import org.ipctestbed.experiments.harness.RepResult;

/**
 * {@code testbed merge OUT SHARD_DIR...} (issue 18): checks that the shard folders are the parts of
 * one sweep (the same command, code version and cost model, every shard once, every unit once, each
 * in the shard it belongs to; on the real engine one host unless mixed hosts are allowed) and writes
 * the whole sweep's results folder through the {@link ResultsWriter} of an unsharded run, from the
 * shards' repetitions in run order. The merged folder is therefore the unsharded run's, byte for
 * byte, on the simulated engine, except in metadata.json: {@code startedAt} and {@code endedAt}
 * (the first shard's start and the last shard's end, wall-clock times of other processes) and the
 * added {@code mergedFrom} (which shard came from which folder and host). Host, JDK and code version
 * in metadata.json and report.md are the shards', not the merge's.
 *
 * <p>Every check comes before anything is written; the folder is written through {@link
 * OutputFolder}'s staging folder and published only once every file is there.
 */
public final class ShardMerge {
  private ShardMerge() {}

  /** What was merged. */
  public record Result(Path out, String workload, int shards, long units, List<ChartBook.Figure> figures) {}

  /** A shard folder read and checked on its own. */
  private record ShardDir(Path dir, Map<String, Object> metadata, Map<String, Object> block, int index, int count) {
    String name() {
      return dir + " (shard " + index + "/" + count + ")";
    }
  }

  /**
   * Merges {@code dirs} into {@code out}.
   *
   * @param outWord {@code out} as the merged command line records it (quoted for a shell)
   * @param chartTypes charts to draw (empty: none)
   * @param force as {@code run --force}: replace a folder of another workload, reference results, keep foreign files
   * @param reference the caller regenerates committed reference results ({@code reproduce})
   * @param allowMixedHosts merge real-engine shards measured on different hosts
   * @throws IllegalArgumentException with one line naming the problem; nothing is written then
   */
  public static Result merge(Path out, String outWord, List<Path> dirs, List<String> chartTypes, boolean force, boolean reference,
      boolean allowMixedHosts) {
    return prepare(out, outWord, dirs, chartTypes, force, reference, allowMixedHosts).write();
  }

  /** A merge checked and read, not yet written. */
  public record Prepared(Harness.Plan plan, List<String> chartTypes, boolean force, boolean reference, Map<String, Object> environment,
      Map<String, Object> git, String startedAt, String endedAt, List<Object> mergedFrom, List<RepResult> results, int shards) {
    /**
     * Writes the merged folder (through a staging folder, published when complete).
     *
     * @throws IllegalArgumentException when the folder may not be used (nothing written)
     */
    public Result write() {
      OutputFolder folder = OutputFolder.claim(plan.spec().out(), plan.workload().name(), force, reference);
      ResultsWriter w = new ResultsWriter(plan, chartTypes, folder);
      w.provenance(environment, git, startedAt, endedAt, mergedFrom);
      w.writeWhole(results);
      return new Result(folder.out(), plan.workload().name(), shards, plan.units(), w.figures());
    }
  }

  /**
   * Every check and read of {@link #merge}, writing nothing.
   *
   * @throws IllegalArgumentException with one line naming the problem
   */
  @SuppressWarnings("unchecked")
  public static Prepared prepare(Path out, String outWord, List<Path> dirs, List<String> chartTypes, boolean force, boolean reference,
      boolean allowMixedHosts) {
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException("merge needs at least one shard folder (written by run --shard I/N)");
    }
    Path absOut = out.toAbsolutePath().normalize();
    List<ShardDir> shards = new ArrayList<>();
    for (Path d : dirs) {
      if (d.toAbsolutePath().normalize().equals(absOut)) {
        throw new IllegalArgumentException("the merged folder " + out + " is one of the shard folders; choose another OUT");
      }
      Map<String, Object> md = ResultsDir.metadata(d);
      if (!(md.get("shard") instanceof Map<?, ?> b)) {
        throw new IllegalArgumentException(d + " is not a shard folder: its metadata.json has no 'shard' block (write shards with run --shard I/N)");
      }
      Map<String, Object> block = (Map<String, Object>) b;
      if (!Long.valueOf(ShardData.FORMAT).equals(block.get("format"))) {
        throw new IllegalArgumentException(d + " is a shard of format " + block.get("format") + "; this testbed merges format " + ShardData.FORMAT);
      }
      if (!(block.get("index") instanceof Long i) || !(block.get("count") instanceof Long c)) {
        throw new IllegalArgumentException(d + ": the 'shard' block of metadata.json has no index or count");
      }
      ShardDir s = new ShardDir(d, md, block, Math.toIntExact(i), Math.toIntExact(c));
      if (!ResultsWriter.COMPLETE.equals(md.get("status"))) {
        throw new IllegalArgumentException(s.name() + " did not complete (status " + md.get("status")
            + (Objects.toString(md.get("interruptReason"), "").isEmpty() ? "" : ": " + md.get("interruptReason")) + "); re-run that shard");
      }
      shards.add(s);
    }
    ShardDir first = shards.get(0);
    for (ShardDir s : shards.subList(1, shards.size())) {
      same(first, s, "the split (shard count)", first.count(), s.count());
      same(first, s, "the command", first.block().get("command"), s.block().get("command"));
      same(first, s, "the sweep", first.block().get("spec"), s.block().get("spec"));
      same(first, s, "the code version (git commit)", first.metadata().get("git"), s.metadata().get("git"));
      same(first, s, "the cost model", first.metadata().get("costModel"), s.metadata().get("costModel"));
    }
    Map<Integer, ShardDir> byIndex = new TreeMap<>();
    for (ShardDir s : shards) {
      ShardDir other = byIndex.put(s.index(), s);
      if (other != null) {
        throw new IllegalArgumentException("shard " + s.index() + "/" + s.count() + " is given twice: " + other.dir() + " and " + s.dir());
      }
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < first.count(); i++) {
      if (!byIndex.containsKey(i)) {
        missing.add(i + "/" + first.count());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("shard(s) " + String.join(", ", missing) + " missing: give all " + first.count()
          + " shard folders of the split");
    }
    Map<String, Object> specMap = (Map<String, Object>) first.block().get("spec");
    if (((List<Object>) specMap.get("engines")).contains("real")) {
      TreeSet<String> hosts = new TreeSet<>();
      shards.forEach(s -> hosts.add(String.valueOf(s.block().get("host"))));
      if (hosts.size() > 1 && !allowMixedHosts) {
        throw new IllegalArgumentException("the real-engine shards were measured on different hosts " + hosts
            + ", whose figures are not comparable; merge them anyway with --allow-mixed-hosts");
      }
    }
    String command = (String) first.block().get("command");
    String commandLine = command + (Boolean.TRUE.equals(first.block().get("mergeAddsOut")) ? " --out " + outWord : "");
    ExperimentSpec spec = ShardData.spec(specMap, out, commandLine);
    Harness.Plan plan = Harness.plan(spec, false); // the shards ran on their hosts, not necessarily this one
    if (!Objects.equals(Json.parse(Json.write(ResultsWriter.costModelBlock(spec))), first.metadata().get("costModel"))) {
      throw new IllegalArgumentException("the cost model '" + spec.costModel() + "' is not what the shards ran with (a cost-model file "
          + "changed since?); merge with the file they used");
    }
    if (!Objects.equals(first.block().get("units"), plan.units())) {
      throw new IllegalArgumentException("the shards split " + first.block().get("units") + " units, but their sweep has " + plan.units()
          + " with this testbed's workloads; merge with the code version that ran them");
    }
    RepResult[] byUnit = new RepResult[Math.toIntExact(plan.units())];
    String[] from = new String[byUnit.length];
    for (ShardDir s : byIndex.values()) {
      for (ShardData.Unit u : ShardData.read(s.dir(), plan)) {
        if (u.unit() % s.count() != s.index()) {
          throw new IllegalArgumentException(s.name() + " holds unit " + u.unit() + ", which belongs to shard " + (u.unit() % s.count()) + "/" + s.count());
        }
        int k = Math.toIntExact(u.unit());
        if (byUnit[k] != null) {
          throw new IllegalArgumentException(s.name() + " holds unit " + k + " (" + describe(u.result()) + ") twice");
        }
        byUnit[k] = u.result();
        from[k] = s.name();
      }
    }
    for (int k = 0; k < byUnit.length; k++) {
      if (byUnit[k] == null) {
        throw new IllegalArgumentException(byIndex.get(k % first.count()).name() + " lacks unit " + k + " of the sweep; re-run that shard");
      }
    }
    List<Object> mergedFrom = new ArrayList<>();
    Instant start = null;
    Instant end = null;
    for (ShardDir s : byIndex.values()) {
      Instant a = Instant.parse((String) s.metadata().get("startedAt"));
      Instant b = Instant.parse((String) s.metadata().get("endedAt"));
      start = start == null || a.isBefore(start) ? a : start;
      end = end == null || b.isAfter(end) ? b : end;
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("shard", s.index() + "/" + s.count());
      e.put("folder", s.dir().toString());
      e.put("host", s.block().get("host"));
      e.put("units", s.block().get("ownedUnits"));
      e.put("startedAt", s.metadata().get("startedAt"));
      e.put("endedAt", s.metadata().get("endedAt"));
      e.put("slurm", s.block().get("slurm"));
      mergedFrom.add(e);
    }
    OutputFolder.check(out.toAbsolutePath().normalize(), plan.workload().name(), force, reference);
    return new Prepared(plan, chartTypes, force, reference, (Map<String, Object>) first.metadata().get("environment"),
        (Map<String, Object>) first.metadata().get("git"), start.toString(), end.toString(), mergedFrom, List.of(byUnit), shards.size());
  }

  private static String describe(RepResult r) {
    return r.mechanism() + (r.point().label().isEmpty() ? "" : " at " + r.point().label()) + " rep " + (r.rep() + 1);
  }

  private static void same(ShardDir a, ShardDir b, String what, Object x, Object y) {
    if (!Objects.equals(x, y)) {
      throw new IllegalArgumentException(a.dir() + " and " + b.dir() + " differ in " + what + ", so they are not parts of one sweep"
          + (x instanceof String || x instanceof Number ? ": " + x + " vs " + y : ""));
    }
  }
}
