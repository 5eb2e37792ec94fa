package org.ipctestbed.ppc.spi;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Machine;

/**
 * The SPI provider "ppc": K42 Protected Procedure Call (research/k42.md) behind the testbed's IPC
 * service-provider interface. A thin adapter over the native API of {@code org.ipctestbed.ppc}: see
 * {@link PpcIpcSystem}.
 */
public final class PpcProvider implements IpcProvider {
  @Override
  public String name() {
    return "ppc";
  }

  @Override
  public String nativePolicy() {
    return "proportional-share"; // K42's kernel scheduler: proportional share with priority classes
  }

  @Override
  public String description() {
    return "K42 Protected Procedure Call: same-CPU hand-off in the caller's domain, remote mailbox, async buffers";
  }

  @Override
  public IpcSystem install(Machine machine) {
    return new PpcIpcSystem(machine);
  }
}
