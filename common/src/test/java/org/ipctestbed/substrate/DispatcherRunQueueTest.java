package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.substrate.sched.ProportionalSharePolicy;
import org.ipctestbed.substrate.sched.RunQueue;
import org.junit.jupiter.api.Test;

/**
 * research/k42.md 4.1 and 4.3: the kernel's run queue holds dispatchers (one entry while {@code
 * hasWork}), each dispatcher its own ready threads; processes without a user-level scheduler keep
 * one level.
 */
class DispatcherRunQueueTest {
  private static final UserLevelScheduler FIFO = from -> null;

  private final Machine m = Machine.create(Machines.sim(1).build());
  private final Process two = m.newProcess("two-level");
  private final Process one = m.newProcess("one-level");
  private final RunQueue policy = new ProportionalSharePolicy().newRunQueue(0);
  private final DispatcherRunQueue q = new DispatcherRunQueue(policy);

  DispatcherRunQueueTest() {
    two.setUserLevelScheduler(FIFO);
  }

  private Fiber fiber(Process p, String name) {
    return p.spawnDaemon(name, 0, self -> {});
  }

  @Test
  void theKernelQueueHoldsOneEntryPerDispatcherWithWorkAndEachOneLevelFiber() {
    Fiber a = fiber(two, "a");
    Fiber b = fiber(two, "b");
    Fiber c = fiber(two, "c");
    Fiber x = fiber(one, "x");
    assertFalse(q.hasWork(two));
    q.enqueue(a);
    q.enqueue(b);
    q.enqueue(c);
    q.enqueue(x);
    assertEquals(2, policy.size(), "one dispatcher entry and one thread");
    assertEquals(4, q.size(), "four ready fibers");
    assertTrue(q.hasWork(two));
    assertFalse(q.hasWork(one), "a one-level process has no dispatcher");
  }

  @Test
  void hasWorkFollowsTheReadyQueueAndTheEntryLeavesWithTheLastThread() {
    Fiber a = fiber(two, "a");
    Fiber b = fiber(two, "b");
    q.enqueue(a);
    q.enqueue(b);
    assertTrue(q.remove(a));
    assertTrue(q.hasWork(two));
    assertEquals(1, policy.size(), "the entry stands for the dispatcher, whichever thread made it");
    assertTrue(q.remove(b));
    assertFalse(q.hasWork(two));
    assertEquals(0, policy.size());
    assertNull(q.poll());
  }

  @Test
  void aPickedDispatcherRunsItsThreadsInReadyOrderAndKeepsAnEntryWhileItHasWork() {
    Fiber a = fiber(two, "a");
    Fiber b = fiber(two, "b");
    q.enqueue(a);
    q.enqueue(b);
    assertSame(a, q.poll());
    assertEquals(1, policy.size());
    assertSame(b, q.poll());
    assertEquals(0, policy.size());
    assertFalse(q.hasWork(two));
  }

  @Test
  void aHardStoppedThreadIsResumedFirstWhenTheKernelPicksItsDispatcher() {
    Fiber a = fiber(two, "a");
    Fiber b = fiber(two, "b");
    q.enqueue(a);
    b.hardPreempted = true; // the kernel holds its context (k42.md 4.4)
    q.enqueue(b);
    assertSame(b, q.poll());
    b.hardPreempted = false;
  }

  @Test
  void aUserLevelSwitchTakesAnotherReadyThreadWithoutThePolicy() {
    Fiber a = fiber(two, "a");
    Fiber b = fiber(two, "b");
    q.enqueue(a);
    q.enqueue(b);
    assertSame(b, q.takeUserLevel(two, a), "not the one that yields");
    assertSame(a, q.takeUserLevel(two, null));
    assertNull(q.takeUserLevel(two, null));
    assertEquals(0, policy.size());
    assertNull(q.takeUserLevel(one, null), "no dispatcher, no user-level switch");
  }
}
