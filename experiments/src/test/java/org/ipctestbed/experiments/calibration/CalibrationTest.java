package org.ipctestbed.experiments.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    Validation.Row ok = new Validation.Row("null-rpc-same-cpu", "cpus=2", "ppc", 100, 114, 200, 260, 1e7, 0.82e7);
    assertTrue(ok.medianOk() && ok.throughputOk());
    assertEquals("", Validation.cause(ok));
    Validation.Row miss = new Validation.Row("null-rpc-cross-cpu", "cpus=2", "lwkt", 100, 130, 200, 900, 1e7, 0.7e7);
    assertFalse(miss.medianOk());
    assertFalse(miss.throughputOk());
    assertTrue(Validation.cause(miss).contains("not fitted"), Validation.cause(miss));
    assertTrue(Validation.cause(miss).contains("p99"), Validation.cause(miss));
    assertTrue(Validation.cause(miss).contains("mean"), Validation.cause(miss));
  }

  @Test
  void aMissNamesTheFigureTheCalibrationMeasuredForTheSameRoundTrip() {
    Map<String, String> prov = Map.of("fit.probe.lwkt.null-cross-cpu",
        "real median 70 ns (repetition medians 60 .. 80, n=5); sim before 90 ns (+28.6%), after 71 ns (residual +1.4%)",
        "loadAverageBefore", "1.50", "loadAverageAfter", "2.50");
    Validation.Row miss = new Validation.Row("null-rpc-cross-cpu", "cpus=2", "lwkt", 100, 71, 200, 150, 1e7, 1.4e7);
    String why = Validation.cause(miss, prov);
    assertTrue(why.contains("the real engine moved") && why.contains("70 ns") && why.contains("+43%") && why.contains("2.50"), why);
    Validation.Row many = new Validation.Row("many-clients", "cpus=1", "lwkt", 400, 280, 500, 300, 4e9 / 420, 4e9 / 290);
    Map<String, String> same = Map.of("fit.probe.lwkt.null-same-cpu", "real median 100 ns (repetition medians 90 .. 110, n=5)");
    assertTrue(Validation.cause(many, same).contains("4.00x the real round trip"), Validation.cause(many, same));
    assertEquals(70, Validation.calibrationReal(prov, "lwkt.null-cross-cpu"), 1e-9);
    assertEquals(0.014, Validation.fitResidual(prov, "lwkt.null-cross-cpu"), 1e-9);
  }

  @Test
  void theFitLowersTheMisfitOfTheMechanismsRoundTripsAndRecordsIt() throws Exception {
    Path f = tmp.resolve("fitted.properties");
    assertEquals(0, cli("calibrate", "--samples", "6", "--batch", "20", "--fit", "ppc", "--quick", "--out", f.toString()));
    CostModel m = CostModel.named(f.toString());
    for (String probe : new String[] {"ppc.null-same-cpu", "ppc.4072B-same-cpu", "ppc.null-cross-cpu"}) {
      assertTrue(m.provenance().containsKey("fit.probe." + probe), probe + " in " + m.provenance().keySet());
    }
    double before = Double.parseDouble(m.provenance().get("fit.rmsMisfitBefore").replace("%", ""));
    double after = Double.parseDouble(m.provenance().get("fit.rmsMisfitAfter").replace("%", ""));
    assertTrue(after <= before, "misfit before " + before + "%, after " + after + "%");
    assertTrue(m.provenance().keySet().stream().anyMatch(k -> k.startsWith("fit.cost.")), m.provenance().keySet().toString());
    assertTrue(m.source(org.ipctestbed.substrate.Cost.TRAP).contains("fitted"), m.source(org.ipctestbed.substrate.Cost.TRAP));
    assertEquals(2, cli("calibrate", "--fit", "no-such-ipc", "--out", tmp.resolve("y").toString()));
  }

  @Test
  void theSolverSolvesALinearSystem() {
    double[] x = MechanismFit.solve(new double[][] {{0, 2, 4}, {3, 1, 5}});
    assertEquals(1, x[0], 1e-12); // 2y = 4, 3x + y = 5 (a zero pivot first: the rows must swap)
    assertEquals(2, x[1], 1e-12);
  }
}
