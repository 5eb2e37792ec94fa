package org.ipctestbed.substrate.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * K42's kernel scheduler, per CPU (research/k42.md section 4.2): strict priority classes (lower
 * number wins), proportional share within a class.
 *
 * <p>Each process is a resource domain. A domain's history grows by {@code ns × drag} whenever CPU
 * time is charged to it, with {@code drag = 4096 / weight} (weight 1–4096); the runnable domain
 * with the lowest (class, history) runs next, and its runnable fibers form a round-robin ring
 * without fairness among them (k42.md 3.3 item 5). Every 80 ms (2 × the 40 ms maximum quantum) an
 * "inflation" step halves every history, so that idle domains do not bank credit. Time charged to a
 * borrowed domain during a PPC hand-off goes to that (caller's) domain, which is what makes a
 * caller pay for its server.
 *
 * <p>Preemption (k42.md 4.4): a woken fiber of a strictly higher class preempts hard; one of the same
 * class with a smaller history preempts softly; quantum expiry preempts softly when a domain of the
 * same or a higher class is runnable.
 *
 * <p>Differences from K42: histories are plain {@code long}s rather than (exponent, mantissa) pairs,
 * and the increment is computed as {@code ns × 4096 / weight} (multiply first), so that a weight that
 * does not divide 4096 gets its exact share (K42's integer drag makes weights 2049–4096 all equal);
 * a domain first seen on a CPU starts at the smallest history present there instead of zero (K42
 * relies on inflation alone); there is no 16-domain heap limit.
 */
public final class ProportionalSharePolicy implements SchedulerPolicy {
  /** Inflation period: 2 × the maximum quantum of 40 ms. */
  public static final long INFLATION_PERIOD_NS = 80_000_000L;

  @Override
  public String name() {
    return "proportional-share";
  }

  @Override
  public RunQueue newRunQueue(int cpu) {
    return new Queue();
  }


  private static final class Domain {
    final Process process;
    final ArrayDeque<Fiber> ring = new ArrayDeque<>();
    long history;
    /** Position in the queue's heap of runnable domains, or -1 while its ring is empty. */
    int heapIndex = -1;

    Domain(Process process) {
      this.process = process;
    }
  }

  /**
   * The per-CPU queue. Dispatch is O(log d) in the runnable domains, not a scan of every domain
   * seen (issue 17): the runnable ones (non-empty ring) sit in a binary min-heap on (class, history,
   * pid), a total order, so the domain chosen is the one the scan chose; a domain is found by pid in
   * an array.
   */
  private static final class Queue implements RunQueue {
    /** Domains seen on this CPU, in order of first appearance (deterministic iteration). */
    private final List<Domain> domains = new ArrayList<>();
    /** Domains by pid. */
    private Domain[] byPid = new Domain[16];
    /** Runnable domains, a binary min-heap ordered by {@link #before}. */
    private Domain[] heap = new Domain[16];
    private int heapSize;
    private int size;
    private long lastInflation;

    private Domain domain(Process p) {
      int pid = p.pid();
      if (pid < byPid.length) {
        Domain d = byPid[pid];
        if (d != null) {
          return d;
        }
      } else {
        byPid = Arrays.copyOf(byPid, Math.max(pid + 1, byPid.length * 2));
      }
      Domain d = new Domain(p);
      long min = Long.MAX_VALUE;
      for (Domain o : domains) {
        if (!o.ring.isEmpty()) {
          min = Math.min(min, o.history);
        }
      }
      d.history = min == Long.MAX_VALUE ? 0 : min;
      domains.add(d);
      byPid[pid] = d;
      return d;
    }

    @Override
    public void enqueue(Fiber f) {
      Domain d = domain(f.process());
      d.ring.addLast(f);
      if (d.heapIndex < 0) {
        heapInsert(d);
      }
      size++;
    }

    private static boolean before(Domain a, Domain b) {
      int ca = a.process.priorityClass();
      int cb = b.process.priorityClass();
      if (ca != cb) {
        return ca < cb;
      }
      if (a.history != b.history) {
        return a.history < b.history;
      }
      return a.process.pid() < b.process.pid();
    }

    @Override
    public Fiber poll() {
      if (heapSize == 0) {
        return null;
      }
      Domain d = heap[0];
      size--;
      Fiber f = d.ring.pollFirst();
      if (d.ring.isEmpty()) {
        heapRemove(d);
      }
      return f;
    }

    @Override
    public boolean remove(Fiber f) {
      int pid = f.process().pid();
      Domain d = pid < byPid.length ? byPid[pid] : null;
      if (d != null && d.ring.remove(f)) {
        size--;
        if (d.ring.isEmpty()) {
          heapRemove(d);
        }
        return true;
      }
      return false;
    }

    @Override
    public int size() {
      return size;
    }

    // ---------------------------------------------------------------- heap of runnable domains

    private void heapInsert(Domain d) {
      if (heapSize == heap.length) {
        heap = Arrays.copyOf(heap, heapSize * 2);
      }
      siftUp(heapSize++, d);
    }

    private void heapRemove(Domain d) {
      int i = d.heapIndex;
      d.heapIndex = -1;
      Domain last = heap[--heapSize];
      heap[heapSize] = null;
      if (last != d) {
        if (i > 0 && before(last, heap[(i - 1) >>> 1])) {
          siftUp(i, last);
        } else {
          siftDown(i, last);
        }
      }
    }

    private void siftUp(int i, Domain d) {
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        Domain p = heap[parent];
        if (!before(d, p)) {
          break;
        }
        heap[i] = p;
        p.heapIndex = i;
        i = parent;
      }
      heap[i] = d;
      d.heapIndex = i;
    }

    private void siftDown(int i, Domain d) {
      while (true) {
        int child = 2 * i + 1;
        if (child >= heapSize) {
          break;
        }
        Domain c = heap[child];
        if (child + 1 < heapSize && before(heap[child + 1], c)) {
          child++;
          c = heap[child];
        }
        if (!before(c, d)) {
          break;
        }
        heap[i] = c;
        c.heapIndex = i;
        i = child;
      }
      heap[i] = d;
      d.heapIndex = i;
    }

    @Override
    public Preemption onWake(Fiber woken, Process running) {
      if (running == null) {
        return Preemption.NONE;
      }
      int cw = woken.process().priorityClass();
      int cr = running.priorityClass();
      if (cw < cr) {
        return Preemption.HARD;
      }
      if (cw == cr && woken.process() != running && domain(woken.process()).history < domain(running).history) {
        return Preemption.SOFT;
      }
      return Preemption.NONE;
    }

    /** The heap's top has the best class of all runnable domains. */
    @Override
    public boolean hasCompetitor(Process running) {
      return heapSize > 0 && heap[0].process.priorityClass() <= running.priorityClass();
    }

    @Override
    public void charged(Process p, long ns, long now) {
      if (now - lastInflation >= INFLATION_PERIOD_NS) {
        long periods = (now - lastInflation) / INFLATION_PERIOD_NS;
        for (Domain d : domains) {
          d.history = periods >= 63 ? 0 : d.history >> periods;
        }
        lastInflation += periods * INFLATION_PERIOD_NS;
        // Halving keeps the order of histories but can make two equal, and then the pid decides.
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
          siftDown(i, heap[i]);
        }
      }
      Domain d = domain(p);
      d.history += ns * 4096 / p.weight();
      if (d.heapIndex >= 0) {
        siftDown(d.heapIndex, d); // a larger history only moves it down
      }
    }

    @Override
    public long quantumNs(Process p) {
      return p.quantumNs();
    }
  }
}
