package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated engine's event heap: (time, sequence) order, payload kept, no allocation once grown. */
class EventHeapTest {
  private record Ref(long time, long seq, int kind, Object obj, long gen) implements Comparable<Ref> {
    @Override
    public int compareTo(Ref o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  @Test
  void pollsInTheSameOrderAsAPriorityQueueOnTimeThenSequence() {
    SplittableRandom r = new SplittableRandom(17);
    EventHeap heap = new EventHeap();
    PriorityQueue<Ref> ref = new PriorityQueue<>();
    long seq = 0;
    long now = 0;
    for (int step = 0; step < 200_000; step++) {
      if (ref.isEmpty() || r.nextInt(100) < 52) {
        // Many ties in time, as the engine makes (events "now", equal costs): the sequence decides.
        long t = now + (r.nextBoolean() ? 0 : r.nextLong(0, 50));
        Object o = r.nextInt(4) == 0 ? null : Integer.valueOf(r.nextInt(1000));
        int kind = r.nextInt(11);
        long gen = r.nextLong();
        heap.add(t, seq, kind, null, o, gen);
        ref.add(new Ref(t, seq, kind, o, gen));
        seq++;
      } else {
        Ref e = ref.poll();
        assertTrue(heap.poll());
        assertEquals(e.time(), heap.time);
        assertEquals(e.kind(), heap.kind);
        assertSame(e.obj(), heap.obj);
        assertEquals(e.gen(), heap.gen);
        now = e.time();
      }
      assertEquals(ref.size(), heap.size());
    }
  }

  @Test
  void aCancelledEventIsNeverPolledAndTheOthersKeepTheirOrder() {
    SplittableRandom r = new SplittableRandom(23);
    EventHeap heap = new EventHeap();
    PriorityQueue<Ref> ref = new PriorityQueue<>();
    java.util.List<Ref> pending = new java.util.ArrayList<>();
    java.util.Map<Long, Integer> handleOfSeq = new java.util.HashMap<>();
    long seq = 0;
    long now = 0;
    for (int step = 0; step < 100_000; step++) {
      int op = r.nextInt(100);
      if (ref.isEmpty() || op < 50) {
        long t = now + r.nextLong(0, 40);
        Ref e = new Ref(t, seq, r.nextInt(11), null, r.nextLong());
        handleOfSeq.put(seq, heap.add(t, seq, e.kind(), null, null, e.gen()));
        ref.add(e);
        pending.add(e);
        seq++;
      } else if (op < 65) {
        Ref victim = pending.remove(r.nextInt(pending.size()));
        ref.remove(victim);
        heap.cancel(handleOfSeq.remove(victim.seq()));
      } else {
        Ref e = ref.poll();
        pending.remove(e);
        handleOfSeq.remove(e.seq());
        assertTrue(heap.poll());
        assertEquals(e.time(), heap.time);
        assertEquals(e.kind(), heap.kind);
        assertEquals(e.gen(), heap.gen);
        now = e.time();
      }
      assertEquals(ref.size(), heap.size());
    }
  }

  @Test
  void anEmptyHeapPollsNothing() {
    EventHeap heap = new EventHeap();
    assertFalse(heap.poll());
    heap.add(5, 0, 3, null, "x", 9);
    assertTrue(heap.poll());
    assertFalse(heap.poll());
    assertEquals(5, heap.time);
  }

  @Test
  void aPolledSlotLetsGoOfItsObject() {
    EventHeap heap = new EventHeap();
    heap.add(1, 0, 0, null, new Object(), 0);
    heap.poll();
    heap.add(2, 1, 0, null, null, 0);
    heap.poll();
    assertNull(heap.obj);
  }

  @Test
  void aGrownHeapAllocatesNothingPerEvent() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    EventHeap heap = new EventHeap();
    long seq = 0;
    for (int i = 0; i < 1000; i++) {
      heap.add(i % 37, seq++, 1, null, null, i);
    }
    for (int round = 0; round < 3; round++) { // warm up, then measure the last round
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100_000; i++) {
        heap.poll();
        heap.add(heap.time + (i % 13), seq++, 2, null, this, i);
      }
      long bytes = mx.getCurrentThreadAllocatedBytes() - before;
      if (round == 2) {
        assertTrue(bytes < 10_000, "allocated " + bytes + " B in 100,000 steady-state events");
      }
    }
  }
}
