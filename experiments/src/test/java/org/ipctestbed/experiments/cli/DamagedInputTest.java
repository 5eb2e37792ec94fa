package org.ipctestbed.experiments.cli;

import static org.ipctestbed.experiments.cli.CliTest.assertBadInput;
import static org.ipctestbed.experiments.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chart and compare treat damaged files as bad input (issue 13): exit 2 with one line naming the
 * file and where in it, never a stack trace; a damaged .hlog is warned about, not silently dropped.
 */
class DamagedInputTest {
  @TempDir static Path tmp;
  static Path good;

  @BeforeAll
  static void runOnce() {
    good = tmp.resolve("good");
    CliTest.Result r = cli("run", "test-rpc", "--ipc", "test-echo,test-echo-slow", "--reps", "2", "--set", "ops=30", "-q", "--no-charts",
        "--out", good.toString());
    assertEquals(0, r.code(), r.err());
  }

  /** A copy of the good run, named {@code name}. */
  static Path copy(String name) throws IOException {
    Path d = tmp.resolve(name);
    Files.createDirectories(d);
    try (Stream<Path> s = Files.list(good)) {
      for (Path f : s.toList()) {
        Files.copy(f, d.resolve(f.getFileName()));
      }
    }
    return d;
  }

  @Test
  void metadataNestedAHundredThousandDeepIsBadInputNotAStackOverflow() throws IOException {
    Path d = copy("deep");
    Files.writeString(d.resolve("metadata.json"), "[".repeat(100_000));
    CliTest.Result r = cli("chart", d.toString());
    assertBadInput(r, "metadata.json: line 1, column");
    assertTrue(r.err().contains("nesting depth"), r.err());
    assertBadInput(cli("compare", good.toString(), d.toString()), "line 1, column");
  }

  @Test
  void metadataThatIsNotUtf8IsNamedAsSuch() throws IOException {
    Path d = copy("latin1");
    byte[] md = Files.readAllBytes(d.resolve("metadata.json"));
    md[20] = (byte) 0xff;
    Files.write(d.resolve("metadata.json"), md);
    assertBadInput(cli("chart", d.toString()), "metadata.json is not UTF-8 text (byte 20 of");
  }

  @Test
  void malformedMetadataNamesTheLineAndColumn() throws IOException {
    Path d = copy("malformed");
    Files.writeString(d.resolve("metadata.json"), "{\n  \"schema\": \"ipc-testbed-results\",\n  \"schemaVersion\": 1,,\n}\n");
    assertBadInput(cli("chart", d.toString()), "metadata.json: line 3, column");
  }

  @Test
  void aMetadataFieldOfTheWrongTypeIsRefusedWithOneLine() throws IOException {
    Path d = copy("wrong-type");
    String md = Files.readString(d.resolve("metadata.json")).replace("\"workload\": \"test-rpc\"", "\"workload\": 7");
    Files.writeString(d.resolve("metadata.json"), md);
    assertBadInput(cli("chart", d.toString()), "field 'workload' must be a string, got an integer");
  }

  @Test
  void aValueThatIsNotANumberInResultsCsvNamesTheFileLineAndColumn() throws IOException {
    Path d = copy("abc");
    List<String> lines = Files.readAllLines(d.resolve("results.csv"));
    String row = lines.get(5);
    int lastComma = row.lastIndexOf(',');
    int valueStart = row.lastIndexOf(',', lastComma - 1) + 1;
    lines.set(5, row.substring(0, valueStart) + "abc" + row.substring(lastComma));
    Files.write(d.resolve("results.csv"), lines);
    CliTest.Result r = cli("chart", d.toString());
    assertBadInput(r, "results.csv line 6, column ");
    assertTrue(r.err().contains("(value): 'abc' is not a number"), r.err());
    assertBadInput(cli("compare", good.toString(), d.toString()), "results.csv line 6");
  }

  @Test
  void resultsCsvThatIsNotUtf8IsNamedAsSuch() throws IOException {
    Path d = copy("binary-csv");
    byte[] csv = Files.readAllBytes(d.resolve("results.csv"));
    csv[3] = (byte) 0xc3;
    csv[4] = (byte) 0x28;
    Files.write(d.resolve("results.csv"), csv);
    assertBadInput(cli("chart", d.toString()), "results.csv is not UTF-8 text (byte 3 of");
  }

  @Test
  void aDamagedHistogramLogIsWarnedAboutAndTheOtherChartsAreDrawn() throws IOException {
    Path d = copy("damaged-hlog");
    Path hlog;
    try (Stream<Path> s = Files.list(d)) {
      hlog = s.filter(p -> p.getFileName().toString().equals("latency-call-test-echo.hlog")).findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(hlog, StandardCharsets.US_ASCII);
    String last = lines.get(lines.size() - 1);
    lines.set(lines.size() - 1, last.substring(0, last.length() / 2) + "!!not base64!!");
    Files.write(hlog, lines, StandardCharsets.US_ASCII);
    CliTest.Result r = cli("chart", d.toString(), "--type", "cdf");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("testbed: warning: damaged histogram log " + hlog), r.err());
    assertTrue(Files.exists(d.resolve("cdf-call.png")), "the CDF is drawn from what could be read");
  }
}
