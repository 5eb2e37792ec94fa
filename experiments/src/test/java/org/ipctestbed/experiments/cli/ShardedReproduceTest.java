package org.ipctestbed.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipctestbed.experiments.cli.CliTest.Result;
import org.ipctestbed.experiments.results.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce --shard I/N} and {@code merge --reproduce} (issue 18, what {@code testbed slurm
 * reproduce} runs): the merged root is the unsharded reproduce's, its index README.md included,
 * byte for byte but for metadata.json's {@link ShardMergeTest#BY_NATURE} fields.
 */
class ShardedReproduceTest {
  @TempDir Path tmp;

  @Test
  void mergedReproduceShardsAreTheUnshardedReproduce() throws IOException {
    Path ref = tmp.resolve("ref");
    Result r = CliTest.cli("reproduce", "--quick", "--only", "async-burst", "-q", "--out", ref.toString());
    assertEquals(0, r.code(), r.err());
    for (int i = 0; i < 2; i++) {
      r = CliTest.cli("reproduce", "--quick", "--only", "async-burst", "-q", "--shard", i + "/2", "--out", tmp.resolve("s" + i).toString());
      assertEquals(0, r.code(), r.err());
      assertFalse(Files.exists(tmp.resolve("s" + i).resolve("README.md")), "a shard writes no index");
    }
    Path merged = tmp.resolve("merged");
    r = CliTest.cli("merge", "--reproduce", "--quick", merged.toString(), tmp.resolve("s1").toString(), tmp.resolve("s0").toString());
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(Files.readAllBytes(ref.resolve("README.md")), Files.readAllBytes(merged.resolve("README.md")), "the index");
    Path a = ref.resolve("async-burst");
    Path b = merged.resolve("async-burst");
    List<String> names;
    try (Stream<Path> s = Files.list(a)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertTrue(names.size() > 6, names.toString());
    for (String n : names) {
      if (!n.equals("metadata.json")) {
        assertArrayEquals(Files.readAllBytes(a.resolve(n)), Files.readAllBytes(b.resolve(n)), n);
      }
    }
    Map<?, ?> ma = (Map<?, ?>) Json.read(a.resolve("metadata.json"));
    Map<?, ?> mb = (Map<?, ?>) Json.read(b.resolve("metadata.json"));
    for (String k : ShardMergeTest.BY_NATURE) {
      ma.remove(k);
      mb.remove(k);
    }
    assertEquals(Json.write(ma), Json.write(mb));
  }

  @Test
  void reproduceShardsNeedTheirOwnRoot() {
    CliTest.assertBadInput(CliTest.cli("reproduce", "--quick", "--only", "async-burst", "--shard", "0/2"), "--shard needs --out");
  }
}
