package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "Seeded variability": every cost is a seeded distribution with a source; the same seed
 * replays the same draws, another seed draws others, and the deterministic switch charges each mean.
 */
class CostVariabilityTest {
  /** One client on CPU 0 pinging a fiber on CPU 1 through IPIs, charging mechanism costs on the way. */
  static Machine pingPong(long seed, boolean deterministic, String model) {
    Machine m = Machine.create(Machines.sim(2).costModel(model).deterministic(deterministic).seed(seed).build());
    Process p = m.newProcess("p");
    Fiber[] server = new Fiber[1];
    int[] turn = {0};
    server[0] = p.spawn("server", 1, self -> {
      for (int i = 0; i < 500; i++) {
        while (turn[0] != 1) {
          self.block("waiting for a ping");
        }
        self.charge(Cost.QUEUE_OP);
        self.charge(Cost.COPY_PER_BYTE, 256);
        turn[0] = 0;
      }
    });
    Fiber client = p.spawn("client", 0, self -> {
      for (int i = 0; i < 500; i++) {
        self.charge(Cost.TRAP);
        turn[0] = 1;
        server[0].wake();
        self.sleep(5_000);
      }
    });
    m.run();
    return m;
  }

  @Test
  void theSameSeedReplaysTheSameDrawsBitForBit() {
    Machine a = pingPong(3, false, "modern-x86");
    Machine b = pingPong(3, false, "modern-x86");
    assertEquals(a.traceDigest(), b.traceDigest());
    assertEquals(a.elapsedNs(), b.elapsedNs());
    assertEquals(a.ledger().costNs(Cost.TRAP), b.ledger().costNs(Cost.TRAP));
  }

  @Test
  void anotherSeedDrawsOtherCosts() {
    Machine a = pingPong(3, false, "modern-x86");
    Machine b = pingPong(4, false, "modern-x86");
    assertNotEquals(a.ledger().costNs(Cost.TRAP), b.ledger().costNs(Cost.TRAP));
    assertNotEquals(a.elapsedNs(), b.elapsedNs());
  }

  @Test
  void theDeterministicSwitchChargesEveryMeanWhateverTheSeed() {
    Machine a = pingPong(3, true, "modern-x86");
    Machine b = pingPong(4, true, "modern-x86");
    assertEquals(a.elapsedNs(), b.elapsedNs());
    assertEquals(500 * 70, a.ledger().costNs(Cost.TRAP));
    assertEquals(500 * Math.round(0.1 * 256), a.ledger().costNs(Cost.COPY_PER_BYTE));
  }

  @Test
  void theBuilderIsDeterministicByDefaultSoExistingFiguresDoNotMove() {
    assertTrue(MachineConfig.builder().build().costModel().isDeterministic());
    assertFalse(MachineConfig.builder().deterministic(false).build().costModel().isDeterministic());
  }

  @Test
  void variableDrawsKeepTheMeanOfEachCost() {
    CostModel m = CostModel.named("modern-x86");
    SplittableRandom r = new SplittableRandom(1);
    for (Cost c : new Cost[] {Cost.TRAP, Cost.IPI_LATENCY, Cost.CACHE_LINE_TRANSFER}) {
      double sum = 0;
      int n = 200_000;
      double min = Double.MAX_VALUE;
      double max = 0;
      for (int i = 0; i < n; i++) {
        long v = m.sample(c, 1, r);
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertEquals(m.ns(c), sum / n, m.ns(c) * 0.02, c.name());
      assertTrue(max > min, c + " should vary");
      assertTrue(min >= m.ns(c) * (1 - m.distribution(c).randomFraction()) - 1, c + ": below the fixed part");
    }
  }

  @Test
  void anEmpiricalCostDrawsOnlyMeasuredSamples() {
    CostDistribution d = CostDistribution.empirical(new double[] {10, 30, 20}, "measured here: test");
    assertEquals(20, d.meanNs(), 1e-9);
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 100; i++) {
      double v = d.sample(r);
      assertTrue(v == 10 || v == 20 || v == 30, "drew " + v);
    }
  }

