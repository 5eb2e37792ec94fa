package org.ipctestbed.ipc;

import org.ipctestbed.substrate.Fiber;

/**
 * A service's code: runs in a fiber of the server process, the mechanism decides which one (K42: the
 * server's thread that the caller's CPU was handed to; LWKT: the port's owner thread, or the sender
 * itself for a port handled synchronously).
 *
 * <p>Calling convention: {@code request} is the server's own copy (never the client's object); the
 * handler fills {@code reply} and returns a status, which the client receives as the result of its
 * call. For one-way sends {@code reply} is a scratch message whose content is discarded unless the
 * mechanism delivers replies to asynchronous sends. A handler may call {@code self.work(ns)}, make
 * nested calls through its own connections, and must not keep references to either message.
 */
@FunctionalInterface
public interface Handler {
  int handle(Fiber self, IpcMessage request, IpcMessage reply);
}
