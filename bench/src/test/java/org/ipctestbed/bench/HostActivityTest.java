package org.ipctestbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the bench records about the host's quietness, from /proc's formats (proc(5)). */
class HostActivityTest {
  @Test
  void theHostsBusyTimeIsEveryColumnButIdleAndIowait() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    assertEquals(10 + 1 + 5 + 3 + 2 + 7, HostActivity.busyOfCpuLine("cpu  10 1 5 1000 50 3 2 7 4 0"));
    assertThrows(IllegalArgumentException.class, () -> HostActivity.busyOfCpuLine("cpu0 1 2 3 4 5 6 7 8"));
  }

  @Test
  void aProcessCountsItsOwnAndItsReapedChildrensTimeWhateverItsName() {
    String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 30 55 6 20 0 40 0 123 456 789";
    assertEquals(700 + 30 + 55 + 6, HostActivity.selfAndChildrenTicks(stat));
  }

  @Test
  void onThisHostTheCountersAdvanceAndOthersNeverGoNegative() {
    HostActivity a = HostActivity.start();
    double self = HostActivity.selfAndChildrenSeconds();
    assertTrue(Double.isNaN(self) || self >= 0);
    double foreign = a.foreignCpuSeconds();
    assertTrue(Double.isNaN(foreign) || foreign >= 0, "foreign " + foreign);
  }

  @Test
  void theLoadIsReadUntilItSettlesOrTheWaitEnds() {
    AtomicInteger reads = new AtomicInteger();
    HostActivity.Settled quiet = HostActivity.settledLoad(() -> reads.incrementAndGet() < 3 ? 1.0 : 0.2, 0.5, 10);
    assertEquals(0.2, quiet.loadAverage());
    assertEquals(2, quiet.waitedSeconds());
    HostActivity.Settled noWait = HostActivity.settledLoad(() -> 1.5, 0.5, 0);
    assertEquals(1.5, noWait.loadAverage());
    assertEquals(0, noWait.waitedSeconds());
  }
}
