package org.ipctestbed.experiments.baseline;

import java.util.Optional;
import java.util.function.Function;
import org.ipctestbed.ipc.AccountingModel;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * Test strategies made from the lower bound by altering it: every exported spec goes through {@code
 * spec}, every connection through {@code wrap}. Used to give a test a mechanism with a smaller page,
 * or a deliberately broken one.
 */
public final class AlteredDirectCall {
  private AlteredDirectCall() {}

  public static IpcProvider of(
      String name, Function<ServiceSpec, ServiceSpec> spec, Function<Connection, Connection> wrap) {
    return of(name, spec, wrap, new DirectCallProvider().accounting().orElseThrow());
  }

  /** As {@link #of(String, Function, Function)}, declaring {@code accounting} (true or not). */
  public static IpcProvider of(
      String name, Function<ServiceSpec, ServiceSpec> spec, Function<Connection, Connection> wrap, AccountingModel accounting) {
    return new IpcProvider() {
      @Override
      public Optional<AccountingModel> accounting() {
        return Optional.of(accounting);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return "test: the direct-call lower bound, altered";
      }

      @Override
      public IpcSystem install(Machine machine) {
        IpcSystem inner = new DirectCallProvider().install(machine);
        return new IpcSystem() {
          @Override
          public Machine machine() {
            return machine;
          }

          @Override
          public Service export(Process server, ServiceSpec s, Handler handler) {
            return inner.export(server, spec.apply(s), handler);
          }

          @Override
          public Connection connect(Process client, int clientCpu, Service service) {
            return wrap.apply(inner.connect(client, clientCpu, service));
          }
        };
      }
    };
  }
}
