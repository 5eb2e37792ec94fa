package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipctestbed.experiments.results.OutputFolder;
import org.ipctestbed.experiments.results.ResultsDir;
import org.ipctestbed.experiments.results.ResultsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results folder over a run's life (issue 13): earlier results survive until new data exists, a
 * folder is held by one run at a time, checkpoints append, and a write that fails ends the run as
 * failed with its reason.
 */
class FolderLifecycleTest {
  @TempDir Path tmp;

  static ExperimentSpec spec(Path out, int reps, Map<String, List<String>> sets) {
    return new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("sim"), List.of(1), reps, 0, 1, sets, "modern-x86",
        "proportional-share", out, "test");
  }

  static Harness.Outcome run(Path out, int reps, Harness.Listener l) {
    return new Harness(List.of()).run(spec(out, reps, Map.of("ops", List.of("20"))), l);
  }

  static byte[] bytes(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Object fileKey(Path f) {
    try {
      return Files.readAttributes(f, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anInterruptionBeforeTheFirstRepetitionLeavesTheEarlierRunAsItWas() {
    Path dir = tmp.resolve("rerun");
    assertTrue(run(dir, 3, new Harness.Listener() {}).complete());
    byte[] results = bytes(dir.resolve(ResultsDir.RESULTS));
    byte[] metadata = bytes(dir.resolve(ResultsDir.METADATA));
    Harness h = new Harness(List.of());
    Harness.Outcome o = h.run(spec(dir, 3, Map.of("ops", List.of("20"))), new Harness.Listener() {
      @Override
      public void repStarting(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        h.interruptNow("Ctrl-C in the test");
      }
    });
    assertEquals(ResultsWriter.INTERRUPTED, o.status());
    assertArrayEquals(results, bytes(dir.resolve(ResultsDir.RESULTS)), "the earlier results.csv is untouched");
    assertArrayEquals(metadata, bytes(dir.resolve(ResultsDir.METADATA)), "the earlier metadata.json is untouched");
    assertFalse(Files.exists(tmp.resolve(".rerun.staging")), "the staging folder is removed");
  }

  @Test
  void theEarlierRunStaysUntilTheFirstRepetitionOfTheNewOneIsWritten() {
    Path dir = tmp.resolve("swap");
    assertTrue(run(dir, 2, new Harness.Listener() {}).complete());
    byte[] earlier = bytes(dir.resolve(ResultsDir.RESULTS));
    List<byte[]> seen = new ArrayList<>();
    Harness.Outcome o = new Harness(List.of()).run(spec(dir, 2, Map.of("ops", List.of("30"))), new Harness.Listener() {
      @Override
      public void repStarting(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        seen.add(bytes(dir.resolve(ResultsDir.RESULTS)));
      }
    });
    assertTrue(o.complete(), o.reason());
    assertArrayEquals(earlier, seen.get(0), "while the first repetition runs, the folder holds the earlier run");
    assertFalse(java.util.Arrays.equals(earlier, seen.get(1)), "after it, the new run");
    assertEquals("30", ResultsDir.metadata(dir).get("params") instanceof Map<?, ?> m ? m.get("ops") : null);
  }

  @Test
  void aFolderHeldByOneRunIsRefusedToASecond() {
    Path dir = tmp.resolve("held");
    try (OutputFolder first = OutputFolder.claim(dir, "test-rpc", false, false)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(dir, 1, new Harness.Listener() {}));
      assertTrue(e.getMessage().contains("is in use by another run"), e.getMessage());
    }
    assertTrue(run(dir, 1, new Harness.Listener() {}).complete(), "free again once the first run ends");
  }

  @Test
  void checkpointsAppendToResultsCsvAndDoNotRewriteMetadataAfterEveryRepetition() {
    Path dir = tmp.resolve("append");
    List<Object> resultsKeys = new ArrayList<>();
    List<Object> metadataKeys = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    Harness.Outcome o = run(dir, 4, new Harness.Listener() {
      @Override
      public void repFinished(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        resultsKeys.add(fileKey(dir.resolve(ResultsDir.RESULTS)));
        metadataKeys.add(fileKey(dir.resolve(ResultsDir.METADATA)));
        sizes.add(dir.resolve(ResultsDir.RESULTS).toFile().length());
      }
    });
    assertTrue(o.complete(), o.reason());
    assertEquals(1, resultsKeys.stream().distinct().count(), "results.csv is one file that grows: " + sizes);
    assertTrue(sizes.get(3) > sizes.get(2) && sizes.get(2) > sizes.get(1), "appended: " + sizes);
    assertEquals(1, metadataKeys.stream().distinct().count(), "metadata.json is not rewritten after every repetition");
    assertEquals(4L, ResultsDir.metadata(dir).get("completedReps"), "the final metadata counts every repetition");
  }

  @Test
  void aWriteThatFailsDuringTheRunEndsItFailedWithTheReason() {
    Path dir = tmp.resolve("vanishing");
    Harness.Outcome o = run(dir, 4, new Harness.Listener() {
      @Override
      public void repFinished(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        if (done == 1) {
          deleteTree(dir); // as if the disk went away under the run
        }
      }
    });
    assertEquals(ResultsWriter.FAILED, o.status());
    assertTrue(o.reason().startsWith("could not write the results: "), o.reason());
    assertFalse(o.reason().contains("\n"), o.reason());
  }

  @Test
  void aRunIntoAFolderThatKeepsFailingToBeWrittenIsNeverLeftRunning() throws IOException {
    Path dir = tmp.resolve("blocked");
    Harness.Outcome o = run(dir, 3, new Harness.Listener() {
      @Override
      public void repFinished(ExperimentSpec s, Point p, String m, int rep, boolean warmup, int done, int total) {
        if (done == 1) {
          try {
            // results.csv becomes a folder: every later append to it fails
            Files.delete(dir.resolve(ResultsDir.RESULTS));
            Files.createDirectory(dir.resolve(ResultsDir.RESULTS));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    });
    assertEquals(ResultsWriter.FAILED, o.status());
    Map<String, Object> md = ResultsDir.metadata(dir);
    assertEquals("failed", md.get("status"), "metadata.json says failed, with the reason: " + md.get("interruptReason"));
    assertTrue(String.valueOf(md.get("interruptReason")).contains("could not write the results"), String.valueOf(md));
  }

  static void deleteTree(Path d) {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anotherWorkloadsFolderIsRefusedUnlessForced() {
    Path dir = tmp.resolve("other-workload");
    assertTrue(run(dir, 1, new Harness.Listener() {}).complete());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutputFolder.check(dir, "fairness", false, false));
    assertTrue(e.getMessage().contains("holds results of workload 'test-rpc', not 'fairness'"), e.getMessage());
    OutputFolder.check(dir, "fairness", true, false);
  }

  @Test
  void foreignFilesAreRefusedUnlessForcedAndAreThenKeptBesideTheNewResults() throws IOException {
    Path dir = tmp.resolve("with-notes");
    assertTrue(run(dir, 1, new Harness.Listener() {}).complete());
    Files.writeString(dir.resolve("notes.txt"), "my notes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(dir, 1, new Harness.Listener() {}));
    assertTrue(e.getMessage().contains("files the testbed did not write (notes.txt)"), e.getMessage());
    Harness.Outcome o = new Harness(List.of()).force(true).run(spec(dir, 2, Map.of("ops", List.of("20"))), new Harness.Listener() {});
    assertTrue(o.complete(), o.reason());
    assertEquals("my notes", Files.readString(dir.resolve("notes.txt")));
    assertNotEquals(null, ResultsDir.metadata(dir));
  }
}
