package org.ipctestbed.substrate.sched;

import java.util.Objects;

/**
 * A CPU scheduling policy: an experiment parameter independent of the IPC mechanism (DESIGN.md,
 * "The substrate"). A policy makes one {@link RunQueue} per CPU; CPUs never share one, as in both
 * K42 (research/k42.md 4.2, "runs independently on each CPU") and DragonFly's LWKT scheduler
 * (research/lwkt.md 4).
 */
public interface SchedulerPolicy {
  /** The names {@link #named(String)} accepts. */
  String NAMES = "proportional-share, fixed-priority-rr, dragonfly";

  /** The policy's name, as recorded with every result. */
  String name();

  /** A fresh, empty run queue for CPU {@code cpu}. */
  RunQueue newRunQueue(int cpu);

  /**
   * The policy called {@code name}.
   *
   * @throws IllegalArgumentException naming the allowed policies when there is none by that name
   */
  static SchedulerPolicy named(String name) {
    Objects.requireNonNull(name, "policy name");
    return switch (name.trim()) {
      case "proportional-share", "ps", "k42" -> new ProportionalSharePolicy();
      case "fixed-priority-rr", "rr", "lwkt" -> new FixedPriorityRoundRobinPolicy();
      case "dragonfly", "usched-bsd4" -> new DragonFlyPolicy();
      default ->
          throw new IllegalArgumentException(
              "unknown scheduler policy '" + name + "'; allowed: " + NAMES);
    };
  }
}
