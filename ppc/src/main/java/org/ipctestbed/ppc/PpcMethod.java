package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.substrate.Fiber;

/**
 * One method of an exported {@link XObject}: what K42's generated X-object calls on the real object
 * after unmarshalling (research/k42.md 1.2 step 6).
 *
 * <p>Calling convention: runs in a server thread of the exporting process ({@code self}); {@code
 * caller} is the kernel-written CommID of the calling dispatcher (the badge), never a value the client
 * chose; {@code args} is the server thread's own copy of the arguments (the PPC page is already empty,
 * so the method may block); the method fills {@code result} (its payload goes back through the PPC
 * page, at most 4072 bytes) and returns a status. For asynchronous calls {@code result} is scratch.
 */
@FunctionalInterface
public interface PpcMethod {
  int invoke(Fiber self, long caller, IpcMessage args, IpcMessage result);
}
