package org.ipctestbed.ppc.spi;

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
import org.ipctestbed.ppc.PpcKernel;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.EngineKind;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** The SPI adapter: found by name, and each operation takes the native path it should. */
class PpcProviderTest {
  private static Machine sim(int cpus) {
    return Machine.create(MachineConfig.builder().cpus(cpus).engine(EngineKind.SIM).costModel("zero").build());
  }

  @Test
  void theProviderIsFoundByName() {
    IpcProvider p = IpcProvider.named("ppc");
    assertEquals("ppc", p.name());
    assertTrue(p.description().contains("K42"));
  }

  @Test
  void aCallOnAServedCpuTakesTheFastPathAndOneElsewhereGoesRemote() {
    Machine m = sim(2);
    PpcIpcSystem ipc = (PpcIpcSystem) IpcProvider.named("ppc").install(m);
    Process server = m.newProcess("server");
    int[] servedOn = new int[2];
    Service svc = ipc.export(server, ServiceSpec.on("echo", 0), (self, req, reply) -> {
      servedOn[self.cpu().index()]++;
      reply.copyFrom(req);
      reply.word(0, req.word(0) + 1);
      return Status.OK;
    });
    Process client = m.newProcess("client");
    Connection local = ipc.connect(client, 0, svc);
    Connection remote = ipc.connect(client, 1, svc);
    long[] got = new long[2];
    client.spawn("local", 0, self -> {
      IpcMessage rep = new IpcMessage(64);
      local.call(self, new IpcMessage(64).word(0, 1), rep);
      got[0] = rep.word(0);
    });
    client.spawn("remote", 1, self -> {
      IpcMessage rep = new IpcMessage(64);
      remote.call(self, new IpcMessage(64).word(0, 10), rep);
      got[1] = rep.word(0);
    });
    m.run();
    assertEquals(2, got[0]);
    assertEquals(11, got[1]);
    assertEquals(2, servedOn[0], "both served on the server's CPU");
    PpcKernel k = ipc.kernel();
    assertEquals(1, k.stats().localCalls());
    assertEquals(1, k.stats().remoteCalls());
  }

  @Test
  void theCallerPaysForTheHandlerThroughTheSpi() {
    Machine m = sim(1);
    IpcSystem ipc = IpcProvider.named("ppc").install(m);
    Process server = m.newProcess("server");
    Service svc = ipc.export(server, ServiceSpec.on("work", 0), (self, req, reply) -> {
      self.work(10_000);
      return Status.OK;
    });
    Process client = m.newProcess("client");
    Connection c = ipc.connect(client, 0, svc);
    client.spawn("c", 0, self -> {
      IpcMessage req = new IpcMessage(8);
      IpcMessage rep = new IpcMessage(8);
      for (int i = 0; i < 10; i++) {
        c.call(self, req, rep);
      }
    });
    m.run();
    assertEquals(100_000, m.ledger().processNs(client, Category.USER));
    assertEquals(0, m.ledger().processNs(server, Category.USER));
  }

  @Test
  void sendIsAsyncPpcWithItsLimitsAndReceiveIsNotSupported() {
    Machine m = sim(1);
    IpcSystem ipc = IpcProvider.named("ppc").install(m);
    Process server = m.newProcess("server", 5, 1024);
    int[] handled = new int[1];
    int[] ops = new int[1];
    Service svc = ipc.export(server, ServiceSpec.on("sink", 0), (self, req, reply) -> {
      handled[0]++;
      ops[0] = req.op();
      return Status.OK;
    });
    Process client = m.newProcess("client");
    Connection c = ipc.connect(client, 0, svc);
    int[] rc = new int[4];
    int[] busy = new int[1];
    client.spawn("c", 0, self -> {
      rc[0] = c.send(self, new IpcMessage(64).op(7).length(48));
      rc[1] = c.send(self, new IpcMessage(64).length(49));
      rc[2] = c.receive(self, new IpcMessage(64), false);
      for (int i = 0; i < 30; i++) {
        busy[0] += c.send(self, new IpcMessage(64).op(7).length(48)) == Status.EBUSY ? 1 : 0;
      }
      rc[3] = c.maxSendPayload();
      self.sleep(1_000_000);
    });
    m.run();
    assertEquals(Status.OK, rc[0]);
    assertEquals(Status.EMSGSIZE, rc[1]);
    assertEquals(Status.ENOTSUP, rc[2]);
    assertEquals(48, rc[3]);
    assertEquals(11, busy[0], "20 messages fit the buffer: 1 + 19 accepted, 11 refused");
    assertEquals(20, handled[0]);
    assertEquals(7, ops[0], "the op travels in the async header");
  }

  @Test
  void aDeadServerGivesEsrchAndOversizedCallsEnospc() {
    Machine m = sim(1);
    IpcSystem ipc = IpcProvider.named("ppc").install(m);
    Process server = m.newProcess("server");
    Service svc = ipc.export(server, new ServiceSpec("small", new int[] {0}, 100), (self, req, reply) -> Status.OK);
    Process client = m.newProcess("client");
    Connection c = ipc.connect(client, 0, svc);
    int[] rc = new int[4];
    client.spawn("c", 0, self -> {
      rc[0] = c.call(self, new IpcMessage(200).length(101), new IpcMessage(8));
      rc[1] = c.call(self, new IpcMessage(200).length(100), new IpcMessage(8));
      server.kill();
      self.yieldCpu();
      rc[2] = c.call(self, new IpcMessage(8), new IpcMessage(8));
      rc[3] = c.send(self, new IpcMessage(8));
    });
    m.run();
    assertEquals(Status.ENOSPC, rc[0]);
    assertEquals(Status.OK, rc[1]);
    assertEquals(Status.ESRCH, rc[2]);
    assertEquals(Status.ESRCH, rc[3]);
  }

  @Test
  void exportAndConnectRejectBadArguments() {
    Machine m = sim(1);
    IpcSystem ipc = IpcProvider.named("ppc").install(m);
    Process server = m.newProcess("server");
    Service svc = ipc.export(server, ServiceSpec.on("a", 0), (self, req, reply) -> Status.OK);
    assertThrows(IllegalArgumentException.class, () -> ipc.export(server, ServiceSpec.on("a", 0), (s, q, r) -> 0));
    assertThrows(IllegalArgumentException.class, () -> ipc.export(server, ServiceSpec.on("b", 3), (s, q, r) -> 0));
    assertThrows(IllegalArgumentException.class, () -> ipc.connect(m.newProcess("c"), 2, svc));
  }
}
