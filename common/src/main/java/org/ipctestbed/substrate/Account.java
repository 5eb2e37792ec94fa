package org.ipctestbed.substrate;

/**
 * The CPU time charged to one fiber's account, by CPU and by {@link Category}: K42's "dispatched
 * pair" reduced to one thread (research/k42.md section 3.2). A CPU charges the account it holds, not
 * the fiber it runs: during a hand-off that keeps the account, the server's time lands here, on the
 * caller.
 *
 * <p>Concurrency: CPU {@code c} writes only its own slots ({@code c × 2 + category}); readers see a
 * consistent total once the machine has stopped, and a close estimate while it runs. No slot is
 * shared between writers, so no atomic operation is needed on the charging path.
 */
public final class Account {
  private final Fiber owner;
  private final long[] ns;

  Account(Fiber owner, int cpus) {
    this.owner = owner;
    this.ns = new long[cpus * 2];
  }

  /** The fiber this account belongs to. */
  public Fiber owner() {
    return owner;
  }

  /** The process (resource domain) this account belongs to. */
  public Process process() {
    return owner.process();
  }

  void add(int cpu, Category category, long delta) {
    ns[cpu * 2 + (category == Category.USER ? 0 : 1)] += delta;
  }

  /** Nanoseconds charged here in {@code category} ({@link Category#USER} or {@link Category#MECHANISM}) on all CPUs. */
  public long ns(Category category) {
    if (category == Category.IDLE) {
      return 0;
    }
    int off = category == Category.USER ? 0 : 1;
    long sum = 0;
    for (int i = off; i < ns.length; i += 2) {
      sum += ns[i];
    }
    return sum;
  }

  /** Nanoseconds charged here on {@code cpu}, all categories. */
  public long nsOnCpu(int cpu) {
    return ns[cpu * 2] + ns[cpu * 2 + 1];
  }

  /** Nanoseconds charged here in all categories on all CPUs. */
  public long total() {
    return ns(Category.USER) + ns(Category.MECHANISM);
  }
}
