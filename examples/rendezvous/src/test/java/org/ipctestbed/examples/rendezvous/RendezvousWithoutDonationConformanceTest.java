package org.ipctestbed.examples.rendezvous;

import java.util.Map;
import org.ipctestbed.ipc.ConfiguredProvider;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.conformance.IpcConformanceTest;

/**
 * The suite again with {@code donate=false, threads=2}: the server pays (the declared accounting model
 * follows the option), and two threads per CPU serve. With two threads, two sends of one connection
 * may be served by different threads, so the strategy does not promise their order.
 */
class RendezvousWithoutDonationConformanceTest extends IpcConformanceTest {
  @Override
  protected IpcProvider provider() {
    return ConfiguredProvider.of(new RendezvousProvider(), Map.of("donate", "false", "threads", "2"));
  }

  @Override
  protected boolean sendsAreHandledInOrder() {
    return false; // two server threads per CPU: sends accepted in order may be served out of order
  }
}
