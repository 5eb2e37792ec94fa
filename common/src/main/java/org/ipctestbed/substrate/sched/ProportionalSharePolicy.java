package org.ipctestbed.substrate.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
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

    Domain(Process process) {
      this.process = process;
    }
  }

  private static final class Queue implements RunQueue {
    /** Domains seen on this CPU, in order of first appearance (deterministic iteration). */
    private final List<Domain> domains = new ArrayList<>();
    private int size;
    private long lastInflation;

    private Domain domain(Process p) {
      for (int i = 0; i < domains.size(); i++) {
        Domain d = domains.get(i);
        if (d.process == p) {
          return d;
        }
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
      return d;
    }

    @Override
    public void enqueue(Fiber f) {
      domain(f.process()).ring.addLast(f);
      size++;
    }

    private Domain best() {
      Domain best = null;
      for (int i = 0; i < domains.size(); i++) {
        Domain d = domains.get(i);
        if (d.ring.isEmpty()) {
          continue;
        }
        if (best == null || before(d, best)) {
          best = d;
        }
      }
      return best;
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
      Domain d = best();
      if (d == null) {
        return null;
      }
      size--;
      return d.ring.pollFirst();
    }

    @Override
    public boolean remove(Fiber f) {
      for (Domain d : domains) {
        if (d.process == f.process() && d.ring.remove(f)) {
          size--;
          return true;
        }
      }
      return false;
    }

    @Override
    public int size() {
      return size;
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

    @Override
    public boolean hasCompetitor(Process running) {
      for (int i = 0; i < domains.size(); i++) {
        Domain d = domains.get(i);
        if (!d.ring.isEmpty() && d.process.priorityClass() <= running.priorityClass()) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void charged(Process p, long ns, long now) {
      if (now - lastInflation >= INFLATION_PERIOD_NS) {
        long periods = (now - lastInflation) / INFLATION_PERIOD_NS;
        for (Domain d : domains) {
          d.history = periods >= 63 ? 0 : d.history >> periods;
        }
        lastInflation += periods * INFLATION_PERIOD_NS;
      }
      domain(p).history += ns * 4096 / p.weight();
    }

    @Override
    public long quantumNs(Process p) {
      return p.quantumNs();
    }
  }
}
