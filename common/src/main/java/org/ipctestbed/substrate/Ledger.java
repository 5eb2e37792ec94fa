package org.ipctestbed.substrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Who was charged for the machine's CPU time, and for what (DESIGN.md, "Accounting (the ledger)";
 * research/k42.md section 3).
 *
 * <p>At every scheduling point a CPU charges the time elapsed since the previous one to the {@link
 * Account} it holds, in the category it is in, or to its idle time when it holds none. Hence the
 * identity {@code sum of all accounts + idle = CPUs × elapsed}, exact in both engines because every
 * nanosecond of every CPU's timeline between start and stop is charged exactly once (in the real
 * engine, {@code elapsed} is the wall time from start to stop as the machine measured it).
 *
 * <p>Every named {@link Cost} charged is also tallied: how often and, in the simulated engine, how
 * many nanoseconds.
 *
 * <p>Reads are exact once {@link Machine#run()} has returned; during a run they are estimates.
 */
public final class Ledger {
  private final Machine machine;

  Ledger(Machine machine) {
    this.machine = machine;
  }

  /** Elapsed time of the last run: virtual (sim) or wall (real) nanoseconds. */
  public long elapsedNs() {
    return machine.elapsedNs();
  }

  /** Number of CPUs. */
  public int cpus() {
    return machine.cpuCount();
  }

  /** Idle nanoseconds of CPU {@code cpu}. */
  public long idleNs(int cpu) {
    return machine.cpu(cpu).idleNs;
  }

  /** IPI interrupts raised, one per batch of requests (research/lwkt.md section 7; {@link IpiQueues}). */
  public long ipiInterruptsSent() {
    return machine.ipiQueues().interruptsSent();
  }

  /** IPI requests run by their target CPUs. */
  public long ipiRequests() {
    return machine.ipiQueues().requestsRun();
  }

  /** Times a sender found an IPI FIFO more than half full and waited. */
  public long ipiSenderStalls() {
    return machine.ipiQueues().senderStalls();
  }

  /** Idle nanoseconds summed over CPUs. */
  public long idleNs() {
    long s = 0;
    for (int i = 0; i < machine.cpuCount(); i++) {
      s += idleNs(i);
    }
    return s;
  }

  /** Nanoseconds charged to {@code fiber}'s account in {@code category}. */
  public long fiberNs(Fiber fiber, Category category) {
    return fiber.account().ns(category);
  }

  /** Nanoseconds charged to {@code fiber}'s account, all categories. */
  public long fiberNs(Fiber fiber) {
    return fiber.account().total();
  }

  /** Nanoseconds charged to the accounts of {@code process}'s fibers in {@code category}. */
  public long processNs(Process process, Category category) {
    long s = 0;
    for (Fiber f : process.fibers()) {
      s += f.account().ns(category);
    }
    return s;
  }

  /** Nanoseconds charged to the accounts of {@code process}'s fibers, all categories. */
  public long processNs(Process process) {
    return processNs(process, Category.USER) + processNs(process, Category.MECHANISM);
  }

  /** Sum over every account of every process, all categories. */
  public long chargedNs() {
    long s = 0;
    for (Process p : machine.processes()) {
      s += processNs(p);
    }
    return s;
  }

  /** How many units of {@code cost} were charged (occurrences, or bytes/lines for per-unit costs), over all CPUs. */
  public long costCount(Cost cost) {
    long s = 0;
    for (int i = 0; i < machine.cpuCount(); i++) {
      s += machine.cpu(i).costCount[cost.ordinal()];
    }
    return s;
  }

  /** Nanoseconds of virtual time {@code cost} accounted for (0 in the real engine: not modelled). */
  public long costNs(Cost cost) {
    long s = 0;
    for (int i = 0; i < machine.cpuCount(); i++) {
      s += machine.cpu(i).costNs[cost.ordinal()];
    }
    return s;
  }

  /**
   * What has been charged so far, per process and idle, with the time not yet flushed on each CPU
   * added to the account (and category) that CPU holds, as its next scheduling point will add it.
   * Call it from fiber code during a run (see {@link LedgerSnapshot} for how exact it is); it changes
   * nothing, so a simulated run stays bit for bit the same.
   */
  public LedgerSnapshot snapshot() {
    Cpu here = Cpu.current();
    Engine engine = machine.engine();
    long now = engine.now(here != null ? here : machine.cpu(0));
    java.util.Map<Process, long[]> by = new java.util.IdentityHashMap<>();
    for (Process p : machine.processes()) {
      by.put(p, new long[] {processNs(p, Category.USER), processNs(p, Category.MECHANISM)});
    }
    long idle = 0;
    for (int i = 0; i < machine.cpuCount(); i++) {
      Cpu c = machine.cpu(i);
      idle += c.idleNs;
      long pending = Math.max(0, now - c.lastFlush);
      Account a = c.account;
      if (a == null) {
        idle += pending;
      } else {
        long[] v = by.computeIfAbsent(a.process(), k -> new long[2]);
        v[c.category == Category.USER ? 0 : 1] += pending;
      }
    }
    return new LedgerSnapshot(now - engine.startedAt, by, idle);
  }

  /**
   * {@code chargedNs() + idleNs() - cpus() × elapsedNs()}: zero when every nanosecond is accounted
   * for exactly once.
   */
  public long identityError() {
    return chargedNs() + idleNs() - (long) cpus() * elapsedNs();
  }

  /** One line per process with its user, mechanism and total time, then idle: for logs and the CLI. */
  public List<String> summaryLines() {
    List<String> out = new ArrayList<>();
    for (Process p : machine.processes()) {
      out.add(
          String.format(
              "%-16s pid %-3d class %d weight %-4d user %,14d ns  mechanism %,12d ns",
              p.name(),
              p.pid(),
              p.priorityClass(),
              p.weight(),
              processNs(p, Category.USER),
              processNs(p, Category.MECHANISM)));
    }
    out.add(String.format("%-16s %36s %,14d ns", "idle", "", idleNs()));
    out.add(
        String.format(
            "identity: accounts + idle = %,d ns; CPUs x elapsed = %d x %,d = %,d ns (error %d ns)",
            chargedNs() + idleNs(), cpus(), elapsedNs(), (long) cpus() * elapsedNs(), identityError()));
    return out;
  }
}
