package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
  static final ExperimentSpec SPEC = new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("sim"), List.of(2), 3, -1, 1,
      Map.of(), "modern-x86", "proportional-share", Path.of("out"), "test");
  static final Point POINT = new Point("sim", 2, Map.of("bytes", "64"), List.of("bytes"));

  static String drive(boolean terminal) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), terminal, false);
    p.started(SPEC, 3);
    for (int i = 0; i < 3; i++) {
      p.repStarting(SPEC, POINT, "test-echo", i, false, i, 3);
      p.repFinished(SPEC, POINT, "test-echo", i, false, i + 1, 3);
    }
    p.finished(SPEC, "complete");
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void offATerminalProgressIsPlainLinesNamingExperimentPointMechanismRepetitionAndEta() {
    String out = drive(false);
    assertFalse(out.contains("\r"), out);
    assertTrue(out.contains("testbed: [1/3] test-rpc bytes=64 | test-echo rep 1/3 |"), out);
    assertTrue(out.contains("testbed: [3/3] test-rpc bytes=64 | test-echo rep 3/3 |") && out.contains("ETA"), out);
  }

  @Test
  void onATerminalProgressRewritesOneLineAndShowsTheRunningRepetition() {
    String out = drive(true);
    assertTrue(out.contains("\r[2/3] test-rpc bytes=64 | test-echo rep 2/3 running"), out);
    assertTrue(out.chars().filter(c -> c == '\n').count() == 3, "start line, one status line, end line: " + out);
  }
}
