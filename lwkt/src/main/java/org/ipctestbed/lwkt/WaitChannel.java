package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Fiber;

/**
 * The fibers sleeping on one object (a port, a serializer): the part of DragonFly's {@code
 * tsleep/wakeup} hash that the spin and serializer ports use. Fixed capacity, allocated once;
 * guarded by the lock of the object it belongs to. {@link #wakeAll} wakes every sleeper, as {@code
 * wakeup()} does; a sleeper re-checks its condition and may go back to sleep ("superfluous wakeups
 * may occur, which is ok").
 */
final class WaitChannel {
  private final Fiber[] sleepers;
  private int n;

  WaitChannel(int capacity) {
    sleepers = new Fiber[capacity];
  }

  /** Registers {@code f}; {@code false} (nothing changed) if the channel is full. */
  boolean add(Fiber f) {
    for (int i = 0; i < n; i++) {
      if (sleepers[i] == f) {
        return true;
      }
    }
    if (n == sleepers.length) {
      return false;
    }
    sleepers[n++] = f;
    return true;
  }

  IllegalStateException full(String what) {
    return new IllegalStateException("more than " + sleepers.length + " fibers sleep on " + what
        + " at once; give it a larger capacity");
  }

  void remove(Fiber f) {
    for (int i = 0; i < n; i++) {
      if (sleepers[i] == f) {
        sleepers[i] = sleepers[--n];
        sleepers[n] = null;
        return;
      }
    }
  }

  /** Wakes every sleeper and forgets them (each re-registers if it must sleep again). */
  int wakeAll() {
    int woken = n;
    for (int i = 0; i < n; i++) {
      sleepers[i].wake();
      sleepers[i] = null;
    }
    n = 0;
    return woken;
  }

  int size() {
    return n;
  }
}
