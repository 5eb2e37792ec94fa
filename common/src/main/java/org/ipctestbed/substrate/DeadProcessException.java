package org.ipctestbed.substrate;

/** An operation named a fiber whose process has been killed. */
public final class DeadProcessException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  DeadProcessException(String operation, Fiber target) {
    super(
        operation
            + " to fiber '"
            + target.name()
            + "' of process '"
            + target.process().name()
            + "' (pid "
            + target.process().pid()
            + "), which has been killed");
  }
}
