package org.ipctestbed.lwkt;

/**
 * An operation a port refuses: one its kind marks illegal (DragonFly's {@code lwkt_panic_*}
 * vectors), or one by a thread that does not own the port ({@code KKASSERT(port->mpu_td ==
 * curthread)}). Thrown before anything changed, naming the port and the operation.
 */
public final class PortException extends IllegalStateException {
  PortException(String message) {
    super(message);
  }
}
