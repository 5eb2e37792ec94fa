package org.ipctestbed.experiments.harness;

/**
 * One of {@code count} disjoint parts of a sweep ({@code --shard I/N}, issue 18): the units of work
 * are the measured repetitions, (point, strategy, repetition), numbered in the order an unsharded run
 * makes them (point by point, strategy by strategy, repetition by repetition), and unit {@code k}
 * belongs to shard {@code k mod count}. Round robin rather than contiguous blocks, so that a sweep
 * whose points differ a lot in cost (1 to 64 CPUs) spreads each point's repetitions over every shard
 * and the shards take about as long as each other.
 *
 * <p>Warm-up repetitions are not units: a shard runs the warm-ups of every (point, strategy) of which
 * it owns at least one repetition, before those repetitions, as the unsharded run does. They are
 * discarded either way; on the real engine they warm the JIT of the JVM that measures.
 *
 * @param index which part, {@code 0 <= index < count}
 * @param count how many parts, {@code >= 1}
 */
public record Shard(int index, int count) {
  /** The most shards of one sweep. */
  public static final int MAX_COUNT = 100_000;

  public Shard {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("--shard I/N: N must be 1.." + MAX_COUNT + ", got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("--shard I/N: I must be 0.." + (count - 1) + " (shards are numbered from 0), got " + index);
    }
  }

  /**
   * Parses {@code I/N}.
   *
   * @throws IllegalArgumentException with one line naming the expected form
   */
  public static Shard parse(String s) {
    String t = s == null ? "" : s.trim();
    int slash = t.indexOf('/');
    if (slash <= 0 || slash == t.length() - 1 || !t.substring(0, slash).matches("[0-9]{1,9}") || !t.substring(slash + 1).matches("[0-9]{1,9}")) {
      throw new IllegalArgumentException("--shard '" + s + "': expected I/N, the I-th (from 0) of N parts, e.g. 0/4");
    }
    return new Shard(Integer.parseInt(t.substring(0, slash)), Integer.parseInt(t.substring(slash + 1)));
  }

  /** Whether unit {@code unit} (numbered as in the class comment) is this shard's. */
  public boolean owns(long unit) {
    return unit % count == index;
  }

  /** How many of {@code units} units are this shard's. */
  public long unitsOf(long units) {
    return units / count + (index < units % count ? 1 : 0);
  }

  /** {@code I/N}. */
  @Override
  public String toString() {
    return index + "/" + count;
  }
}
