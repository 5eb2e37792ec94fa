package org.ipctestbed.substrate;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import org.ipctestbed.substrate.sched.Preemption;
import org.ipctestbed.substrate.sched.RunQueue;

/**
 * One CPU's run queue with K42's two levels (research/k42.md 4.1, 4.3): the policy's queue (the
 * kernel's, {@code DispatchQueue}) holds <em>dispatchers</em> for processes that have a {@link
 * UserLevelScheduler}, and threads as before for those that have none (LWKT, the direct-call
 * baseline: one level, unchanged).
 *
 * <p>A two-level process has one dispatcher per CPU, its {@link Dispatch}: the FIFO of its ready
 * fibers on this CPU (the user-level ready queue that K42's default library anchors in {@code
 * hasWork}) and, while that queue is not empty, exactly one entry in the policy's queue standing for
 * the dispatcher. The policy therefore chooses among dispatchers (per resource domain, as before);
 * when it picks one, the dispatcher picks its thread: the one the kernel hard-preempted, if any (the
 * kernel restores the context it saved, k42.md 4.4), otherwise the head of its ready queue. A
 * user-level switch ({@link #takeUserLevel}) takes a thread from the same queue with no kernel
 * decision. The entry stands for the dispatcher, not for the fiber it was made with: it keeps its
 * place in the policy's queue while the dispatcher's threads come and go, and is withdrawn only when
 * the ready queue empties ({@code hasWork} goes to 0).
 *
 * <p>Differences from K42: a dispatcher that runs keeps an entry in the policy's queue while it has
 * other ready threads (K42 takes the running dispatcher off it), so that a quantum expiry still sees
 * its own threads as competitors and warns it, as the one-level model did; a policy that keeps
 * per-thread state (usched_bsd4's estimated CPU) sees the fiber the entry was made with.
 *
 * <p>Calling conventions: those of {@link RunQueue} (this CPU only, no allocation once every
 * process has been seen on this CPU).
 */
final class DispatcherRunQueue implements RunQueue {
  /** A dispatcher of one two-level process on this CPU, as the kernel sees it. */
  static final class Dispatch {
    final ArrayDeque<Fiber> ready = new ArrayDeque<>();
    /** The policy-queue entry standing for this dispatcher, or null when it has no work. */
    Fiber entry;
  }

  private final RunQueue kernel;
  private final IdentityHashMap<Process, Dispatch> dispatchers = new IdentityHashMap<>();
  private int size;

  DispatcherRunQueue(RunQueue kernel) {
    this.kernel = kernel;
  }

  /** The dispatcher of {@code p} on this CPU, or null for a one-level process. */
  private Dispatch dispatch(Process p) {
    if (p.userLevelScheduler() == null) {
      return null;
    }
    Dispatch d = dispatchers.get(p);
    if (d == null) {
      d = new Dispatch();
      dispatchers.put(p, d);
    }
    return d;
  }

  /** K42's {@code hasWork} of {@code p}'s dispatcher on this CPU: it has a ready thread. O(1). */
  boolean hasWork(Process p) {
    Dispatch d = p.userLevelScheduler() == null ? null : dispatchers.get(p);
    return d != null && !d.ready.isEmpty();
  }

  @Override
  public void enqueue(Fiber f) {
    size++;
    Dispatch d = dispatch(f.process());
    if (d == null) {
      kernel.enqueue(f);
      return;
    }
    d.ready.addLast(f);
    if (d.entry == null) {
      d.entry = f; // hasWork 0 -> 1: the dispatcher becomes runnable
      kernel.enqueue(f);
    }
  }

  @Override
  public Fiber poll() {
    Fiber e = kernel.poll();
    if (e == null) {
      return null;
    }
    size--;
    Dispatch d = dispatch(e.process());
    if (d == null || d.entry != e) {
      return e; // a one-level fiber (or one queued before its process became two-level)
    }
    d.entry = null;
    Fiber pick = take(d, null, true); // the kernel resumes the context it saved
    if (pick == null) {
      pick = d.ready.pollFirst();
    }
    if (!d.ready.isEmpty()) {
      d.entry = d.ready.peekFirst(); // still has work: back in the policy's queue, at its tail
      kernel.enqueue(d.entry);
    }
    return pick;
  }

  /**
   * Removes and returns the first fiber of {@code d}'s ready queue other than {@code from} that is
   * hard-preempted ({@code hard}) or is neither hard-preempted nor killed, keeping the others in
   * order; null if there is none. O(ready), no allocation (no iterator).
   */
  private static Fiber take(Dispatch d, Fiber from, boolean hard) {
    Fiber head = d.ready.peekFirst();
    if (head != null && head != from && (hard ? head.hardPreempted : !head.hardPreempted && !head.killed)) {
      return d.ready.pollFirst();
    }
    Fiber pick = null;
    for (int i = d.ready.size(); i > 0; i--) {
      Fiber f = d.ready.pollFirst();
      if (pick == null && f != from && (hard ? f.hardPreempted : !f.hardPreempted && !f.killed)) {
        pick = f;
      } else {
        d.ready.addLast(f);
      }
    }
    return pick;
  }

  @Override
  public boolean remove(Fiber f) {
    Dispatch d = dispatch(f.process());
    if (d != null && f == d.entry && !d.ready.contains(f)) {
      return false; // the entry stands for the dispatcher; this fiber itself is not ready
    }
    if (d == null || !d.ready.remove(f)) {
      if (kernel.remove(f)) {
        size--;
        return true;
      }
      return false;
    }
    size--;
    withdrawIfIdle(d);
    return true;
  }

  /** hasWork 1 -> 0: the dispatcher's entry leaves the policy's queue once its ready FIFO is empty. */
  private void withdrawIfIdle(Dispatch d) {
    if (d.ready.isEmpty() && d.entry != null) {
      kernel.remove(d.entry);
      d.entry = null;
    }
  }

  /**
   * A user-level switch of {@code p}'s dispatcher on this CPU: takes its first ready thread other
   * than {@code from} that the kernel has not hard-preempted, or returns null. No policy decision.
   */
  Fiber takeUserLevel(Process p, Fiber from) {
    Dispatch d = p.userLevelScheduler() == null ? null : dispatchers.get(p);
    if (d == null) {
      return null;
    }
    Fiber f = take(d, from, false);
    if (f != null) {
      size--;
      withdrawIfIdle(d);
    }
    return f;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Preemption onWake(Fiber woken, Process runningDomain) {
    return kernel.onWake(woken, runningDomain);
  }

  @Override
  public boolean hasCompetitor(Process runningDomain) {
    return kernel.hasCompetitor(runningDomain);
  }

  @Override
  public void charged(Process domain, long ns, long now) {
    kernel.charged(domain, ns, now);
  }

  @Override
  public long quantumNs(Process domain) {
    return kernel.quantumNs(domain);
  }
}
