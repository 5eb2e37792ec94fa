package org.ipctestbed.experiments.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Workload think and service times drawn from constant, exponential and log-normal distributions. */
class TimeDistributionTest {
  private static double meanOf(TimeDistribution d) {
    SplittableRandom r = new SplittableRandom(11);
    double s = 0;
    for (int i = 0; i < 100_000; i++) {
      s += d.draw(r);
    }
    return s / 100_000;
  }

  @Test
  void eachFormDrawsWithTheMeanItNames() {
    assertEquals(1000, meanOf(TimeDistribution.parse("p", "1000", 10_000)), 0);
    assertEquals(1000, meanOf(TimeDistribution.parse("p", "const:1000", 10_000)), 0);
    assertEquals(1000, meanOf(TimeDistribution.parse("p", "exp:1000", 10_000)), 15);
    assertEquals(1000, meanOf(TimeDistribution.parse("p", "lognormal:1000:0.5", 10_000)), 15);
  }

  @Test
  void aMalformedOrOutOfRangeValueNamesTheForms() {
    for (String bad : new String[] {"exp", "exp:x", "gauss:5", "lognormal:100:0", "-5", "exp:20000"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeDistribution.parse("parameter 'think-ns'", bad, 10_000));
      assertTrue(e.getMessage().contains("think-ns"), e.getMessage());
    }
  }

  @Test
  void manyClientsWithRandomWorkAndThinkTimeStillMakesEveryCall() {
    var sink = new RecordingMeasurements();
    var w = new ManyClientsWorkload();
    var m = org.ipctestbed.substrate.Machine.create(org.ipctestbed.substrate.MachineConfig.builder().cpus(2).seed(3).build());
    var ipc = org.ipctestbed.ipc.IpcProvider.named("direct-call").install(m);
    w.install(m, ipc, WorkloadParams.of(w, java.util.Map.of("clients", "2", "ops", "200", "warmup", "0",
        "work-ns", "exp:500", "think-ns", "lognormal:2000:1")), sink);
    long elapsed = m.run();
    assertEquals(400, sink.count("ops"));
    assertTrue(elapsed > 200 * 2000 / 2, "think time should show in elapsed: " + elapsed);
  }
}
