package org.ipctestbed.ppc.spi;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.ppc.PpcKernel;
import org.ipctestbed.ppc.PpcPage;
import org.ipctestbed.ppc.PpcProcess;
import org.ipctestbed.ppc.PpcThread;
import org.ipctestbed.substrate.Fiber;

/**
 * A client's connection to a PPC service.
 *
 * <ul>
 *   <li>{@link #call}: a synchronous PPC of the service's method: the local fast path when the client
 *       CPU has a server dispatcher, else a remote PPC to VP 0. {@code ENOSPC} for a request over the
 *       service's {@code maxPayload} or the 4072-byte page, {@code ESRCH} when the server is dead,
 *       {@code EPERM} for a stale handle; {@code EAGAIN} never reaches the caller.
 *   <li>{@link #send}: an asynchronous PPC: {@code EMSGSIZE} over 48 bytes (or {@code maxPayload}),
 *       {@code EBUSY} when the receiver's buffer is full, nothing stored. The op code and the non-zero
 *       inline words travel with the message (K42's async message carries only the 48-byte payload;
 *       see {@code AsyncBuffer} for the extension).
 *   <li>{@link #receive}: {@code ENOTSUP}. K42's asynchronous PPC has no reply and no completion: "the
 *       caller continues and receives no information about the progress of the operation"
 *       (research/k42.md 2.1); a server that must answer makes its own call back.
 * </ul>
 *
 * <p>The PPC thread state of the calling fiber is looked up once and cached; nothing is allocated per
 * operation.
 */
final class PpcConnection implements Connection {
  private final PpcProcess client;
  private final PpcIpcSystem.PpcService service;
  private final int maxCall;
  private final int maxSend;
  private Fiber boundFiber;
  private PpcThread bound;

  PpcConnection(PpcProcess client, int clientCpu, PpcIpcSystem.PpcService service) {
    this.client = client;
    this.service = service;
    this.maxCall = Math.min(service.spec().maxPayload(), PpcPage.LENGTH_MAX);
    this.maxSend = Math.min(service.spec().maxPayload(), PpcKernel.ASYNC_MSG_LENGTH_MAX);
  }

  private PpcThread thread(Fiber self) {
    if (self != boundFiber) {
      bound = client.attach(self);
      boundFiber = self;
    }
    return bound;
  }

  @Override
  public int call(Fiber self, IpcMessage request, IpcMessage reply) {
    if (request.length() > maxCall) {
      return Status.ENOSPC;
    }
    return thread(self).call(service.handle(), PpcIpcSystem.METHOD, request, reply);
  }

  @Override
  public int send(Fiber self, IpcMessage request) {
    if (request.length() > maxSend) {
      return Status.EMSGSIZE;
    }
    return thread(self).sendAsync(service.handle(), PpcIpcSystem.METHOD, request);
  }

  @Override
  public int receive(Fiber self, IpcMessage completion, boolean wait) {
    return Status.ENOTSUP;
  }

  @Override
  public int maxSendPayload() {
    return maxSend;
  }
}
