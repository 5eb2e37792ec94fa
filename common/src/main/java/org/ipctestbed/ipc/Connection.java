package org.ipctestbed.ipc;

import org.ipctestbed.substrate.Fiber;

/**
 * A client's binding to a {@link Service}, made for one client fiber on one CPU. Every method is
 * called by that fiber, returns a {@link Status} code, never throws on the hot path, and allocates
 * nothing.
 */
public interface Connection {
  /**
   * Synchronous call: sends {@code request}, waits for the reply, copies it into {@code reply}.
   *
   * @return the handler's status, or the mechanism's refusal ({@link Status#ENOSPC}, {@link
   *     Status#ESRCH}, ...). Transparent retries ({@link Status#EAGAIN} in K42) happen inside.
   */
  int call(Fiber self, IpcMessage request, IpcMessage reply);

  /**
   * Asynchronous one-way send: returns as soon as the request is accepted or refused.
   *
   * @return {@link Status#OK} (accepted), {@link Status#EBUSY} (receiver's buffer full: back-pressure,
   *     the caller decides whether to retry), {@link Status#EMSGSIZE} (too large for this path)
   */
  int send(Fiber self, IpcMessage request);

  /**
   * Receives the completion of an earlier {@link #send} where the mechanism has one (LWKT: the reply
   * on the reply port); copies it into {@code completion}.
   *
   * @param wait block until one arrives, or return {@link Status#EWOULDBLOCK} at once
   * @return {@link Status#OK}, {@link Status#EWOULDBLOCK}, or {@link Status#ENOTSUP} when the mechanism
   *     delivers no completions for one-way sends (K42 async PPC)
   */
  int receive(Fiber self, IpcMessage completion, boolean wait);

  /** Largest payload {@link #send} accepts (K42 async PPC: 48 bytes). */
  int maxSendPayload();
}
