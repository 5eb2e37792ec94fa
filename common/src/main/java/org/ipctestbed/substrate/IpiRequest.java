package org.ipctestbed.substrate;

/**
 * A request that one CPU asks another to carry out, the substrate's form of DragonFly's {@code
 * lwkt_send_ipiq(cpu, func, arg)} and of K42's cross-processor interrupts (research/lwkt.md section
 * 4, research/k42.md section 4.3).
 *
 * <p>Calling conventions: {@link #deliver(Cpu)} runs on the target CPU at interrupt level, either
 * between two fibers or in the middle of the current fiber's {@code work}. It must not block,
 * yield or call {@code work}/{@code charge}; it may wake fibers, queue messages and set flags. A
 * request object is supplied by its owner and reused (a message, a fiber), so that posting one does
 * not allocate; the owner must not post the same object twice before it has been delivered unless
 * the handler tolerates it.
 */
@FunctionalInterface
public interface IpiRequest {
  /** Carries out the request on {@code cpu}, the CPU it was posted to. */
  void deliver(Cpu cpu);
}
