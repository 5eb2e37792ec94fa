package org.ipctestbed.experiments.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A results folder claimed by one run (issue 13, "earlier results are never lost before new data
 * exists"). Claiming it checks that the run may write there, takes a lock, and gives the run a
 * staging folder beside it; {@link #publish} swaps the staging folder in, which the harness does when
 * the first repetition has finished (new data exists) or when the run ends. A run that ends before
 * any repetition finished leaves an earlier run's folder as it was.
 *
 * <p>Layout, for {@code --out PARENT/NAME}: the lock is {@code PARENT/.NAME.lock} (an OS file lock,
 * so a killed run does not keep it; the empty file stays, since deleting it would let a third run
 * lock a different file of the same name), the staging folder {@code PARENT/.NAME.staging}, and during a
 * swap the earlier folder is briefly {@code PARENT/.NAME.old}. The swap is two renames; between them
 * the earlier results are in {@code .NAME.old}, never gone. A later run of the same folder removes
 * what a killed run left behind.
 *
 * <p>Refused, unless forced: a folder holding another workload's results, a folder of committed
 * reference results (anything under the checkout's {@code results/} that git tracks; {@code
 * reproduce}, which regenerates them, may), a folder with files the testbed does not write (forced,
 * they are carried over into the new folder, never deleted), and a folder another run holds (never).
 *
 * <p>Thread safety: the harness thread and a JVM shutdown hook may both end the claim; the methods
 * are synchronized.
 */
public final class OutputFolder implements AutoCloseable {
  private final Path out;
  private final Path staging;
  private final Path old;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final boolean hadResults;
  private boolean published;
  private boolean closed;

  private OutputFolder(Path out, FileChannel lockChannel, FileLock lock, boolean hadResults) throws IOException {
    this.out = out;
    Path parent = out.getParent();
    String name = out.getFileName().toString();
    this.staging = parent.resolve("." + name + ".staging");
    this.old = parent.resolve("." + name + ".old");
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.hadResults = hadResults;
    if (Files.isDirectory(old) && !Files.exists(out)) {
      Files.move(old, out); // a run killed between the two renames of a swap: the earlier results come back
    }
    deleteTree(old);
    deleteTree(staging);
    Files.createDirectories(staging);
  }

  /**
   * Checks {@code out} for a run of {@code workload}, locks it and creates the staging folder.
   *
   * @param force accept another workload's folder, committed reference results and foreign files
   * @param reference the caller is {@code reproduce}: committed reference results of the same
   *     workload are what it regenerates
   * @throws IllegalArgumentException with one line when the folder may not be used (nothing changed)
   */
  public static OutputFolder claim(Path out, String workload, boolean force, boolean reference) {
    Path abs = out.toAbsolutePath().normalize();
    if (abs.getParent() == null) {
      throw new IllegalArgumentException("output folder " + out + " is the file-system root; choose a folder with --out");
    }
    check(abs, workload, force, reference);
    FileChannel ch = null;
    try {
      Files.createDirectories(abs.getParent());
      Path lockFile = abs.getParent().resolve("." + abs.getFileName() + ".lock");
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // this JVM holds it already
      }
      if (l == null) {
        throw new IllegalArgumentException(
            "output folder " + out + " is in use by another run (it holds " + lockFile.getFileName() + "); wait for it or choose another --out");
      }
      check(abs, workload, force, reference); // the folder may have changed while another run held it
      return new OutputFolder(abs, ch, l, ResultsDir.isTestbedMetadata(abs.resolve(ResultsDir.METADATA)));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new IllegalArgumentException("cannot use output folder " + out + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  /**
   * The checks of {@link #claim} without changing anything.
   *
   * @throws IllegalArgumentException with one line naming the problem and the way out
   */
  public static void check(Path out, String workload, boolean force, boolean reference) {
    ResultsDir.checkWritable(out);
    if (!Files.isDirectory(out)) {
      return;
    }
    Path md = out.resolve(ResultsDir.METADATA);
    if (Files.isRegularFile(md) && ResultsDir.isTestbedMetadata(md)) {
      Object other = workloadOf(md);
      if (!force && other != null && !other.equals(workload)) {
        throw new IllegalArgumentException("output folder " + out + " holds results of workload '" + other + "', not '" + workload
            + "'; choose another --out, or --force to replace them");
      }
    }
    if (!force && !reference && isCommittedReference(out)) {
      throw new IllegalArgumentException("output folder " + out + " holds committed reference results (tracked by git; "
          + "./testbed reproduce regenerates them); choose another --out, or --force to replace them");
    }
    List<String> foreign = foreignFiles(out);
    if (!force && !foreign.isEmpty()) {
      throw new IllegalArgumentException("output folder " + out + " holds files the testbed did not write (" + String.join(", ", foreign)
          + "); choose another --out, or --force to keep them beside the new results");
    }
  }

  private static Object workloadOf(Path md) {
    try {
      return ResultsDir.readMetadata(md).get("workload");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The names of what {@code dir} holds besides files a run writes (at most five, then "..."). */
  static List<String> foreignFiles(Path dir) {
    List<String> foreign = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (!Files.isRegularFile(p) || !(ResultsDir.isGenerated(n) || n.startsWith(".tmp-"))) {
          foreign.add(foreign.size() == 5 ? "..." : n);
          if (foreign.size() > 5) {
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read output folder " + dir + ": " + e.getMessage(), e);
    }
    return foreign;
  }

  /** Whether {@code dir} is under the checkout's {@code results/} and git tracks a file in it. */
  static boolean isCommittedReference(Path dir) {
    Path results = Environment.home().toAbsolutePath().normalize().resolve("results");
    Path abs = dir.toAbsolutePath().normalize();
    if (!abs.startsWith(results)) {
      return false;
    }
    String tracked = Environment.git("ls-files", "--", abs.toString());
    return tracked != null && !tracked.isBlank();
  }

  /** Where the run writes now: the staging folder until {@link #publish}, then the folder itself. */
  public synchronized Path dir() {
    return published ? out : staging;
  }

  /** The folder the results end up in. */
  public Path out() {
    return out;
  }

  /** Whether the folder held an earlier run's results when it was claimed. */
  public boolean hadResults() {
    return hadResults;
  }

  public synchronized boolean published() {
    return published;
  }

  /**
   * Swaps the staging folder in: the earlier folder (if any) moves aside, the staging folder takes
   * its name, files the testbed does not write move over from the earlier folder, and the earlier
   * folder is deleted. Does nothing once published.
   *
   * @throws UncheckedIOException when a rename fails (the earlier folder is then where it was)
   */
  public synchronized void publish() {
    if (published || closed) {
      return;
    }
    try {
      if (Files.exists(out)) {
        move(out, old);
        try {
          move(staging, out);
        } catch (IOException e) {
          move(old, out);
          throw e;
        }
        try (Stream<Path> s = Files.list(old)) {
          for (Path p : s.toList()) {
            String n = p.getFileName().toString();
            if (!(Files.isRegularFile(p) && (ResultsDir.isGenerated(n) || n.startsWith(".tmp-"))) && !Files.exists(out.resolve(n))) {
              move(p, out.resolve(n));
            }
          }
        }
        deleteTree(old);
      } else {
        move(staging, out);
      }
      published = true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not move the new results into " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ends the claim: publishes the staging folder if the run wrote anything there and either it
   * finished a repetition ({@code newData}) or the folder held no earlier results; otherwise leaves
   * the earlier folder as it was and removes the staging folder. Then releases the lock.
   *
   * @return whether the folder now holds this run's files
   */
  public synchronized boolean finish(boolean newData) {
    if (closed) {
      return published;
    }
    try {
      if (!published && (newData || !hadResults)) {
        publish();
      }
    } finally {
      close();
    }
    return published;
  }

  /** Releases the lock and removes an unpublished staging folder. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!published) {
        deleteTree(staging);
      }
    } catch (IOException e) {
      // best effort: a leftover staging folder is removed by the next run of this folder
    } finally {
      try {
        lock.release();
      } catch (IOException ignored) {
        // the channel closes below, which releases it
      }
      closeQuietly(lockChannel);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
