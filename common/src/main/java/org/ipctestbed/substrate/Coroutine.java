package org.ipctestbed.substrate;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * A one-shot user-level execution context: the only class of the testbed that touches the JDK's
 * internal {@code jdk.internal.vm.Continuation}.
 *
 * <p>A fiber's body runs inside a coroutine. {@link #resume()} runs it on the calling carrier thread
 * until the body calls {@link #suspend()} (the fiber blocks, yields or hands the CPU off) or returns.
 * Everything else in the substrate is written against this class, so that the continuation can be
 * replaced (for instance by a virtual-thread fallback) without touching the scheduler or the
 * mechanisms (DESIGN.md, "Two engines, one code path").
 *
 * <p>Calling conventions:
 *
 * <ul>
 *   <li>{@code resume} is called only by the carrier that owns the CPU the fiber runs on, never from
 *       inside another coroutine of the same scope (the substrate never nests fibers).
 *   <li>{@code suspend} is called only from inside a running coroutine. It must not be called while
 *       the body holds a monitor or is inside a native frame: the JDK then refuses to unmount the
 *       stack ("pinned") and this class throws {@link IllegalStateException} naming the reason.
 * </ul>
 *
 * <p>Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} at compile and run time; the
 * build and the {@code ./testbed} launcher pass it.
 */
public final class Coroutine {
  private static final ContinuationScope SCOPE = new ContinuationScope("ipc-testbed-fiber");

  private final Continuation continuation;

  /** A coroutine that will run {@code body} from its first {@link #resume()}. */
  public Coroutine(Runnable body) {
    this.continuation = new PinReportingContinuation(body);
  }

  /**
   * Runs the body on the calling thread until it suspends or returns.
   *
   * @return {@code true} if the body has returned (the coroutine is finished)
   * @throws IllegalStateException if the coroutine has already finished
   */
  public boolean resume() {
    if (continuation.isDone()) {
      throw new IllegalStateException("resume of a finished coroutine");
    }
    continuation.run();
    return continuation.isDone();
  }

  /** Whether the body has returned. */
  public boolean isDone() {
    return continuation.isDone();
  }

  /**
   * Suspends the coroutine that the calling code runs in, returning control to the {@link
   * #resume()} that started this slice.
   *
   * @throws IllegalStateException if the caller is not inside a coroutine, or the stack is pinned
   */
  public static void suspend() {
    if (Continuation.getCurrentContinuation(SCOPE) == null) {
      throw new IllegalStateException("suspend outside a fiber: only code running in a fiber may block or yield");
    }
    Continuation.yield(SCOPE);
  }

  /** Whether the calling code runs inside a coroutine. */
  public static boolean inCoroutine() {
    return Continuation.getCurrentContinuation(SCOPE) != null;
  }

  private static final class PinReportingContinuation extends Continuation {
    PinReportingContinuation(Runnable body) {
      super(SCOPE, body);
    }

    @Override
    protected void onPinned(Continuation.Pinned reason) {
      throw new IllegalStateException(
          "a fiber tried to suspend while pinned to its carrier ("
              + reason
              + "): fibers must not block inside synchronized blocks or native frames");
    }
  }
}
