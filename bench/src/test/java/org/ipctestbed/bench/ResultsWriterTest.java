package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema of results/bench/: tidy CSV, JSON with its metadata, a PNG and an SVG, written whole. */
class ResultsWriterTest {
  @TempDir Path dir;

  private void writeSample() throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Measurement> ms = TargetsTest.sample();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("machine", Map.of("cpuModel", "test \"cpu\", 2 cores"));
    meta.put("commit", "abc123");
    ResultsWriter.write(dir, meta, ms, Targets.evaluate(ms));
  }

  @Test
  void csvHasTheDocumentedColumnsAndOneFieldPerColumnOnEveryRow() throws IOException {
    writeSample();
    List<String> lines = Files.readAllLines(dir.resolve(ResultsWriter.CSV), StandardCharsets.UTF_8);
    assertEquals(String.join(",", ResultsWriter.CSV_COLUMNS), lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      assertEquals(ResultsWriter.CSV_COLUMNS.size(), line.split(",", -1).length, line);
    }
    assertTrue(lines.contains("ppc.call-same.0,mechanism,ppc,call-same,0,1,ratio_to_baseline,0.200000,,x,baseline.coroutine,ok,"));
    assertTrue(lines.contains("ppc.send-same.64,mechanism,ppc,send-same,64,1,time_per_op,,,,,skipped,EMSGSIZE"));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("sim.substrate.16,") && l.contains(",roundtrips_per_s,")));
  }

  @Test
  void jsonCarriesMetadataMeasurementsRatiosSimulatorSpeedAndTargets() throws IOException {
    writeSample();
    String json = Files.readString(dir.resolve(ResultsWriter.JSON));
    for (String key : List.of("\"machine\"", "\"commit\": \"abc123\"", "\"measurements\"", "\"ratios\"", "\"simSpeed\"", "\"targets\"")) {
      assertTrue(json.contains(key), key + " missing");
    }
    assertTrue(json.contains("\"cpuModel\": \"test \\\"cpu\\\", 2 cores\""), "strings are escaped");
    assertTrue(json.contains("\"score\": null"), "a skipped case's NaN score is JSON null");
  }

  @Test
  void chartIsWrittenAsPngAndSvgAndNoTemporaryFileIsLeft() throws IOException {
    writeSample();
    byte[] png = Files.readAllBytes(dir.resolve(ResultsWriter.CHART + ".png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    assertTrue(Files.readString(dir.resolve(ResultsWriter.CHART + ".svg")).contains("<svg"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  @Test
  void aSecondWriteReplacesTheFirstWhole() throws IOException {
    writeSample();
    writeSample();
    List<String> lines = Files.readAllLines(dir.resolve(ResultsWriter.CSV));
    assertEquals(1, lines.stream().filter(l -> l.startsWith("case,")).count());
  }
}