  @Test
  void everyPresetCostSaysWhereItsFigureComesFrom() {
    for (String name : CostModel.PRESETS.split(",\\s*")) {
      CostModel m = CostModel.named(name);
      for (Cost c : Cost.values()) {
        assertFalse(m.source(c).isBlank(), name + " " + c);
      }
    }
    assertTrue(CostModel.named("modern-x86").source(Cost.CACHE_LINE_TRANSFER).contains("anchors.md"));
    assertTrue(CostModel.named("modern-x86").source(Cost.TRAP).startsWith("estimated"));
  }

  @Test
  void aTimerNoiseSourceStealsTimeFromABusyCpuAndIsTallied() {
    Machine m = Machine.create(Machines.sim(1).costModel("modern-x86+timer").deterministic(false).seed(9).build());
    m.newProcess("p").spawn("w", 0, self -> self.work(100_000_000));
    long elapsed = m.run();
    long ticks = m.ledger().costCount(Cost.NOISE);
    assertTrue(ticks >= 24 && ticks <= 26, "ticks in 100 ms at 4 ms: " + ticks);
    assertEquals(100_000_000 + m.ledger().costNs(Cost.NOISE), elapsed, 500);
    Machine quiet = Machine.create(Machines.sim(1).costModel("modern-x86+timer").deterministic(true).build());
    quiet.newProcess("p").spawn("w", 0, self -> self.work(100_000_000));
    assertTrue(quiet.run() < 100_002_000);
    assertEquals(0, quiet.ledger().costCount(Cost.NOISE));
  }

  @Test
  void noiseOnAnIdleMachineStillLetsADeadlockBeFound() {
    Machine m = Machine.create(Machines.sim(2).costModel("modern-x86+timer+background").deterministic(false).build());
    m.newProcess("p").spawn("stuck", 0, self -> self.block("forever"));
    assertThrows(DeadlockException.class, m::run);
  }

  @Test
  void aCostModelFileRoundTripsWithItsProvenance(@TempDir Path tmp) throws Exception {
    CostModel m = CostModel.ofDistributions("calibrated-test",
        java.util.Map.of(Cost.TRAP, CostDistribution.empirical(new double[] {50, 60, 70}, "measured here: trap"),
            Cost.IPI_LATENCY, CostDistribution.lognormal(900, 0.3, 0.5, "estimated: test")),
        java.util.List.of(), java.util.Map.of("host", "h", "jdk", "25"));
    Path f = tmp.resolve("m.properties");
    Files.writeString(f, CostModelFile.format(m, "test"));
    CostModel back = CostModel.named(f.toString());
    assertEquals("calibrated-test", back.name());
    assertEquals(m.distribution(Cost.TRAP), back.distribution(Cost.TRAP));
    assertEquals(900, back.ns(Cost.IPI_LATENCY), 1e-9);
    assertEquals("h", back.provenance().get("host"));
    assertEquals(0, back.ns(Cost.QUEUE_OP));
  }

  @Test
  void aBadCostModelFileIsRefusedWithOneLineNamingTheProblem(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.properties");
    Files.writeString(f, "model.name=x\ncost.TRAP.mean=abc\ncost.TRAP.source=s\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostModel.named(f.toString()));
    assertTrue(e.getMessage().contains("TRAP") && e.getMessage().contains("abc"), e.getMessage());
    Files.writeString(f, "model.name=x\ncost.TRAP.mean=5\n");
    e = assertThrows(IllegalArgumentException.class, () -> CostModel.named(f.toString()));
    assertTrue(e.getMessage().contains("source"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CostModel.named(tmp.resolve("none.properties").toString()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CostModel.named("modern-x86+hum"));
    assertTrue(e.getMessage().contains("timer, background"), e.getMessage());
  }
}
