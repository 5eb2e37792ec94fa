package org.ipctestbed.bench;

import java.util.HashMap;
import java.util.Map;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * A test-only provider ({@code test-direct}) so that the bench module's SPI paths can be tested before
 * the real mechanisms are merged: the handler runs in the caller's fiber on copies of the messages;
 * a one-way send completes at once and leaves a completion to {@code receive}; sends carry at most
 * {@value #MAX_SEND} bytes, as K42's async PPC does.
 */
public final class TestDirectProvider implements IpcProvider {
  static final int MAX_SEND = 48;

  @Override
  public String name() {
    return "test-direct";
  }

  @Override
  public String description() {
    return "test fixture: the handler runs in the caller";
  }

  @Override
  public IpcSystem install(Machine machine) {
    return new IpcSystem() {
      private final Map<String, Service> services = new HashMap<>();

      @Override
      public Machine machine() {
        return machine;
      }

      @Override
      public Service export(Process server, ServiceSpec spec, Handler handler) {
        if (services.containsKey(spec.name())) {
          throw new IllegalArgumentException("service '" + spec.name() + "' exists");
        }
        Service s = new DirectService(spec, server, handler);
        services.put(spec.name(), s);
        return s;
      }

      @Override
      public Connection connect(Process client, int clientCpu, Service service) {
        return new DirectConnection((DirectService) service);
      }
    };
  }

  record DirectService(ServiceSpec spec, Process server, Handler handler) implements Service {}

  static final class DirectConnection implements Connection {
    private final DirectService service;
    private final IpcMessage serverRequest = new IpcMessage(4072);
    private final IpcMessage serverReply = new IpcMessage(4072);
    private int completions;

    DirectConnection(DirectService service) {
      this.service = service;
    }

    @Override
    public int call(Fiber self, IpcMessage request, IpcMessage reply) {
      if (serverRequest.copyFrom(request) != Status.OK) {
        return Status.ENOSPC;
      }
      int status = service.handler().handle(self, serverRequest, serverReply);
      reply.copyFrom(serverReply);
      return status;
    }

    @Override
    public int send(Fiber self, IpcMessage request) {
      if (request.length() > MAX_SEND) {
        return Status.EMSGSIZE;
      }
      serverRequest.copyFrom(request);
      service.handler().handle(self, serverRequest, serverReply);
      completions++;
      return Status.OK;
    }

    @Override
    public int receive(Fiber self, IpcMessage completion, boolean wait) {
      if (completions == 0) {
        return Status.EWOULDBLOCK;
      }
      completions--;
      completion.copyFrom(serverReply);
      return Status.OK;
    }

    @Override
    public int maxSendPayload() {
      return MAX_SEND;
    }
  }
}
