package org.ipctestbed.substrate;

import java.util.List;

/**
 * The machine can make no more progress while some non-daemon fiber has not returned: in the
 * simulated engine, no event is left; in the real engine, the watchdog saw every CPU idle with no
 * dispatch and no pending timer for its whole period; or, in the simulated engine, a livelock:
 * fibers run on at one virtual instant without any returning (time no longer advances). The report lists every fiber that is not done,
 * with its state, CPU and the reason it gave when it blocked.
 */
public final class DeadlockException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> blocked;

  DeadlockException(String what, List<String> blocked) {
    super(what + ":\n  " + String.join("\n  ", blocked));
    this.blocked = List.copyOf(blocked);
  }

  /** One line per fiber that had not returned: name, process, CPU, state and block reason. */
  public List<String> blockedFibers() {
    return blocked;
  }
}
