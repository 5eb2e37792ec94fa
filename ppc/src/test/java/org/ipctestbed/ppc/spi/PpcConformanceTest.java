package org.ipctestbed.ppc.spi;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.conformance.IpcConformanceTest;

/** The PPC adapter passes the conformance suite in both engines. */
class PpcConformanceTest extends IpcConformanceTest {
  @Override
  protected IpcProvider provider() {
    return new PpcProvider();
  }
}
