package org.ipctestbed.ipc;

import org.ipctestbed.substrate.Process;

/** An exported service: what {@link IpcSystem#connect} needs to reach it. */
public interface Service {
  ServiceSpec spec();

  /** The server process. */
  Process server();
}
