package org.ipctestbed.ppc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A dispatcher's 32-bit soft-interrupt word (research/k42.md 2.3 and 4.3; {@code
 * os/kernel/sys/SoftIntr.H}), set and cleared only with atomic OR and swap. Only the 0 → non-0
 * transition of the whole word makes a sleeping dispatcher runnable: {@link #raise} reports it, and
 * the caller then wakes the dispatcher (locally, or with an IPI from another CPU).
 */
public final class SoftInterrupts {
  // The bits this model raises. K42 also has PRINT_STATUS (3), the MP messaging bits (4-7),
  // PGFLT_COMPLETION (9), TIMER_EVENT (10) and PULSE (12); nothing here raises them.
  public static final int PREEMPT = 2;
  public static final int ASYNC_MSG = 8;
  public static final int IPC_RETRY_NOTIFY = 11;

  private static final VarHandle WORD;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(SoftInterrupts.class, "word", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through WORD
  private volatile int word;

  /**
   * Sets interrupt {@code bit} (fetch-and-OR).
   *
   * @return {@code true} if the word was 0 before: the caller must make the dispatcher runnable
   */
  public boolean raise(int bit) {
    return (int) WORD.getAndBitwiseOr(this, 1 << bit) == 0;
  }

  /** Clears interrupt {@code bit} (fetch-and-AND). */
  public void clear(int bit) {
    WORD.getAndBitwiseAnd(this, ~(1 << bit));
  }

  /** Takes every pending interrupt (atomic swap with 0) and returns them as a bit set. */
  public int takeAll() {
    return (int) WORD.getAndSet(this, 0);
  }

  /** Whether {@code bit} is set in {@code bits}. */
  public static boolean has(int bits, int bit) {
    return (bits & (1 << bit)) != 0;
  }

  /** The pending bits (a snapshot). */
  public int pending() {
    return word;
  }
}
