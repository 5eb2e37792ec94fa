package org.ipctestbed.experiments.harness;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows what a long run is doing: experiment, point, mechanism, repetition and an ETA (issue 6,
 * "Progress"). On a terminal it rewrites one status line in place; otherwise (a pipe, a CI log) it
 * prints one plain line per finished repetition. Progress goes to standard error, so that standard
 * output stays clean for tables.
 */
public final class Progress implements Harness.Listener {
  private final PrintStream out;
  private final boolean terminal;
  private final boolean quiet;
  private long startNanos;
  private int lastWidth;
  private long lastPrint;
  private String lastMechanism = "";

  /**
   * @param out where to write (standard error in the CLI)
   * @param terminal rewrite one line in place (a TTY) rather than printing lines
   * @param quiet print nothing
   */
  public Progress(PrintStream out, boolean terminal, boolean quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /** Whether standard output is an interactive terminal (JDK 22+ can tell; JDK 21 guesses from the console). */
  public static boolean stdoutIsTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public synchronized void started(ExperimentSpec spec, int totalReps) {
    startNanos = System.nanoTime();
    if (!quiet) {
      out.printf(java.util.Locale.ROOT, "testbed: %s: %d repetitions (%s; %s; cost model %s) -> %s%n",
          spec.workload(), totalReps, String.join(",", spec.mechanisms()), String.join(",", spec.engines()),
          spec.costModel(), spec.out());
    }
  }

  @Override
  public synchronized void repFinished(ExperimentSpec spec, Point point, String mechanism, int rep, boolean warmup, int done, int total) {
    if (quiet) {
      return;
    }
    long elapsed = System.nanoTime() - startNanos;
    long eta = done == 0 ? 0 : elapsed / done * (total - done);
    String line = String.format(java.util.Locale.ROOT, "[%d/%d] %s%s | %s %s %d/%d | %s elapsed | ETA %s",
        done, total, spec.workload(), point.label().isEmpty() ? "" : " " + point.label(), mechanism,
        warmup ? "warm-up" : "rep", rep + 1, warmup ? spec.warmupsFor(point.engine()) : spec.reps(),
        clock(elapsed), clock(eta));
    if (terminal) {
      String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
      out.print("\r" + padded);
      lastWidth = line.length();
      if (done == total) {
        out.println();
        lastWidth = 0;
      }
    } else {
      // Plain mode: a line at most every 2 s, at each new mechanism or point, and at the end.
      long now = System.nanoTime();
      String where = point.label() + "|" + mechanism;
      if (now - lastPrint >= 2_000_000_000L || !where.equals(lastMechanism) || done == total) {
        out.println("testbed: " + line);
        lastPrint = now;
        lastMechanism = where;
      }
    }
    out.flush();
  }

  /** On a terminal, says which repetition is running now (a long one would otherwise look stuck). */
  @Override
  public synchronized void repStarting(ExperimentSpec spec, Point point, String mechanism, int rep, boolean warmup, int done, int total) {
    if (quiet || !terminal) {
      return;
    }
    String line = String.format(java.util.Locale.ROOT, "[%d/%d] %s%s | %s %s %d/%d running | %s elapsed",
        done + 1, total, spec.workload(), point.label().isEmpty() ? "" : " " + point.label(), mechanism,
        warmup ? "warm-up" : "rep", rep + 1, warmup ? spec.warmupsFor(point.engine()) : spec.reps(),
        clock(System.nanoTime() - startNanos));
    out.print("\r" + (line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line));
    lastWidth = line.length();
    out.flush();
  }

  /** A repetition that runs long: say so (in plain mode, a line per heartbeat), so the run does not look stuck. */
  @Override
  public synchronized void repRunning(ExperimentSpec spec, Point point, String mechanism, int rep, boolean warmup, int done,
      int total, long runningNs) {
    if (quiet) {
      return;
    }
    String line = String.format(java.util.Locale.ROOT, "[%d/%d] %s%s | %s %s %d/%d running for %s | %s elapsed",
        done + 1, total, spec.workload(), point.label().isEmpty() ? "" : " " + point.label(), mechanism,
        warmup ? "warm-up" : "rep", rep + 1, warmup ? spec.warmupsFor(point.engine()) : spec.reps(),
        clock(runningNs), clock(System.nanoTime() - startNanos));
    if (terminal) {
      out.print("\r" + (line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line));
      lastWidth = line.length();
    } else {
      out.println("testbed: " + line);
    }
    out.flush();
  }

  @Override
  public synchronized void finished(ExperimentSpec spec, String status) {
    if (quiet) {
      return;
    }
    if (terminal && lastWidth > 0) {
      out.println();
      lastWidth = 0;
    }
    out.printf(java.util.Locale.ROOT, "testbed: %s %s in %s; results in %s%n", spec.workload(), status,
        clock(System.nanoTime() - startNanos), spec.out());
  }

  static String clock(long ns) {
    Duration d = Duration.ofNanos(ns);
    long s = d.toSeconds();
    return s >= 3600 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
