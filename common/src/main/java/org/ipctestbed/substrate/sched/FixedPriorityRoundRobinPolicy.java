package org.ipctestbed.substrate.sched;

import java.util.ArrayDeque;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * DragonFly's LWKT scheduler, per CPU (research/lwkt.md section 4): fixed priority, round-robin
 * among equals, no migration. A woken fiber of a higher priority preempts the running one softly
 * (DragonFly raises {@code need_lwkt_resched} and switches at the next safe point, deferred by
 * critical sections); quantum expiry rotates among equals.
 *
 * <p>Mapping: the process's priority class (1–7, lower wins) stands for the thread priority; weight
 * is ignored. DragonFly's 32 levels with higher-wins are folded onto the substrate's one notion of
 * priority so that the policy can be swapped without changing a workload.
 */
public final class FixedPriorityRoundRobinPolicy implements SchedulerPolicy {
  @Override
  public String name() {
    return "fixed-priority-rr";
  }

  @Override
  public RunQueue newRunQueue(int cpu) {
    return new Queue();
  }

  private static final class Queue implements RunQueue {
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Fiber>[] levels = new ArrayDeque[org.ipctestbed.substrate.Process.MAX_PRIORITY_CLASS + 1];
    private int size;
    /** Bit {@code c} set while level {@code c} is not empty: dispatch in O(1), not a scan. */
    private int nonEmpty;

    Queue() {
      for (int i = 0; i < levels.length; i++) {
        levels[i] = new ArrayDeque<>();
      }
    }

    @Override
    public void enqueue(Fiber f) {
      int c = f.process().priorityClass();
      levels[c].addLast(f);
      nonEmpty |= 1 << c;
      size++;
    }

    @Override
    public Fiber poll() {
      if (nonEmpty == 0) {
        return null;
      }
      int c = Integer.numberOfTrailingZeros(nonEmpty);
      ArrayDeque<Fiber> level = levels[c];
      Fiber f = level.pollFirst();
      if (level.isEmpty()) {
        nonEmpty &= ~(1 << c);
      }
      size--;
      return f;
    }

    @Override
    public boolean remove(Fiber f) {
      int c = f.process().priorityClass();
      if (levels[c].remove(f)) {
        if (levels[c].isEmpty()) {
          nonEmpty &= ~(1 << c);
        }
        size--;
        return true;
      }
      return false;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Preemption onWake(Fiber woken, Process running) {
      if (running != null && woken.process().priorityClass() < running.priorityClass()) {
        return Preemption.SOFT;
      }
      return Preemption.NONE;
    }

    @Override
    public boolean hasCompetitor(Process running) {
      return (nonEmpty & ((2 << running.priorityClass()) - 1)) != 0;
    }

    @Override
    public void charged(Process domain, long ns, long now) {
      // Fixed priorities do not depend on usage.
    }

    @Override
    public long quantumNs(Process domain) {
      return domain.quantumNs();
    }
  }
}
