package org.ipctestbed.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;

/**
 * Whether the host was quiet while the benchmarks ran (issue 17: "the reference run is redone on a
 * quiet host ... recorded"). The load average after a run is the run's own (its forks keep a core
 * busy), so two other figures are recorded with it:
 *
 * <ul>
 *   <li>{@link #foreignCpuSeconds()}: the CPU time every process outside this JVM and its JMH forks
 *       used during the run: the host's busy time from {@code /proc/stat} less this process's own
 *       and its reaped children's ({@code /proc/self/stat}: utime, stime, cutime, cstime). Near 0 on
 *       a quiet host; seconds mean something else competed for the 2 cores.
 *   <li>{@link #settledLoad}: the 1-minute load average once the run's own load has decayed below
 *       the limit, or after the longest wait, with the seconds waited.
 * </ul>
 *
 * <p>Linux only: elsewhere the CPU figures are {@code NaN}.
 */
final class HostActivity {
  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Path SELF_STAT = Path.of("/proc/self/stat");

  /** USER_HZ, the unit of /proc's tick counts: 100 on every Linux the JDK runs on (the ABI's, not CONFIG_HZ). */
  private static final double TICKS_PER_SECOND = 100.0;

  private final double hostBusyStart;
  private final double selfStart;

  private HostActivity(double hostBusy, double self) {
    this.hostBusyStart = hostBusy;
    this.selfStart = self;
  }

  /** Starts counting now. */
  static HostActivity start() {
    return new HostActivity(hostBusySeconds(), selfAndChildrenSeconds());
  }

  /** CPU seconds that processes other than this one and its reaped children used since {@link #start()}. */
  double foreignCpuSeconds() {
    double host = hostBusySeconds() - hostBusyStart;
    double self = selfAndChildrenSeconds() - selfStart;
    return Math.max(0, host - self);
  }

  /** The load average when it fell to {@code limit} or below, and how long that took. */
  record Settled(double loadAverage, long waitedSeconds) {}

  /**
   * Waits (polling each second) until {@code load} reads {@code limit} or less, at most {@code
   * maxSeconds}; returns the last reading and the seconds waited.
   */
  static Settled settledLoad(DoubleSupplier load, double limit, long maxSeconds) {
    long waited = 0;
    double l = load.getAsDouble();
    while (l > limit && waited < maxSeconds) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      waited++;
      l = load.getAsDouble();
    }
    return new Settled(l, waited);
  }

  static double systemLoadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Busy CPU seconds of the whole host since boot: every {@code cpu} column but idle and iowait. */
  static double hostBusySeconds() {
    try {
      String first = Files.readAllLines(PROC_STAT).get(0);
      return busyOfCpuLine(first) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Busy ticks of {@code /proc/stat}'s aggregate {@code cpu} line (guest time is inside user). */
  static long busyOfCpuLine(String line) {
    String[] f = line.trim().split("\\s+");
    if (!f[0].equals("cpu")) {
      throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
    }
    long busy = 0;
    for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }

  /** This process's CPU seconds plus those of its children it has waited for (the JMH forks). */
  static double selfAndChildrenSeconds() {
    try {
      return selfAndChildrenTicks(Files.readString(SELF_STAT)) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** utime + stime + cutime + cstime of a {@code /proc/PID/stat} line (fields 14-17). */
  static long selfAndChildrenTicks(String stat) {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state): fields 14..17 are f[11]..f[14].
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }
}
