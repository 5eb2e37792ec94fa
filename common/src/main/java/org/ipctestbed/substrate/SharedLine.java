package org.ipctestbed.substrate;

/**
 * A cache line that fibers on several CPUs write: a mailbox slot, a queue's head, a port's lock word,
 * a server object's counter (issue 12, "Shared-state contention"; DESIGN.md: "a cache line last
 * written by another CPU is transferred"). Mechanisms call {@link #write} where their original
 * design really shares state, so that the simulated engine charges what a multiprocessor charges.
 *
 * <p>Model (simulated engine), after the MESI protocol's observable cost: a write by the CPU that
 * wrote the line last is free (the line is in its cache, Modified); a write by another CPU moves the
 * line, one {@link Cost#CACHE_LINE_TRANSFER} (17-51 ns within a die, research/anchors.md 0.6). A line
 * moves to one CPU at a time: a CPU that wants it while it is still in flight to another waits until
 * it has arrived (tallied as {@link Cost#CONTENTION_WAIT}), so CPUs hammering one line serialise on
 * it, which is why Tornado and K42 replicate per-CPU what many CPUs update (research/k42.md 1.7:
 * "one dispatcher per CPU"). A {@link #read} by a CPU that holds no copy of the current contents
 * pays a transfer too, but does not take the line away from its writer. The first touch is free (the
 * line comes from memory, which the cost model does not price).
 *
 * <p>Real engine: nothing is charged or changed: the Java objects are really shared and the hardware
 * really moves their lines.
 *
 * <p>Single-threaded by construction in the simulated engine (one driver); allocates nothing after
 * the first {@link #read}.
 */
public final class SharedLine {
  private final String name;
  private int owner = -1;
  private long busyUntil;
  private long version;
  private long[] seen;
  private long transfers;
  private long waitNs;
  private boolean registered;

  /** @param name what the line holds, for reports */
  public SharedLine(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The CPU that wrote the line last, or -1 if none has (simulated engine). */
  public int owner() {
    return owner;
  }

  /** {@code self} writes the line (a store or an atomic read-modify-write). */
  public void write(Fiber self) {
    if (!self.machine().isSimulated()) {
      return;
    }
    int cpu = self.cpu().index();
    version++;
    int prev = owner;
    owner = cpu;
    if (prev == cpu || prev < 0) {
      return;
    }
    long now = self.now();
    long start = Math.max(now, busyUntil);
    long transfer = self.machine().drawCost(Cost.CACHE_LINE_TRANSFER, 1);
    busyUntil = start + transfer;
    account(self.machine(), start - now, true);
    self.spendContended(start - now, Cost.CACHE_LINE_TRANSFER, 1, transfer);
  }

  /** {@code self} reads the line. */
  public void read(Fiber self) {
    if (!self.machine().isSimulated()) {
      return;
    }
    int cpu = self.cpu().index();
    if (owner == cpu || owner < 0) {
      return;
    }
    if (seen == null) {
      seen = new long[self.machine().cpuCount()];
    }
    if (seen[cpu] == version + 1) {
      return; // holds a copy of the current contents (Shared)
    }
    seen[cpu] = version + 1;
    long now = self.now();
    long start = Math.max(now, busyUntil);
    long transfer = self.machine().drawCost(Cost.CACHE_LINE_TRANSFER, 1);
    account(self.machine(), start - now, true);
    self.spendContended(start - now, Cost.CACHE_LINE_TRANSFER, 1, transfer);
  }

  /**
   * Tallies one use of this contention point that moved the line ({@code moved}) or waited ({@code
   * wait} ns): the first such use makes it one of the machine's {@link Machine#contentionPoints()}.
   */
  void account(Machine m, long wait, boolean moved) {
    if (moved) {
      transfers++;
    }
    waitNs += wait;
    if (!registered && (moved || wait > 0)) {
      registered = true;
      m.registerContentionPoint(this);
    }
  }

  /** How many times the line moved between CPUs (simulated engine), each one {@link Cost#CACHE_LINE_TRANSFER}. */
  public long transfers() {
    return transfers;
  }

  /**
   * Virtual time CPUs spent waiting for this line while it was in flight to another CPU, or for the
   * lock it is the word of ({@link ContendedLock}): its share of {@link Cost#CONTENTION_WAIT}.
   */
  public long waitNs() {
    return waitNs;
  }

  /**
   * For {@link ContendedLock}: takes the line for {@code cpu} at {@code now} and returns the transfer
   * it costs (0 if it was there), without charging it; the line is busy until then.
   */
  long take(Machine m, int cpu, long at) {
    version++;
    int prev = owner;
    owner = cpu;
    if (prev == cpu || prev < 0) {
      return 0;
    }
    long transfer = m.drawCost(Cost.CACHE_LINE_TRANSFER, 1);
    busyUntil = Math.max(busyUntil, at) + transfer;
    return transfer;
  }

  @Override
  public String toString() {
    return "SharedLine[" + name + ", last written by CPU " + owner + "]";
  }
}
