package org.ipctestbed.lwkt.spi;

import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.substrate.Machine;

/** The {@code lwkt} IPC strategy: DragonFly BSD LWKT message ports ({@link LwktIpcSystem}). */
public final class LwktProvider implements IpcProvider {
  @Override
  public String name() {
    return "lwkt";
  }

  @Override
  public String description() {
    return "DragonFly BSD LWKT message ports: thread ports, domsg/sendmsg with reply ports, cross-CPU puts as IPIs";
  }

  /** DragonFly's per-CPU LWKT scheduler with {@code usched_bsd4} on top ({@code DragonFlyPolicy}). */
  @Override
  public String nativePolicy() {
    return "dragonfly";
  }

  @Override
  public IpcSystem install(Machine machine) {
    return new LwktIpcSystem(machine);
  }
}
