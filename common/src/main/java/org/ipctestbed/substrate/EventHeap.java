package org.ipctestbed.substrate;

import java.util.Arrays;

/**
 * The simulated engine's queue of pending events: a 4-ary min-heap over primitive arrays, ordered by
 * (virtual time, sequence number), with no object per event (issue 17).
 *
 * <p>The heap holds the keys, interleaved ({@code keys[2i]} the time, {@code keys[2i+1]} the
 * sequence number, so that a comparison reads one cache line) and the slot of each entry's payload;
 * the payload (kind, CPU, object, generation) stays in its slot while the keys move, and the slot is
 * recycled through a free stack once the event is taken. Sequence numbers are unique, so the order of
 * events is total and the same as any other correct priority queue on (time, sequence) gives: the
 * same seed replays bit for bit, as with the {@code PriorityQueue} this replaces.
 *
 * <p>Calling conventions: one thread (the simulated engine's driver); {@link #poll()} moves the
 * smallest event's payload into {@link #kind}, {@link #cpu}, {@link #obj} and {@link #gen}, where it
 * stays until the next poll, so that handling an event may schedule others. Grows by doubling; once
 * grown to a run's peak it allocates nothing.
 */
final class EventHeap {
  private static final int INITIAL = 64;

  /** Keys in heap order: {@code keys[2i]} time, {@code keys[2i+1]} sequence number. */
  private long[] keys = new long[2 * INITIAL];
  /** Payload slot of each heap entry. */
  private int[] slotOf = new int[INITIAL];
  private int size;

  /** Heap position of each payload slot while its event is pending. */
  private int[] posOf = new int[INITIAL];
  private int[] slotKind = new int[INITIAL];
  private long[] slotGen = new long[INITIAL];
  private Cpu[] slotCpu = new Cpu[INITIAL];
  private Object[] slotObj = new Object[INITIAL];
  /** Free payload slots, a stack: {@code free[0..freeTop)}. */
  private int[] free = new int[INITIAL];
  private int freeTop;
  private int slotsUsed;

  /** The last polled event's time, kind, CPU, object and generation. */
  long time;
  int kind;
  Cpu cpu;
  Object obj;
  long gen;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * Adds an event; {@code seq} must be larger than every sequence number added before. Returns its
   * handle for {@link #cancel}, valid until the event is polled or cancelled.
   */
  int add(long t, long seq, int k, Cpu c, Object o, long g) {
    int slot = takeSlot();
    slotKind[slot] = k;
    slotGen[slot] = g;
    slotCpu[slot] = c;
    slotObj[slot] = o;
    if (size == slotOf.length) {
      slotOf = Arrays.copyOf(slotOf, size * 2);
      keys = Arrays.copyOf(keys, size * 4);
    }
    siftUp(size++, t, seq, slot);
    return slot;
  }

  /**
   * Removes a pending event that can no longer do anything (its generation is stale), so that the
   * heap holds only events that may still act. The order of the others is unchanged.
   */
  void cancel(int handle) {
    int i = posOf[handle];
    slotCpu[handle] = null;
    slotObj[handle] = null;
    free[freeTop++] = handle;
    int last = --size;
    if (i == last) {
      return;
    }
    long t = keys[2 * last];
    long s = keys[2 * last + 1];
    int slot = slotOf[last];
    // The last entry takes the hole: it may belong above or below it.
    if (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = keys[2 * parent];
      if (t < pt || (t == pt && s < keys[2 * parent + 1])) {
        siftUp(i, t, s, slot);
        return;
      }
    }
    siftDown(i, t, s, slot, last);
  }

  private int takeSlot() {
    if (freeTop > 0) {
      return free[--freeTop];
    }
    if (slotsUsed == slotKind.length) {
      int n = slotsUsed * 2;
      slotKind = Arrays.copyOf(slotKind, n);
      slotGen = Arrays.copyOf(slotGen, n);
      slotCpu = Arrays.copyOf(slotCpu, n);
      slotObj = Arrays.copyOf(slotObj, n);
      posOf = Arrays.copyOf(posOf, n);
      free = Arrays.copyOf(free, n);
    }
    return slotsUsed++;
  }

  /**
   * Takes the earliest event into {@link #time}, {@link #kind}, {@link #cpu}, {@link #obj} and {@link
   * #gen}; returns false (changing nothing) when the heap is empty.
   */
  boolean poll() {
    if (size == 0) {
      return false;
    }
    int slot = slotOf[0];
    time = keys[0];
    kind = slotKind[slot];
    gen = slotGen[slot];
    cpu = slotCpu[slot];
    obj = slotObj[slot];
    slotCpu[slot] = null;
    slotObj[slot] = null;
    free[freeTop++] = slot;
    int last = --size;
    if (last > 0) {
      siftDown(0, keys[2 * last], keys[2 * last + 1], slotOf[last], last);
    }
    return true;
  }

  /** The time of the earliest event; only when not empty. */
  long peekTime() {
    return keys[0];
  }

  private void siftUp(int i, long t, long s, int slot) {
    long[] k = keys;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = k[2 * parent];
      if (pt < t || (pt == t && k[2 * parent + 1] < s)) {
        break;
      }
      place(i, pt, k[2 * parent + 1], slotOf[parent]);
      i = parent;
    }
    place(i, t, s, slot);
  }

  /** Places (t, s, slot) from position {@code i} downwards in a heap of {@code n} entries. */
  private void siftDown(int i, long t, long s, int slot, int n) {
    long[] k = keys;
    while (true) {
      int first = 4 * i + 1;
      if (first >= n) {
        break;
      }
      int best = first;
      long bt = k[2 * first];
      long bs = k[2 * first + 1];
      int end = Math.min(first + 4, n);
      for (int c = first + 1; c < end; c++) {
        long ct = k[2 * c];
        if (ct < bt || (ct == bt && k[2 * c + 1] < bs)) {
          best = c;
          bt = ct;
          bs = k[2 * c + 1];
        }
      }
      if (t < bt || (t == bt && s < bs)) {
        break;
      }
      place(i, bt, bs, slotOf[best]);
      i = best;
    }
    place(i, t, s, slot);
  }

  /** Puts the entry (t, s, slot) at heap position {@code i} and records where its slot now is. */
  private void place(int i, long t, long s, int slot) {
    keys[2 * i] = t;
    keys[2 * i + 1] = s;
    slotOf[i] = slot;
    posOf[slot] = i;
  }
}
