package org.ipctestbed.experiments.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** What makes the lower bound a lower bound, beyond the conformance suite. */
class DirectCallProviderTest {
  private static Machine sim() {
    return Machine.create(MachineConfig.builder().cpus(2).engine("sim").costModel("modern-x86").build());
  }

  @Test
  void isFoundThroughServiceLoaderAsDirectCall() {
    IpcProvider p = IpcProvider.named("direct-call");
    assertTrue(p instanceof DirectCallProvider);
    assertTrue(p.description().contains("lower bound"), p.description());
  }

  @Test
  void theHandlerRunsInTheCallersFiberOnTheCallersCpuAndIsChargedToTheCaller() {
    Machine m = sim();
    IpcSystem ipc = new DirectCallProvider().install(m);
    Process server = m.newProcess("server");
    Fiber[] seen = new Fiber[1];
    Service s =
        ipc.export(server, ServiceSpec.on("svc", 0), (self, req, rep) -> {
          seen[0] = self;
          self.work(5_000);
          return Status.OK;
        });
    Process client = m.newProcess("client-0");
    Connection c = ipc.connect(client, 1, s);
    IpcMessage req = new IpcMessage(100);
    IpcMessage rep = new IpcMessage(100);
    Fiber f =
        client.spawn("client-0", 1, self -> {
          req.length(100);
          assertEquals(Status.OK, c.call(self, req, rep));
        });
    m.run();
    assertEquals(f, seen[0], "the handler's fiber");
    assertEquals(5_000, m.ledger().processNs(client, Category.USER), "server work lands on the client");
    assertEquals(0, m.ledger().processNs(server), "the server process is never charged");
    assertEquals(0, m.ledger().costCount(Cost.THREAD_SWITCH) - 1, "one dispatch of the client, no switch for the call");
    assertEquals(0, m.ledger().costCount(Cost.TRAP) + m.ledger().costCount(Cost.IPI_SEND), "no trap, no IPI");
    assertEquals(10, m.ledger().costNs(Cost.COPY_PER_BYTE), "100 request bytes copied at 0.1 ns a byte");
  }

  @Test
  void sendsBeyondTheCompletionQueueAreRefusedWithEbusyUntilACompletionIsReceived() {
    Machine m = sim();
    IpcSystem ipc = new DirectCallProvider().install(m);
    int[] handled = new int[1];
    Service s = ipc.export(m.newProcess("server"), ServiceSpec.on("svc", 0), (self, req, rep) -> {
      handled[0]++;
      return Status.OK;
    });
    Process client = m.newProcess("client-0");
    Connection c = ipc.connect(client, 0, s);
    IpcMessage req = new IpcMessage(8);
    IpcMessage done = new IpcMessage(8);
    client.spawn("client-0", 0, self -> {
      for (int i = 0; i < DirectCallConnection.COMPLETION_CAPACITY; i++) {
        assertEquals(Status.OK, c.send(self, req));
      }
      assertEquals(Status.EBUSY, c.send(self, req));
      assertEquals(DirectCallConnection.COMPLETION_CAPACITY, handled[0], "a refused send is not handled");
      assertEquals(Status.OK, c.receive(self, done, true));
      assertEquals(Status.OK, c.send(self, req));
      while (c.receive(self, done, false) == Status.OK) {
        // drain
      }
      assertEquals(Status.EWOULDBLOCK, c.receive(self, done, true), "nothing outstanding: no wait forever");
    });
    m.run();
  }

  @Test
  void exportRefusesATakenNameAndAMissingCpuNamingTheRange() {
    Machine m = sim();
    IpcSystem ipc = new DirectCallProvider().install(m);
    Process server = m.newProcess("server");
    ipc.export(server, ServiceSpec.on("svc", 0), (self, req, rep) -> Status.OK);
    IllegalArgumentException taken =
        assertThrows(IllegalArgumentException.class, () -> ipc.export(server, ServiceSpec.on("svc", 1), (self, req, rep) -> 0));
    assertTrue(taken.getMessage().contains("svc"), taken.getMessage());
    IllegalArgumentException cpu =
        assertThrows(IllegalArgumentException.class, () -> ipc.export(server, ServiceSpec.on("other", 2), (self, req, rep) -> 0));
    assertTrue(cpu.getMessage().contains("0..1"), cpu.getMessage());
  }
}
