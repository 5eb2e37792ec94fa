package org.ipctestbed.experiments.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipctestbed.experiments.cli.Main;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.CostDistribution;
import org.ipctestbed.substrate.CostModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code testbed calibrate} writes a model that loads, whose every priced cost is an empirical
 * distribution measured here with its provenance; the validation's verdicts follow the targets. No
 * timing is asserted: the host is shared.
 */
class CalibrationTest {
  @TempDir Path tmp;

  private static int cli(String... args) {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Main.execute(args, out, out);
  }

  @Test
  void calibrateWritesAModelEveryFigureOfWhichWasMeasuredHere() throws Exception {
    Path f = tmp.resolve("host.properties");
    assertEquals(0, cli("calibrate", "--samples", "6", "--batch", "20", "--out", f.toString()));
    CostModel m = CostModel.named(f.toString());
    assertEquals("calibrated", m.name());
    for (String k : new String[] {"host", "jdk", "date", "method", "loadAverageBefore"}) {
      assertTrue(m.provenance().containsKey(k), k + " in " + m.provenance());
    }
    for (Cost c : Cost.values()) {
      if (c == Cost.CONTENTION_WAIT || c == Cost.NOISE) {
        continue;
      }
      assertEquals(CostDistribution.Shape.EMPIRICAL, m.distribution(c).shape(), c.name());
      assertTrue(m.source(c).startsWith("measured here"), m.source(c));
      assertTrue(m.ns(c) >= 0, c.name());
    }
    assertTrue(Files.readString(f).contains("provenance.jdk="));
  }

  @Test
  void badCalibrationOptionsAreRefusedWithExit2() {
    assertEquals(2, cli("calibrate", "--samples", "2", "--out", tmp.resolve("x").toString()));
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void aValidationRowMeetsTheTargetsOnlyWithinFifteenAndTwentyPercent() {
    Validation.Row ok = new Validation.Row("null-rpc-same-cpu", "cpus=2", "ppc", 100, 114, 200, 260, 1000, 820);
    assertTrue(ok.medianOk() && ok.throughputOk());
    assertEquals("", Validation.cause(ok));
    Validation.Row miss = new Validation.Row("null-rpc-cross-cpu", "cpus=2", "lwkt", 100, 130, 200, 900, 1000, 700);
    assertFalse(miss.medianOk());
    assertFalse(miss.throughputOk());
    assertTrue(Validation.cause(miss).contains("cross-CPU wake"), Validation.cause(miss));
    assertTrue(Validation.cause(miss).contains("p99"), Validation.cause(miss));
  }
}
