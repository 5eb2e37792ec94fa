package org.ipctestbed.experiments.baseline;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.conformance.IpcConformanceTest;

/** The lower bound passes the conformance suite in both engines. */
class DirectCallConformanceTest extends IpcConformanceTest {
  @Override
  protected IpcProvider provider() {
    return new DirectCallProvider();
  }
}
