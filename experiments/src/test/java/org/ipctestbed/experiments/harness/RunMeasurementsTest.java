package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.ipctestbed.experiments.workload.Measurements;
import org.junit.jupiter.api.Test;

class RunMeasurementsTest {
  @Test
  void aMetricNameGivesTheSameRecorderEveryTime() {
    RunMeasurements m = new RunMeasurements();
    assertSame(m.latency("call"), m.latency("call"));
    assertSame(m.counter("ops"), m.counter("ops"));
  }

  @Test
  void recordingFromSeveralThreadsLosesNothing() throws Exception {
    RunMeasurements m = new RunMeasurements();
    Measurements.LatencyRecorder r = m.latency("call");
    Measurements.Counter c = m.counter("ops");
    Thread[] ts = new Thread[4];
    for (int t = 0; t < ts.length; t++) {
      ts[t] = new Thread(() -> {
        for (int i = 1; i <= 10_000; i++) {
          r.record(i);
          c.increment();
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    assertEquals(40_000, m.histograms().get("call").getTotalCount());
    assertEquals(40_000L, m.counters().get("ops"));
  }

  @Test
  void aValueAboveTheRangeIsClampedAndCounted() {
    RunMeasurements m = new RunMeasurements();
    m.latency("call").record(RunMeasurements.HIGHEST_NS * 10);
    m.latency("call").record(-5);
    assertEquals(1, m.clampedSamples());
    assertEquals(2, m.histograms().get("call").getTotalCount());
    assertEquals(0, m.histograms().get("call").getMinValue());
  }

  @Test
  void recordingAllocatesNothing() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    RunMeasurements m = new RunMeasurements();
    Measurements.LatencyRecorder r = m.latency("call");
    Measurements.Counter c = m.counter("ops");
    for (int i = 0; i < 200_000; i++) {
      r.record(i & 0xFFFF);
      c.increment();
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 200_000; i++) {
      r.record(i & 0xFFFFF);
      c.increment();
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1024, "200,000 recordings allocated " + allocated + " bytes");
  }

  @Test
  void aMetricNameThatCannotNameAFileIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RunMeasurements().latency("a b/c"));
  }
}
