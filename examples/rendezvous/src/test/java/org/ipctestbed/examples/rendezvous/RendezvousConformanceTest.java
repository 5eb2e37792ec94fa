package org.ipctestbed.examples.rendezvous;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.conformance.IpcConformanceTest;

/** The whole conformance suite, accounting included, with the default options (donation on). */
class RendezvousConformanceTest extends IpcConformanceTest {
  @Override
  protected IpcProvider provider() {
    return new RendezvousProvider();
  }
}
