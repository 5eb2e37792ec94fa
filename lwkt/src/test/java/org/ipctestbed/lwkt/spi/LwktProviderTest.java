package org.ipctestbed.lwkt.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;

/** The SPI adapter: each SPI operation maps onto the LWKT path documented in {@link LwktIpcSystem}. */
class LwktProviderTest {
  /** Echo: reply = request with word 0 incremented; status = op. */
  static final Handler ECHO = (self, req, reply) -> {
    reply.copyFrom(req);
    reply.word(0, req.word(0) + 1);
    return req.op();
  };

  private static Machine sim(int cpus) {
    return Machine.create(MachineConfig.builder().cpus(cpus).engine("sim").costModel("modern-x86")
        .policy("fixed-priority-rr").seed(5).build());
  }

  /** A machine with one service exported by "server" and a "client" process connected to it on {@code clientCpu}. */
  private record Rig(Machine m, IpcSystem ipc, Process server, Service svc, Process client, Connection c) {
    static Rig of(int cpus, ServiceSpec spec, Handler handler, int clientCpu) {
      Machine m = sim(cpus);
      IpcSystem ipc = new LwktProvider().install(m);
      Process server = m.newProcess("server");
      Service svc = ipc.export(server, spec, handler);
      Process client = m.newProcess("client");
      return new Rig(m, ipc, server, svc, client, ipc.connect(client, clientCpu, svc));
    }
  }

  @Test
  void theProviderIsFoundByNameThroughServiceLoader() {
    IpcProvider p = IpcProvider.named("lwkt");
    assertInstanceOf(LwktProvider.class, p);
    assertInstanceOf(LwktIpcSystem.class, p.install(sim(1)));
  }

  @Test
  void aCallOnTheServersCpuAndACallAcrossCpusBothReturnTheHandlersReply() {
    Machine m = sim(2);
    IpcSystem ipc = new LwktProvider().install(m);
    Service svc = ipc.export(m.newProcess("server"), ServiceSpec.on("echo", 1), ECHO);
    Process client = m.newProcess("client");
    Connection local = ipc.connect(client, 1, svc);
    Connection remote = ipc.connect(client, 0, svc);
    long[] remoteNs = new long[1];
    client.spawn("local", 1, self -> {
      IpcMessage req = new IpcMessage(64);
      IpcMessage rep = new IpcMessage(64);
      req.op(5).word(0, 41).length(10);
      assertEquals(5, local.call(self, req, rep));
      assertEquals(42, rep.word(0));
      assertEquals(10, rep.length());
      assertEquals(5, rep.status());
    });
    client.spawn("remote", 0, self -> {
      IpcMessage req = new IpcMessage(64);
      IpcMessage rep = new IpcMessage(64);
      req.op(Status.OK).word(0, 1);
      long t0 = self.now();
      assertEquals(Status.OK, remote.call(self, req, rep));
      remoteNs[0] = self.now() - t0;
      assertEquals(2, rep.word(0));
    });
    m.run();
    assertTrue(remoteNs[0] >= 2 * 1_000, "request and reply each crossed by IPI: " + remoteNs[0]);
  }

  @Test
  void sendsAreBoundedByThePoolAndTheirRepliesAreReceivedFromTheReplyPort() {
    Machine m = sim(2);
    LwktIpcSystem ipc = new LwktIpcSystem(m, 4);
    Service svc = ipc.export(m.newProcess("server"), ServiceSpec.on("slow", 1), (self, req, reply) -> {
      self.work(10_000);
      reply.word(0, req.word(0) * 10);
      return Status.OK;
    });
    Process client = m.newProcess("client");
    Connection c = ipc.connect(client, 0, svc);
    client.spawn("c", 0, self -> {
      IpcMessage req = new IpcMessage(16);
      IpcMessage got = new IpcMessage(16);
      assertEquals(Status.EWOULDBLOCK, c.receive(self, got, true), "nothing outstanding: waiting would never end");
      for (int i = 1; i <= 4; i++) {
        assertEquals(Status.OK, c.send(self, req.word(0, i)));
      }
      assertEquals(Status.EBUSY, c.send(self, req), "pool of 4 exhausted");
      assertEquals(Status.EWOULDBLOCK, c.receive(self, got, false));
      long sum = 0;
      for (int i = 0; i < 4; i++) {
        assertEquals(Status.OK, c.receive(self, got, true));
        assertEquals(Status.OK, got.status());
        sum += got.word(0);
      }
      assertEquals(100, sum);
      assertEquals(Status.OK, c.send(self, req.word(0, 7)), "messages are back in the pool");
      assertEquals(Status.OK, c.receive(self, got, true));
      assertEquals(70, got.word(0));
    });
    m.run();
  }

  @Test
  void aPayloadAboveTheServicesMaximumIsRefusedWithEmsgsize() {
    Rig r = Rig.of(1, new ServiceSpec("small", new int[] {0}, 8), ECHO, 0);
    Connection c = r.c();
    r.client().spawn("c", 0, self -> {
      IpcMessage big = new IpcMessage(64).length(9);
      IpcMessage rep = new IpcMessage(64);
      assertEquals(8, c.maxSendPayload());
      assertEquals(Status.EMSGSIZE, c.send(self, big));
      assertEquals(Status.EMSGSIZE, c.call(self, big, rep));
      assertEquals(Status.OK, c.call(self, big.length(8), rep));
    });
    r.m().run();
  }

  @Test
  void aReplyLargerThanTheCallersReplyMessageIsReportedAsEnospc() {
    Rig r = Rig.of(1, ServiceSpec.on("echo", 0), ECHO, 0);
    Connection c = r.c();
    r.client().spawn("c", 0, self -> {
      assertEquals(Status.ENOSPC, c.call(self, new IpcMessage(64).length(32), new IpcMessage(16)));
    });
    r.m().run();
  }

