package org.ipctestbed.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipctestbed.experiments.cli.CliTest.Result;
import org.ipctestbed.experiments.results.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --shard I/N} and {@code merge} (issue 18): on the simulated engine the merged folder is
 * the unsharded run's, byte for byte, for any N (including N larger than the number of units, which
 * leaves shards empty); metadata.json differs only in the fields excluded here by name, {@link
 * #BY_NATURE}. Bad merges exit 2 with one line and write nothing.
 */
class ShardMergeTest {
  @TempDir static Path tmp;

  /** 2 points x 2 strategies x 3 repetitions: 12 units. */
  static final List<String> SWEEP = List.of("run", "test-rpc", "--ipc", "test-echo,test-echo-slow", "--set", "ops=30,60", "--reps", "3");

  /** metadata.json fields that differ by nature: the shards' wall-clock span, and where the merge came from. */
  static final List<String> BY_NATURE = List.of("startedAt", "endedAt", "mergedFrom");

  static Path reference;

  @BeforeAll
  static void unshardedRun() throws IOException {
    // the unsharded run writes to the folder name the merges use, then moves aside: the command line recorded is the same
    Path out = tmp.resolve("merged");
    Result r = cli(SWEEP, "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    reference = tmp.resolve("reference");
    Files.move(out, reference);
  }

  static Result cli(List<String> base, String... more) {
    List<String> a = new ArrayList<>(base);
    a.addAll(List.of(more));
    return CliTest.cli(a.toArray(String[]::new));
  }

  /** Runs the N shards of SWEEP (no charts) into tmp/NAME-i; returns their folders. */
  static List<Path> shards(String name, int n, String... extra) {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path d = tmp.resolve(name + "-" + i);
      List<String> args = new ArrayList<>(SWEEP);
      args.addAll(List.of(extra));
      Result r = cli(args, "--no-charts", "-q", "--shard", i + "/" + n, "--out", d.toString());
      assertEquals(0, r.code(), r.err());
      dirs.add(d);
    }
    return dirs;
  }

  static Result merge(Path out, List<Path> shards, String... options) {
    List<String> a = new ArrayList<>(List.of("merge"));
    a.addAll(List.of(options));
    a.add(out.toString());
    shards.forEach(s -> a.add(s.toString()));
    return CliTest.cli(a.toArray(String[]::new));
  }

  /** Every file of the reference (charts only when {@code charts}) is in {@code dir} with the same bytes; metadata.json but for {@link #BY_NATURE}. */
  static void assertSameAsUnsharded(Path dir, boolean charts) throws IOException {
    List<String> names;
    try (Stream<Path> s = Files.list(reference)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    int compared = 0;
    for (String n : names) {
      boolean chartFile = n.endsWith(".png") || n.endsWith(".svg") || n.equals("report.md");
      if (n.equals("metadata.json") || chartFile && !charts) {
        continue;
      }
      assertTrue(Files.exists(dir.resolve(n)), n + " is missing from the merged folder");
      assertArrayEquals(Files.readAllBytes(reference.resolve(n)), Files.readAllBytes(dir.resolve(n)), n + " differs");
      compared++;
    }
    assertTrue(compared >= 6, "compared " + compared + " files");
    Map<String, Object> a = metadata(reference);
    Map<String, Object> b = metadata(dir);
    assertTrue(b.containsKey("mergedFrom"));
    for (String k : BY_NATURE) {
      a.remove(k);
      b.remove(k);
    }
    assertEquals(Json.write(a), Json.write(b), "metadata.json apart from " + BY_NATURE);
    assertFalse(Files.exists(dir.resolve("shard-results.json")), "the merged folder is not a shard");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metadata(Path dir) {
    return (Map<String, Object>) Json.read(dir.resolve("metadata.json"));
  }

  @Test
  void mergedShardsWithChartsAreTheUnshardedFolderByteForByte() throws IOException {
    List<Path> s = shards("five", 5);
    Path out = tmp.resolve("merged");
    Result r = merge(out, s.reversed()); // any order
    assertEquals(0, r.code(), r.err());
    assertSameAsUnsharded(out, true);
    Files.move(out, tmp.resolve("merged-five"));
  }

  @Test
  void everyShardCountGivesTheSameFolderEvenMoreShardsThanUnits() throws IOException {
    for (int n : new int[] {1, 2, 13}) {
      List<Path> s = shards("n" + n, n);
      Path out = tmp.resolve("merged");
      Result r = merge(out, s, "--no-charts");
      assertEquals(0, r.code(), "N=" + n + ": " + r.err());
      assertSameAsUnsharded(out, false);
      Files.move(out, tmp.resolve("merged-" + n));
    }
    // with 13 shards of 12 units the last shard is empty, and says so
    Map<String, Object> empty = metadata(tmp.resolve("n13-12"));
    assertEquals(0L, empty.get("completedReps"));
    assertEquals("complete", empty.get("status"));
  }

  @Test
  void aShardRecordsWhatItIsAndRunsOnlyItsUnits() {
    Path d = shards("rec", 4).get(1);
    Map<String, Object> md = metadata(d);
    @SuppressWarnings("unchecked")
    Map<String, Object> shard = (Map<String, Object>) md.get("shard");
    assertEquals(1L, shard.get("index"));
    assertEquals(4L, shard.get("count"));
    assertEquals(12L, shard.get("units"));
    assertEquals(3L, shard.get("ownedUnits"));
    assertEquals("testbed run test-rpc --ipc test-echo,test-echo-slow --set ops=30,60 --reps 3", shard.get("command"));
    assertTrue(shard.get("host") instanceof String h && !h.isBlank());
    assertEquals(3L, md.get("completedReps"));
    assertTrue(md.get("git") instanceof Map<?, ?> g && g.containsKey("commit"));
    assertTrue(md.get("costModel") instanceof Map<?, ?>);
    // units 1, 5, 9 in run order: (ops=30, test-echo, rep 1), (ops=30, test-echo-slow, rep 2), (ops=60, test-echo-slow, rep 0), reps from 0
    List<?> reps = (List<?>) md.get("repetitions");
    List<String> got = reps.stream().map(o -> (Map<?, ?>) o).map(m -> m.get("mechanism") + "@" + m.get("point") + "#" + m.get("rep")).toList();
    assertEquals(List.of("test-echo@ops=30#1", "test-echo-slow@ops=30#2", "test-echo-slow@ops=60#0"), got);
  }

  @Test
  void aMissingShardIsRefusedAndNothingIsWritten() {
    List<Path> s = shards("miss", 3);
    Path out = tmp.resolve("miss-out");
    CliTest.assertBadInput(merge(out, List.of(s.get(0), s.get(2))), "shard(s) 1/3 missing");
    assertFalse(Files.exists(out));
  }

  @Test
  void aShardGivenTwiceIsRefused() {
    List<Path> s = shards("twice", 2);
    Path out = tmp.resolve("twice-out");
    CliTest.assertBadInput(merge(out, List.of(s.get(0), s.get(1), s.get(1))), "is given twice");
    assertFalse(Files.exists(out));
  }

  @Test
  void shardsOfDifferentSweepsAreRefused() {
    Path a = shards("sweep-a", 2).get(0);
    Path b = shards("sweep-b", 2, "--seed", "7").get(1);
    Path out = tmp.resolve("sweeps-out");
    CliTest.assertBadInput(merge(out, List.of(a, b)), "differ in the command");
    Path c = shards("split-c", 3).get(1);
    CliTest.assertBadInput(merge(out, List.of(a, c)), "differ in the split");
    assertFalse(Files.exists(out));
  }

  @Test
  void aFolderThatIsNoShardOrAnUnfinishedShardIsRefused() throws IOException {
    Path out = tmp.resolve("noshard-out");
    CliTest.assertBadInput(merge(out, List.of(reference)), "is not a shard folder");
    List<Path> s = shards("unfinished", 2);
    Path md = s.get(1).resolve("metadata.json");
    Files.writeString(md, Files.readString(md).replace("\"status\": \"complete\"", "\"status\": \"interrupted\""));
    CliTest.assertBadInput(merge(out, s), "did not complete");
    assertFalse(Files.exists(out));
  }

  @Test
  void realEngineShardsFromDifferentHostsNeedAllowMixedHosts() throws IOException {
    List<Path> s = shards("real", 2, "--engine", "real", "--cpus", "1", "--warmup-reps", "0");
    Path md = s.get(1).resolve("metadata.json");
    String text = Files.readString(md);
    String host = (String) ((Map<?, ?>) metadata(s.get(1)).get("shard")).get("host");
    Files.writeString(md, text.replace("\"host\": " + Json.write(host).strip(), "\"host\": \"another-node\""));
    Path out = tmp.resolve("real-out");
    CliTest.assertBadInput(merge(out, s, "--no-charts"), "different hosts");
    assertFalse(Files.exists(out));
    Result r = merge(out, s, "--no-charts", "--allow-mixed-hosts");
    assertEquals(0, r.code(), r.err());
    List<?> from = (List<?>) metadata(out).get("mergedFrom");
    assertEquals("another-node", ((Map<?, ?>) from.get(1)).get("host"));
  }

  @Test
  void badShardSpecificationsAreBadInput() {
    CliTest.assertBadInput(cli(SWEEP, "--shard", "3/3", "--out", tmp.resolve("bad1").toString()), "I must be 0..2");
    CliTest.assertBadInput(cli(SWEEP, "--shard", "1", "--out", tmp.resolve("bad2").toString()), "expected I/N");
    CliTest.assertBadInput(cli(SWEEP, "--shard", "0/0", "--out", tmp.resolve("bad3").toString()), "N must be");
    assertFalse(Files.exists(tmp.resolve("bad1")));
  }
}
