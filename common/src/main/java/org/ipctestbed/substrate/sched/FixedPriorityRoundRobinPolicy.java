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

    Queue() {
      for (int i = 0; i < levels.length; i++) {
        levels[i] = new ArrayDeque<>();
      }
    }

    @Override
    public void enqueue(Fiber f) {
      levels[f.process().priorityClass()].addLast(f);
      size++;
    }

    @Override
    public Fiber poll() {
      for (ArrayDeque<Fiber> level : levels) {
        Fiber f = level.pollFirst();
        if (f != null) {
          size--;
          return f;
        }
      }
      return null;
    }

    @Override
    public boolean remove(Fiber f) {
      if (levels[f.process().priorityClass()].remove(f)) {
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
      for (int c = 0; c <= running.priorityClass(); c++) {
        if (!levels[c].isEmpty()) {
          return true;
        }
      }
      return false;
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