  @Test
  void callsAndSendsToADeadServerReturnEsrch() {
    Rig r = Rig.of(2, ServiceSpec.on("echo", 1), ECHO, 0);
    Connection c = r.c();
    Process server = r.server();
    r.client().spawn("c", 0, self -> {
      IpcMessage req = new IpcMessage(8);
      IpcMessage rep = new IpcMessage(8);
      assertEquals(Status.OK, c.call(self, req, rep));
      server.kill();
      assertEquals(Status.ESRCH, c.call(self, req, rep));
      assertEquals(Status.ESRCH, c.send(self, req));
    });
    r.m().run();
  }

  @Test
  void theHandlersWorkIsChargedToTheServerProcessNotTheCaller() {
    Machine m = sim(2);
    IpcSystem ipc = new LwktProvider().install(m);
    Process server = m.newProcess("server");
    Service svc = ipc.export(server, ServiceSpec.on("work", 0, 1), (self, req, reply) -> {
      self.work(5_000);
      return Status.OK;
    });
    Process client = m.newProcess("client");
    Connection near = ipc.connect(client, 0, svc);
    Connection far = ipc.connect(client, 1, svc);
    client.spawn("c0", 0, self -> {
      for (int i = 0; i < 10; i++) {
        near.call(self, new IpcMessage(0), new IpcMessage(0));
      }
    });
    client.spawn("c1", 1, self -> {
      for (int i = 0; i < 10; i++) {
        far.call(self, new IpcMessage(0), new IpcMessage(0));
      }
    });
    m.run();
    assertEquals(20 * 5_000L, m.ledger().processNs(server, Category.USER));
    assertEquals(0, m.ledger().processNs(client, Category.USER));
  }

  @Test
  void aHandlerMayMakeNestedCallsThroughItsOwnConnection() {
    Machine m = sim(2);
    IpcSystem ipc = new LwktProvider().install(m);
    Process back = m.newProcess("backend");
    Service backend = ipc.export(back, ServiceSpec.on("backend", 1), ECHO);
    Process front = m.newProcess("frontend");
    Connection[] toBackend = new Connection[1];
    IpcMessage scratch = new IpcMessage(64);
    Service frontend = ipc.export(front, ServiceSpec.on("frontend", 0), (self, req, reply) -> {
      if (toBackend[0] == null) {
        toBackend[0] = ipc.connect(front, 0, backend);
      }
      int st = toBackend[0].call(self, req, scratch);
      reply.copyFrom(scratch);
      reply.word(0, scratch.word(0) + 100);
      return st;
    });
    Process client = m.newProcess("client");
    Connection c = ipc.connect(client, 0, frontend);
    client.spawn("c", 0, self -> {
      IpcMessage rep = new IpcMessage(64);
      assertEquals(Status.OK, c.call(self, new IpcMessage(64).word(0, 1), rep));
      assertEquals(102, rep.word(0));
    });
    m.run();
  }

  @Test
  void exportRefusesADuplicateNameAndAnUnknownCpu() {
    Machine m = sim(2);
    IpcSystem ipc = new LwktProvider().install(m);
    Process server = m.newProcess("server");
    ipc.export(server, ServiceSpec.on("a", 0), ECHO);
    assertThrows(IllegalArgumentException.class, () -> ipc.export(server, ServiceSpec.on("a", 1), ECHO));
    assertThrows(IllegalArgumentException.class, () -> ipc.export(server, ServiceSpec.on("b", 2), ECHO));
    assertThrows(IllegalArgumentException.class, () -> ipc.connect(server, 5, ipc.export(server, ServiceSpec.on("c", 0), ECHO)));
  }

  @Test
  void aConnectionUsedByASecondFiberIsAProgrammingError() {
    Rig r = Rig.of(1, ServiceSpec.on("echo", 0), ECHO, 0);
    Connection c = r.c();
    Process client = r.client();
    client.spawn("first", 0, self -> c.call(self, new IpcMessage(0), new IpcMessage(0)));
    client.spawn("second", 0, self -> assertThrows(IllegalStateException.class,
        () -> c.call(self, new IpcMessage(0), new IpcMessage(0))));
    r.m().run();
  }

  @Test
  void manyCallsAcrossCpusInTheRealEngineAllComplete() {
    Machine m = Machine.create(MachineConfig.builder().cpus(2).engine("real").policy("fixed-priority-rr")
        .timeLimitNs(60_000_000_000L).build());
    IpcSystem ipc = new LwktProvider().install(m);
    Service svc = ipc.export(m.newProcess("server"), ServiceSpec.on("echo", 1), ECHO);
    Process client = m.newProcess("client");
    Connection c = ipc.connect(client, 0, svc);
    long[] sum = new long[1];
    client.spawn("c", 0, self -> {
      IpcMessage req = new IpcMessage(32);
      IpcMessage rep = new IpcMessage(32);
      for (int i = 0; i < 2_000; i++) {
        assertEquals(Status.OK, c.call(self, req.word(0, i), rep));
        sum[0] += rep.word(0);
      }
      for (int i = 0; i < 8; i++) {
        assertEquals(Status.OK, c.send(self, req.word(0, i)));
      }
      for (int i = 0; i < 8; i++) {
        assertEquals(Status.OK, c.receive(self, rep, true));
        sum[0] += rep.word(0);
      }
    });
    m.run();
    assertEquals(2_000L * 2_001 / 2 + 8 * 9 / 2, sum[0]);
  }
}
