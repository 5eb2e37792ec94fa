package org.ipctestbed.substrate;

/**
 * How time passes and how IPIs travel on a {@link Machine}: the only part of the substrate that
 * differs between the real and the simulated engine (DESIGN.md, "Two engines, one code path"). The
 * scheduling decisions themselves live in {@link Cpu} and are shared.
 */
abstract class Engine {
  final Machine machine;
  /** {@link #now} at the start of the run (0 in the simulated engine): {@link Ledger#snapshot()} measures from it. */
  volatile long startedAt;

  Engine(Machine machine) {
    this.machine = machine;
  }

  abstract boolean isSimulated();

  /** The current time as seen on {@code cpu}. */
  abstract long now(Cpu cpu);

  /** Lets the calling fiber do {@code ns} of work in {@code category}; returns when it is done. */
  abstract void work(Fiber f, long ns, Category category);

  /** Arms the timer that wakes {@code f} at {@code f.sleepUntil} (unless {@code f.sleepGen} moves on). */
  abstract void armSleep(Fiber f);

  /** Runs {@code request} on {@code cpu} at interrupt level at time {@code at}; called on {@code cpu}. */
  abstract void callout(Cpu cpu, long at, IpiRequest request);

  /** Delivers {@code request} to {@code target}'s inbox. */
  abstract void post(Cpu target, IpiRequest request);

  /** {@code cpu}, idle, has a runnable fiber: make it dispatch. Called on {@code cpu}. */
  abstract void kick(Cpu cpu);

  /** {@code cpu.quantumEnd}/{@code quantumGen} changed. */
  abstract void armQuantum(Cpu cpu);

  /** {@code cpu.preemptDeadline}/{@code preemptGen} changed. */
  abstract void armPreemptDeadline(Cpu cpu);

  /**
   * The simulated engine's fiber {@code f} worked or was charged for zero nanoseconds: a step at one
   * virtual instant, which the engine counts to detect a livelock (virtual time that stops
   * advancing while fibers run on). Nothing to do in the real engine.
   */
  void zeroTimeStep(Fiber f) {}

  /** Whether the run is being stopped (real engine: its carriers are leaving). */
  boolean stopping() {
    return false;
  }

  /** Runs until every non-daemon fiber has returned; returns the elapsed nanoseconds. */
  abstract long run();

  /** A non-daemon fiber has returned (progress, for the simulated engine's livelock check). */
  void fiberReturned() {}

  /** The last non-daemon fiber has returned. */
  abstract void allDone();

  /** A fiber failed: stop as soon as possible. */
  abstract void failed();
}
