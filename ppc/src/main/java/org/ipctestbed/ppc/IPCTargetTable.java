package org.ipctestbed.ppc;

/**
 * One CPU's table of the dispatchers on that CPU, by (PID, RD) (research/k42.md 1.2 step 3.2; {@code
 * os/kernel/exception/IPCTargetTable.C}). {@link #lookupWild} resolves a wildcard CommID to the
 * target's dispatcher on this CPU; {@link #lookupExact} also checks the VP, as replies do.
 *
 * <p>Copy-on-write: dispatchers are added at set-up time (from any thread), and the hot-path lookup
 * reads an immutable open-addressing array through one volatile read, without allocation or locks.
 */
final class IPCTargetTable {
  private final java.util.concurrent.atomic.AtomicReference<Dispatcher[]> table =
      new java.util.concurrent.atomic.AtomicReference<>(new Dispatcher[16]);

  /** Adds {@code d} (set-up time only; lock-free copy-on-write). */
  void add(Dispatcher d) {
    Dispatcher[] old;
    Dispatcher[] s;
    do {
      old = table.get();
      s = copyWith(old, d);
    } while (!table.compareAndSet(old, s));
  }

  private static Dispatcher[] copyWith(Dispatcher[] old, Dispatcher d) {
    int n = 1;
    for (Dispatcher x : old) {
      if (x != null) {
        n++;
      }
    }
    int cap = old.length;
    while (cap < n * 2) {
      cap *= 2;
    }
    Dispatcher[] s = new Dispatcher[cap];
    for (Dispatcher x : old) {
      if (x != null) {
        insert(s, x);
      }
    }
    insert(s, d);
    return s;
  }

  private static void insert(Dispatcher[] s, Dispatcher d) {
    int i = index(CommID.domainKey(d.commId()), s.length);
    while (s[i] != null) {
      i = (i + 1) & (s.length - 1);
    }
    s[i] = d;
  }

  private static int index(long key, int len) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & (len - 1);
  }

  /** This CPU's dispatcher of the target's (PID, RD), whatever VP {@code commId} names, or null. */
  Dispatcher lookupWild(long commId) {
    long key = CommID.domainKey(commId);
    Dispatcher[] s = table.get();
    int i = index(key, s.length);
    Dispatcher d;
    while ((d = s[i]) != null) {
      if (CommID.domainKey(d.commId()) == key) {
        return d;
      }
      i = (i + 1) & (s.length - 1);
    }
    return null;
  }

  /** Every dispatcher on this CPU (a snapshot; unused slots are null). */
  Dispatcher[] snapshot() {
    return table.get();
  }

  /** This CPU's dispatcher with exactly {@code commId} (VP included), or null. */
  Dispatcher lookupExact(long commId) {
    Dispatcher d = lookupWild(commId);
    return d != null && d.commId() == commId ? d : null;
  }
}
