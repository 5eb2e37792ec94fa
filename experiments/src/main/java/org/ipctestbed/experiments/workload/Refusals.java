package org.ipctestbed.experiments.workload;

import org.ipctestbed.ipc.Status;

/**
 * How a workload reports that the mechanism refused a message for its size ({@link Status#ENOSPC},
 * {@link Status#EMSGSIZE}) instead of silently measuring something else: the {@code refused} counter
 * and a note {@code refused} naming the size and the status. Thread-safe as the sink is.
 */
final class Refusals {
  private final Measurements sink;
  private final Measurements.Counter refused;

  Refusals(Measurements sink) {
    this.sink = sink;
    this.refused = sink.counter("refused");
  }

  /**
   * If {@code status} is a size refusal, records it and returns {@code true}; otherwise returns
   * {@code false} and records nothing. Allocates only when it records (once per run).
   */
  boolean sizeRefused(int status, int bytes, String who) {
    if (status != Status.ENOSPC && status != Status.EMSGSIZE) {
      return false;
    }
    refused.increment();
    sink.note(
        "refused",
        who + ": the mechanism refused a " + bytes + "-byte message with " + Status.name(status)
            + "; nothing was measured after it");
    return true;
  }
}
