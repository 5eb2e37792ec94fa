package org.ipctestbed.experiments.baseline;

import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Process;

/**
 * A service exported through the {@link DirectCallProvider lower bound}: its spec, its server
 * process (checked for liveness on every operation) and its handler, which callers run themselves.
 */
record DirectCallService(ServiceSpec spec, Process server, Handler handler) implements Service {}
