package org.ipctestbed.lwkt.spi;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.conformance.IpcConformanceTest;

/** The LWKT adapter passes the conformance suite in both engines. */
class LwktConformanceTest extends IpcConformanceTest {
  @Override
  protected IpcProvider provider() {
    return new LwktProvider();
  }
}
