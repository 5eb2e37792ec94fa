package org.ipctestbed.experiments.cli;

import static org.ipctestbed.experiments.cli.CliTest.assertBadInput;
import static org.ipctestbed.experiments.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.harness.ExperimentSpec;
import org.ipctestbed.experiments.workload.WorkloadParams;
import org.ipctestbed.experiments.workload.WorkloadRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that slipped past validation (issue 13): each now exits 2 with one line and writes nothing. */
class ValidationHolesTest {
  @TempDir Path tmp;

  private String out(String name) {
    return tmp.resolve(name).toString();
  }

  @Test
  void anUpperCaseRealEngineMeetsTheHostCoreCheck() {
    Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() < 64);
    assertBadInput(cli("run", "test-rpc", "--engine", "REAL", "--cpus", "64", "--out", out("real64")), "this host has");
    assertFalse(Files.exists(tmp.resolve("real64")));
  }

  @Test
  void anUpperCaseRealEngineRecordsItsWarmUp() {
    ExperimentSpec s = new ExperimentSpec("test-rpc", List.of("test-echo"), List.of("REAL"), List.of(1), 1, -1, 1, Map.of(),
        "modern-x86", "Proportional-Share", tmp, "test");
    assertEquals(List.of("real"), s.engines());
    assertEquals(1, s.warmupsFor(s.engines().get(0)));
    assertEquals("proportional-share", s.policy());
  }

  @Test
  void anEngineListedTwiceIsRefused() {
    assertBadInput(cli("run", "test-rpc", "--engine", "sim,SIM", "--out", out("e2")), "--engine lists 'sim' twice");
  }

  @Test
  void aCpuCountListedTwiceIsRefused() {
    assertBadInput(cli("run", "test-rpc", "--cpus", "2,2", "--out", out("c2")), "--cpus lists '2' twice");
  }

  @Test
  void aParameterValueListedTwiceIsRefused() {
    assertBadInput(cli("run", "test-rpc", "--set", "ops=100,100", "--out", out("s2")), "--set ops= lists '100' twice");
  }

  @Test
  void aHugeRepetitionCountIsRefusedWithTheCap() {
    assertBadInput(cli("run", "test-rpc", "--reps", "1000000000", "--out", out("huge")), "--reps must be 1..1000000");
  }

  @Test
  void aRunOfMoreRepetitionsThanTheCapIsRefusedBeforeItStarts() {
    assertBadInput(cli("run", "test-rpc", "--ipc", "test-echo,test-echo-slow", "--reps", "1000000", "--cpus", "1,2,3,4,5,6",
        "--out", out("total")), "12000000 repetitions");
  }

  @Test
  void digitsOfAnotherScriptAreRefused() {
    assertBadInput(cli("run", "test-rpc", "--set", "ops=\u0661\u0662\u0663", "--out", out("arabic")), "only the ASCII digits 0-9");
    assertBadInput(cli("run", "test-rpc", "--cpus", "\u0968", "--out", out("devanagari")), "only the ASCII digits 0-9");
  }

  @Test
  void aWorkloadParameterTakesOnlyAsciiDigits() {
    var w = WorkloadRegistry.named("test-rpc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkloadParams.of(w, Map.of("ops", "\uff11\uff12")).longValue("ops", 1, 100));
    assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
  }
}
