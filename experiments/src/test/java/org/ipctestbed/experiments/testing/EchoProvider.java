package org.ipctestbed.experiments.testing;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * A test-only IPC strategy, registered only in src/test/resources/META-INF/services: a queue in front
 * of one server fiber per placement CPU, woken per request (locally or by IPI). It exists to prove
 * that a strategy found only through {@link java.util.ServiceLoader} runs through the harness, and to
 * give the harness tests two mechanisms whose costs differ ({@code test-echo} and {@code test-echo-slow},
 * which pays two extra address-space switches per call). Test code: allocation on its paths is fine.
 */
public class EchoProvider implements IpcProvider {
  private final String name;
  private final int extraSwitches;

  public EchoProvider() {
    this("test-echo", 0);
  }

  protected EchoProvider(String name, int extraSwitches) {
    this.name = name;
    this.extraSwitches = extraSwitches;
  }

  /** The slower variant. */
  public static final class Slow extends EchoProvider {
    public Slow() {
      super("test-echo-slow", 2);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "test-only: request queue + server fiber per CPU" + (extraSwitches > 0 ? ", " + extraSwitches + " extra switches" : "");
  }

  @Override
  public IpcSystem install(Machine machine) {
    return new Sys(machine);
  }

  static final class Request {
    final IpcMessage req = new IpcMessage(4096);
    final IpcMessage reply = new IpcMessage(4096);
    volatile boolean done;
    volatile int status;
    Fiber client;
  }

  final class Sys implements IpcSystem {
    final Machine machine;

    Sys(Machine machine) {
      this.machine = machine;
    }

    @Override
    public Machine machine() {
      return machine;
    }

    @Override
    public Service export(Process server, ServiceSpec spec, Handler handler) {
      Svc s = new Svc(server, spec);
      for (int cpu : spec.cpus()) {
        Queue<Request> q = new ConcurrentLinkedQueue<>();
        Fiber[] f = new Fiber[1];
        f[0] = server.spawnDaemon("echo-server-" + cpu, cpu, self -> {
          while (true) {
            Request r;
            while ((r = q.poll()) == null) {
              self.block("echo: waiting for a request");
            }
            self.charge(Cost.ADDRESS_SPACE_SWITCH, 1 + extraSwitches);
            r.status = handler.handle(self, r.req, r.reply);
            r.done = true;
            if (r.client != null) {
              r.client.wake();
            }
          }
        });
        s.queues[cpu] = q;
        s.fibers[cpu] = f[0];
      }
      return s;
    }

    @Override
    public Connection connect(Process client, int clientCpu, Service service) {
      Svc s = (Svc) service;
      int cpu = service.spec().servedOn(clientCpu) ? clientCpu : service.spec().cpus()[0];
      return new Conn(s, cpu);
    }
  }

  static final class Svc implements Service {
    final Process server;
    final ServiceSpec spec;
    @SuppressWarnings("unchecked")
    final Queue<Request>[] queues = new Queue[4096];
    final Fiber[] fibers = new Fiber[4096];

    Svc(Process server, ServiceSpec spec) {
      this.server = server;
      this.spec = spec;
    }

    @Override
    public ServiceSpec spec() {
      return spec;
    }

    @Override
    public Process server() {
      return server;
    }
  }

  final class Conn implements Connection {
    final Svc svc;
    final int cpu;
    final Request call = new Request();
    final AtomicInteger pendingSends = new AtomicInteger();

    Conn(Svc svc, int cpu) {
      this.svc = svc;
      this.cpu = cpu;
    }

    @Override
    public int call(Fiber self, IpcMessage request, IpcMessage reply) {
      if (!svc.server.isAlive()) {
        return Status.ESRCH;
      }
      if (request.length() > svc.spec.maxPayload()) {
        return Status.ENOSPC;
      }
      self.charge(Cost.TRAP);
      self.charge(Cost.COPY_PER_BYTE, request.length());
      call.req.copyFrom(request);
      call.done = false;
      call.client = self;
      svc.queues[cpu].offer(call);
      svc.fibers[cpu].wake();
      while (!call.done) {
        self.block("echo: waiting for the reply");
      }
      self.charge(Cost.ADDRESS_SPACE_SWITCH, 1 + extraSwitches);
      reply.copyFrom(call.reply);
      return call.status;
    }

    @Override
    public int send(Fiber self, IpcMessage request) {
      if (request.length() > 48) {
        return Status.EMSGSIZE;
      }
      if (pendingSends.get() >= 4 && svc.queues[cpu].size() >= 4) {
        return Status.EBUSY;
      }
      Request r = new Request();
      r.req.copyFrom(request);
      pendingSends.incrementAndGet();
      self.charge(Cost.TRAP);
      svc.queues[cpu].offer(r);
      svc.fibers[cpu].wake();
      return Status.OK;
    }

    @Override
    public int receive(Fiber self, IpcMessage completion, boolean wait) {
      return Status.ENOTSUP;
    }

    @Override
    public int maxSendPayload() {
      return 48;
    }
  }
}
