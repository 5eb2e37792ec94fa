package org.ipctestbed.bench;

import java.util.Locale;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.IdlePolicy;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;

/**
 * One IPC mechanism, found through the SPI, in one placement with one request payload, as a {@link
 * BatchRig.Setup}: exports a null service (the handler returns {@link Status#OK} with an empty
 * reply) and returns the client's operation. What each {@link Kind} exercises depends on the
 * provider's SPI adapter: for PPC a same-CPU call is the synchronous PPC fast path and a send is an
 * async PPC deposit; for LWKT a call is {@code domsg} to the service's thread port and a send is
 * {@code sendmsg} followed by waiting for the reply on the reply port.
 */
public final class MechanismScenario {
  /** Where client and server run, and which operation the client performs. */
  public enum Kind {
    /** Synchronous null call, client and server on CPU 0 of a 1-CPU machine. */
    CALL_SAME(1, 0, 0),
    /** Synchronous null call, client on CPU 0, server on CPU 1 (idle CPUs spin). */
    CALL_CROSS(2, 0, 1),
    /** One-way send, then the completion where the mechanism delivers one; one CPU. */
    SEND_SAME(1, 0, 0);

    final int cpus;
    final int clientCpu;
    final int serverCpu;

    Kind(int cpus, int clientCpu, int serverCpu) {
      this.cpus = cpus;
      this.clientCpu = clientCpu;
      this.serverCpu = serverCpu;
    }

    /** The name used in parameters and results: {@code call-same}, {@code call-cross}, {@code send-same}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind called {@code id}; throws naming the allowed ids. */
    public static Kind of(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown kind '" + id + "'; allowed: call-same, call-cross, send-same");
    }

    public int cpus() {
      return cpus;
    }

    public int clientCpu() {
      return clientCpu;
    }
  }

  /** The service's name on every machine. */
  static final String SERVICE = "bench-null";

  /** Largest payload the benchmarks use (one K42 PPC page minus its header). */
  public static final int MAX_PAYLOAD = 4072;

  private MechanismScenario() {}

  /** A rig (not started) for {@code provider}, {@code kind} and {@code payload} bytes. */
  public static BatchRig rig(IpcProvider provider, Kind kind, int payload, int batchSize) {
    return BatchRig.create(kind.cpus, IdlePolicy.SPIN, kind.clientCpu, batchSize, setup(provider, kind, payload));
  }

  /** The setup of the scenario; see {@link #rig}. */
  public static BatchRig.Setup setup(IpcProvider provider, Kind kind, int payload) {
    return (machine, clientProcess) -> {
      IpcSystem system = provider.install(machine);
      Process server = machine.newProcess("bench-server");
      Service service =
          system.export(
              server,
              new ServiceSpec(SERVICE, new int[] {kind.serverCpu}, MAX_PAYLOAD),
              (self, request, reply) -> {
                reply.length(0);
                return Status.OK;
              });
      Connection conn = system.connect(clientProcess, kind.clientCpu, service);
      IpcMessage request = new IpcMessage(payload).length(payload);
      IpcMessage reply = new IpcMessage(MAX_PAYLOAD);
      return switch (kind) {
        case CALL_SAME, CALL_CROSS -> self -> conn.call(self, request, reply);
        case SEND_SAME -> new SendThenReceive(conn, request, reply);
      };
    };
  }

  /**
   * Why {@code provider} cannot run {@code kind} with {@code payload} bytes, or {@code null} when it
   * can. A send larger than the connection's {@link Connection#maxSendPayload()} (K42 async PPC: 48
   * bytes) is refused with {@code EMSGSIZE} by design, so it is not benchmarked.
   */
  public static String notApplicable(IpcProvider provider, Kind kind, int payload) {
    if (kind != Kind.SEND_SAME) {
      return null;
    }
    Machine probe = Machine.create(MachineConfig.builder().cpus(1).engine("sim").build());
    IpcSystem system = provider.install(probe);
    Service service =
        system.export(
            probe.newProcess("probe-server"),
            new ServiceSpec(SERVICE, new int[] {0}, MAX_PAYLOAD),
            (self, request, reply) -> Status.OK);
    int max = system.connect(probe.newProcess("probe-client"), 0, service).maxSendPayload();
    return payload > max ? "one-way sends carry at most " + max + " bytes (EMSGSIZE)" : null;
  }

  /**
   * A send, retried after yielding while the receiver's buffer is full ({@link Status#EBUSY}:
   * back-pressure lets the server drain), then a waiting receive of the completion unless the
   * mechanism answers {@link Status#ENOTSUP} (no completions for one-way sends, K42 async PPC).
   */
  private static final class SendThenReceive implements BatchRig.Operation {
    private final Connection conn;
    private final IpcMessage request;
    private final IpcMessage completion;
    private boolean completions = true;

    SendThenReceive(Connection conn, IpcMessage request, IpcMessage completion) {
      this.conn = conn;
      this.request = request;
      this.completion = completion;
    }

    @Override
    public int run(Fiber self) {
      int status;
      while ((status = conn.send(self, request)) == Status.EBUSY) {
        self.yieldCpu();
      }
      if (status != Status.OK || !completions) {
        return status;
      }
      status = conn.receive(self, completion, true);
      if (status == Status.ENOTSUP) {
        completions = false;
        return Status.OK;
      }
      return status;
    }
  }
}
