package org.ipctestbed.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes, CSV and JSON round trips. */
class FilesTest {
  @TempDir Path tmp;

  @Test
  void anAtomicWriteReplacesTheFileWhole() throws Exception {
    Path f = tmp.resolve("results.csv");
    AtomicFiles.writeString(f, "old\n");
    AtomicFiles.writeString(f, "new\n");
    assertEquals("new\n", Files.readString(f));
    assertEquals(List.of("results.csv"), names());
  }

  @Test
  void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporary() throws Exception {
    Path f = tmp.resolve("summary.csv");
    AtomicFiles.writeString(f, "complete old content\n");
    assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
      out.write("half of the new".getBytes());
      throw new IOException("disk full");
    }));
    assertEquals("complete old content\n", Files.readString(f));
    assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeVia(tmp.resolve("chart.png"), t -> {
      Files.writeString(t, "partial");
      throw new IOException("encoder failed");
    }));
    assertEquals(List.of("summary.csv"), names());
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void csvQuotesWhatNeedsQuotingAndReadsItBack() {
    String text = Csv.format(List.of("a", "b"), List.of(List.of("x,y", "say \"hi\""), List.of("", "line\nbreak")));
    Path f = tmp.resolve("t.csv");
    AtomicFiles.writeString(f, text);
    Csv.Table t = Csv.read(f);
    assertEquals(List.of("a", "b"), t.header());
    assertEquals(List.of("x,y", "say \"hi\""), t.rows().get(0));
    assertEquals(List.of("", "line\nbreak"), t.rows().get(1));
  }

  @Test
  void numbersAreFormattedDeterministicallyWithoutExponents() {
    assertEquals("1200", Csv.number(1200.0));
    assertEquals("0.0001234567891", Csv.number(0.00012345678912345));
    assertEquals("859474.4444", Csv.number(859474.44444444));
    assertEquals("NaN", Csv.number(Double.NaN));
    assertEquals(-3.5, Csv.parseNumber(Csv.number(-3.5)));
  }

  @Test
  void aRaggedCsvIsRejectedNamingTheLine() {
    Path f = tmp.resolve("bad.csv");
    AtomicFiles.writeString(f, "a,b\n1,2\n3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void jsonRoundTripsNestedMetadata() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("schema", "x \"quoted\"\n");
    m.put("n", 3);
    m.put("f", 0.25);
    m.put("list", List.of(1, "two", true));
    m.put("nested", Map.of("k", List.of()));
    m.put("none", null);
    Object back = Json.parse(Json.write(m));
    assertEquals(Map.of("schema", "x \"quoted\"\n", "n", 3L, "f", 0.25, "list", List.of(1L, "two", true), "nested",
        Map.of("k", List.of())), withoutNull(back));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutNull(Object o) {
    Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) o);
    assertTrue(m.containsKey("none"));
    m.remove("none");
    return m;
  }

  @Test
  void malformedJsonNamesTheLineAndColumn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
    assertTrue(e.getMessage().startsWith("line 1, column 12: "), e.getMessage());
  }

  @Test
  void jsonIsWrittenTheSameWayEveryTime() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", List.of(Map.of("k", 0.1), Double.NaN));
    assertEquals(Json.write(m), Json.write(new java.util.LinkedHashMap<>(m)));
    assertEquals("{\n  \"z\": 1,\n  \"a\": [\n    {\n      \"k\": 0.1\n    },\n    null\n  ]\n}\n", Json.write(m));
  }
}
