package org.ipctestbed.substrate.sched;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * DragonFly's own scheduling, as of its 2003-2007 era (research/lwkt.md sections 4 and 7,
 * "Scheduler"; {@code lwkt_thread.c} and {@code usched_bsd4.c}): a per-CPU LWKT scheduler with fixed
 * priorities, round robin among equals and no migration, and on top of it, for user processes, the
 * user-land scheduler {@code usched_bsd4} with its BSD decaying-usage priority ({@code estcpu}).
 *
 * <ul>
 *   <li><b>Kernel threads</b> ({@link Process#isKernel()}) run at LWKT priorities above every user
 *       thread, in the order of their priority class (1-7, lower wins), round robin among equals. A
 *       woken kernel thread of a better priority than the running one asks for a reschedule (soft
 *       preemption: DragonFly's {@code need_lwkt_resched}, taken at the next safe point).
 *   <li><b>User threads</b> share one LWKT level; among them the user priority decides: {@code
 *       (class - 1) * 16 + estcpu / ESTCPU_NS_PER_STEP} (0-127, lower wins), kept in 32 queues of 4
 *       priorities ({@code PPQ}), round robin within a queue. {@code estcpu} grows with the CPU time
 *       charged to the process on this CPU and decays exponentially with a time constant of {@link
 *       #DECAY_NS} (the BSD {@code schedcpu} decay, continuous instead of once a second). A woken user
 *       thread whose queue is better than the running user thread's asks for a reschedule ({@code
 *       need_user_resched}).
 *   <li>Quantum: the process's own; at its end the CPU goes to a queued thread of an equal or better
 *       priority.
 * </ul>
 *
 * <p>Differences: {@code estcpu} is kept per CPU (threads never migrate here, so a process's threads
 * on several CPUs each have their own estimate; {@code usched_bsd4} keeps one per process and moves
 * processes between CPUs, which the substrate does not do); usage is charged as it is accounted
 * (every scheduling point), not sampled at a statistics clock; nice values are the priority class.
 */
public final class DragonFlyPolicy implements SchedulerPolicy {
  /** CPU time that worsens a user priority by one step. */
  public static final long ESTCPU_NS_PER_STEP = 1_000_000L;

  /** Time constant of the decay of {@code estcpu}. */
  public static final long DECAY_NS = 1_000_000_000L;

  /** User priorities per queue ({@code PPQ} of {@code usched_bsd4}). */
  static final int PPQ = 4;

  /** User priority levels ({@code 0..MAXPRI-1}). */
  static final int MAXPRI = 128;

  @Override
  public String name() {
    return "dragonfly";
  }

  @Override
  public RunQueue newRunQueue(int cpu) {
    return new Queue();
  }

  private static final int KERNEL_LEVELS = Process.MAX_PRIORITY_CLASS + 1;
  private static final int USER_QUEUES = MAXPRI / PPQ;

  /** Decaying usage of one process on this CPU. */
  private static final class Usage {
    double estcpuNs;
    long at;
  }

  private static final class Queue implements RunQueue {
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Fiber>[] levels = new ArrayDeque[KERNEL_LEVELS + USER_QUEUES];
    /** Usage by pid. */
    private Usage[] usage = new Usage[16];
    private int size;
    private long now;
    /** Bit {@code l} set while level {@code l} is not empty: dispatch in O(1), not a scan. */
    private long nonEmpty;

    Queue() {
      for (int i = 0; i < levels.length; i++) {
        levels[i] = new ArrayDeque<>();
      }
    }

    private Usage usage(Process p) {
      int pid = p.pid();
      if (pid >= usage.length) {
        usage = Arrays.copyOf(usage, Math.max(pid + 1, usage.length * 2));
      }
      Usage u = usage[pid];
      if (u == null) {
        u = new Usage();
        u.at = now;
        usage[pid] = u;
      }
      return u;
    }

    private void decay(Usage u, long t) {
      if (t > u.at) {
        u.estcpuNs *= Math.exp(-(double) (t - u.at) / DECAY_NS);
        u.at = t;
      }
    }

    /** The run-queue level of {@code p} now: kernel levels first, then the user queues. */
    private int level(Process p) {
      if (p.isKernel()) {
        return p.priorityClass();
      }
      Usage u = usage(p);
      decay(u, now);
      long pri = (long) (p.priorityClass() - 1) * 16 + (long) (u.estcpuNs / ESTCPU_NS_PER_STEP);
      return KERNEL_LEVELS + (int) (Math.min(MAXPRI - 1, pri) / PPQ);
    }

    @Override
    public void enqueue(Fiber f) {
      int l = level(f.process());
      levels[l].addLast(f);
      nonEmpty |= 1L << l;
      size++;
    }

    @Override
    public Fiber poll() {
      if (nonEmpty == 0) {
        return null;
      }
      int l = Long.numberOfTrailingZeros(nonEmpty);
      ArrayDeque<Fiber> level = levels[l];
      Fiber f = level.pollFirst();
      if (level.isEmpty()) {
        nonEmpty &= ~(1L << l);
      }
      size--;
      return f;
    }

    @Override
    public boolean remove(Fiber f) {
      for (long m = nonEmpty; m != 0; m &= m - 1) {
        int l = Long.numberOfTrailingZeros(m);
        if (levels[l].remove(f)) {
          if (levels[l].isEmpty()) {
            nonEmpty &= ~(1L << l);
          }
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
      if (running != null && level(woken.process()) < level(running)) {
        return Preemption.SOFT;
      }
      return Preemption.NONE;
    }

    @Override
    public boolean hasCompetitor(Process running) {
      int mine = level(running);
      return (nonEmpty & (mine >= 63 ? -1L : (2L << mine) - 1)) != 0;
    }

    @Override
    public void charged(Process domain, long ns, long at) {
      now = Math.max(now, at);
      if (!domain.isKernel()) {
        Usage u = usage(domain);
        decay(u, now);
        u.estcpuNs += ns;
      }
    }

    @Override
    public long quantumNs(Process domain) {
      return domain.quantumNs();
    }
  }
}
