package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long repetition shows progress while it runs (issue 13: 64 CPUs x 1000 clients showed none for minutes). */
class HeartbeatTest {
  @TempDir Path tmp;

  @Test
  void aLongRepetitionReportsThatItIsStillRunning() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Harness h = new Harness(List.of());
    h.heartbeatNs = 20_000_000L;
    ExperimentSpec spec = new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("sim"), List.of(2), 1, 0, 1,
        Map.of("ops", List.of("30000"), "clients", List.of("8")), "modern-x86", "proportional-share", tmp.resolve("long"), "test");
    Harness.Outcome o = h.run(spec, new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false));
    assertTrue(o.complete(), o.reason());
    String text = buf.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("| test-echo rep 1/1 running for "), text);
  }
}
