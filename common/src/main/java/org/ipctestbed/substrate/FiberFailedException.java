package org.ipctestbed.substrate;

/** A fiber's body threw: the run stops and {@link Machine#run()} rethrows it wrapped in this. */
public final class FiberFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FiberFailedException(Fiber fiber, Throwable cause) {
    super("fiber '" + fiber.name() + "' of " + fiber.process() + " on CPU " + fiber.cpu().index() + " failed: " + cause, cause);
  }
}
