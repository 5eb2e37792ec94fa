package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Shard}: disjoint parts that cover the sweep, and a shard's warm-ups go with the units they serve (issue 18). */
class ShardTest {
  @TempDir Path tmp;

  /** 2 points x 2 strategies x 3 repetitions = 12 units, 2 warm-ups per (point, strategy). */
  ExperimentSpec spec(Path out) {
    return new ExperimentSpec("test-rpc", List.of("test-echo", "test-echo-slow"), List.of("sim"), List.of(1, 2), 3, 2, 7,
        Map.of("ops", List.of("20")), "modern-x86", "proportional-share", out, "test");
  }

  @Test
  void theShardsOfEveryCountAreDisjointAndCoverEveryUnit() {
    for (long units : new long[] {1, 12, 97}) {
      for (int n : new int[] {1, 2, 5, 12, 13, 200}) {
        Set<Long> seen = new HashSet<>();
        long counted = 0;
        for (int i = 0; i < n; i++) {
          Shard s = new Shard(i, n);
          counted += s.unitsOf(units);
          for (long k = 0; k < units; k++) {
            if (s.owns(k)) {
              assertTrue(seen.add(k), "unit " + k + " in two shards of " + n);
            }
          }
        }
        assertEquals(units, seen.size());
        assertEquals(units, counted);
      }
    }
  }

  @Test
  void malformedShardsAreRefusedWithTheExpectedForm() {
    for (String bad : new String[] {"", "1", "/2", "1/", "a/2", "-1/2", "2/2", "0/0", "1/2/3", " 1 / 2"}) {
      assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
    }
    assertEquals(new Shard(3, 4), Shard.parse("3/4"));
  }

  /** What a listener saw: each repetition as point/mechanism/rep, "w" for a warm-up. */
  static List<String> seenRuns(Harness h, ExperimentSpec spec) {
    List<String> seen = new ArrayList<>();
    h.run(spec, new Harness.Listener() {
      @Override
      public void repStarting(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        seen.add(p.cpus() + "/" + m + "/" + (warmup ? "w" : "") + rep);
      }
    });
    return seen;
  }

  @Test
  void aShardRunsTheWarmUpsOfWhatItMeasuresFirstAndNoOthers() {
    ExperimentSpec s = spec(tmp.resolve("s"));
    Harness.Plan plan = Harness.plan(s);
    // units in run order: 1 CPU: echo 0-2, slow 3-5; 2 CPUs: echo 6-8, slow 9-11.
    // Of 5 shards, shard 4 owns units 4 and 9: (1 CPU, slow, rep 1) and (2 CPUs, slow, rep 0)
    List<String> seen = seenRuns(new Harness(List.of()).shard(new Harness.ShardRun(new Shard(4, 5), "test", true)), s);
    assertEquals(List.of("1/test-echo-slow/w0", "1/test-echo-slow/w1", "1/test-echo-slow/1", "2/test-echo-slow/w0", "2/test-echo-slow/w1", "2/test-echo-slow/0"),
        seen);
    assertEquals(6, plan.totalReps(new Shard(4, 5)));
    // 13 shards of 12 units: the last measures nothing and warms nothing up
    assertEquals(List.of(), seenRuns(new Harness(List.of()).shard(new Harness.ShardRun(new Shard(12, 13), "test", true)), spec(tmp.resolve("e"))));
    assertEquals(0, plan.totalReps(new Shard(12, 13)));
  }
}
