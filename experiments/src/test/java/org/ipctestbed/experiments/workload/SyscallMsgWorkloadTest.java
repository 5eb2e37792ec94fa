package org.ipctestbed.experiments.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ipctestbed.experiments.baseline.DirectCallProvider;
import org.ipctestbed.lwkt.spi.LwktProvider;
import org.ipctestbed.substrate.Cost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The syscall-msg workload: what it measures with the lwkt strategy and with any other. */
class SyscallMsgWorkloadTest {
  private static final String[] SMALL = {"ops", "40", "warmup", "4", "device-ops", "5", "device-ns", "20000"};

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void withLwktItMeasuresTrapMessageAsyncAndDeviceReadsAndTheIpcCall(String engine) {
    WorkloadsTest.Run r = WorkloadsTest.run("syscall-msg", engine, new LwktProvider(), SMALL);
    for (String metric : List.of("getuid-trap", "getuid-msg", "getuid-async", "read-trap", "read-msg", "read-async", "getuid-ipc")) {
      assertEquals(40, r.sink().samples(metric).size(), metric);
    }
    for (String metric : List.of("uncached-read-trap", "uncached-read-msg", "uncached-read-async")) {
      assertEquals(5, r.sink().samples(metric).size(), metric);
      assertTrue(r.sink().samples(metric).stream().allMatch(ns -> ns >= 20_000), metric + " waited for the device");
    }
    assertEquals(40, r.sink().count("ops"));
    assertNull(r.sink().note("sys-metrics"));
    assertEquals(0, r.machine().ledger().identityError());
  }

  @Test
  void inTheSimulatorAMessageCostsTheTrapPlusSendsysStepsAndNoSwitch() {
    WorkloadsTest.Run r = WorkloadsTest.run("syscall-msg", "sim", new LwktProvider(), SMALL);
    long trap = r.sink().samples("getuid-trap").get(0);
    long msg = r.sink().samples("getuid-msg").get(0);
    assertEquals(72, trap);
    assertTrue(msg > trap, "message " + msg + " vs trap " + trap);
    assertEquals(r.sink().samples("getuid-msg"), r.sink().samples("getuid-async"), "an async request the handler completes at once costs the same");
    assertTrue(r.machine().ledger().costCount(Cost.MSG_CACHE) >= 3 * 44, "the message paths took kernel buffers");
  }

  @Test
  void withAnotherStrategyItMeasuresTheTrapAndItsOwnKernelCallAndSaysWhy() {
    WorkloadsTest.Run r = WorkloadsTest.run("syscall-msg", "sim", new DirectCallProvider(), SMALL);
    assertEquals(40, r.sink().samples("getuid-trap").size());
    assertEquals(40, r.sink().samples("getuid-ipc").size());
    assertTrue(r.sink().samples("getuid-msg").isEmpty());
    assertTrue(r.sink().note("sys-metrics").contains("lwkt strategy only"));
  }

  @Test
  void itPublishesDragonFlysFiguresForTheTwoHistoricalPresets() {
    List<PublishedFigure> figs = WorkloadRegistry.named("syscall-msg").published();
    assertEquals(4, figs.size());
    assertTrue(figs.stream().anyMatch(f -> f.costModel().equals("via-c3-600") && f.metric().equals("getuid-msg") && f.ns() == 1_700));
    assertTrue(figs.stream().anyMatch(f -> f.costModel().equals("dual-p3-1200") && f.metric().equals("getuid-trap") && f.ns() == 909));
  }
}
