package org.ipctestbed.substrate;

/**
 * What a span of CPU time was spent on, as the {@link Ledger} records it.
 *
 * <p>In the simulated engine the split is exact: {@code work(ns)} is {@link #USER}, {@code
 * charge(cost)} and scheduler dispatches are {@link #MECHANISM}. In the real engine, time inside
 * {@code work(ns)} is {@link #USER} and all other time a CPU spends on behalf of an account (IPC code,
 * the scheduler loop, continuation switches) is {@link #MECHANISM}: measured, not modelled.
 */
public enum Category {
  USER,
  MECHANISM,
  IDLE
}
