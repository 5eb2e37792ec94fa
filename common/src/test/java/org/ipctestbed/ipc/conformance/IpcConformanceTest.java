package org.ipctestbed.ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipctestbed.ipc.AccountingModel;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Category;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite every IPC strategy passes (issue 5; DESIGN.md, "The IPC service-provider
 * interface"): one abstract behavioural test class with a small subclass per implementation, the
 * JCTools habit (STYLE.md). Each test runs in every engine of {@link #engines()}, on small machines
 * (4 CPUs simulated; 2 to 4 real, as the host allows), and asserts behaviour, never time.
 *
 * <p><b>Subclass contract</b> (all a strategy's author writes):
 *
 * <pre>{@code
 * class MyStrategyConformanceTest extends IpcConformanceTest {
 *   @Override protected IpcProvider provider() { return new MyStrategyProvider(); }
 * }
 * }</pre>
 *
 * Optionally override {@link #engines()} (default: {@code sim} and {@code real}) and {@link
 * #sendsAreHandledInOrder()} (default {@code true}: turn it off, with a comment saying why, for a
 * mechanism that does not promise per-connection FIFO handling of one-way sends).
 *
 * <p>What it checks: a call returns the handler's status and reply; the handler works on copies,
 * never on the client's objects; replies reach the caller that made the call, with many clients on
 * many CPUs; no call and no accepted send is lost or duplicated; sends on one connection are handled
 * in order (where promised); the limits ({@code maxPayload} accepted, one byte more refused with
 * {@code ENOSPC} or {@code EMSGSIZE}; a send over {@code maxSendPayload} refused with {@code
 * EMSGSIZE}) and that nothing refused is delivered; {@code EBUSY} stores nothing; a killed server
 * gives {@code ESRCH} and strands no caller; calls from every CPU at once all complete with the
 * ledger balanced; {@code receive} either always answers {@code ENOTSUP} or returns exactly one
 * completion, with the handler's status, per accepted send.
 *
 * <p>Conventions the suite relies on, all from the SPI's Javadoc: a sender retries on {@code EBUSY}
 * (research/k42.md 2.5: "retrying is the sender's job"); handlers may run on any fiber the mechanism
 * chooses; the server side is observed only through what the handler records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IpcConformanceTest {
  /** The SPI's default request limit (one K42 PPC page), used where a test needs a roomy service. */
  static final int DEFAULT_MAX_PAYLOAD = ServiceSpec.on("probe", 0).maxPayload();

  /**
   * The display name of every test: the method and the engine, so that reports (Surefire's XML and
   * console, an IDE) say {@code aCallReturns...(String) on sim} rather than {@code [1]}.
   */
  protected static final String ON_ENGINE = "on {0}";

  /** Real engine: how long every CPU may sit idle with a fiber unfinished before the run is a deadlock. */
  static final long REAL_WATCHDOG_NS = 1_000_000_000L;

  /**
   * Real engine: the longest one test's machine may run. Each test makes at most a few hundred calls
   * (well under a second even on a loaded 2-core host), so a run this long is a fiber stranded while
   * others poll: it fails with the deadlock report instead of waiting a minute.
   */
  static final long REAL_TIME_LIMIT_NS = 15_000_000_000L;

  /** The strategy under test; a fresh instance or a shared stateless one. */
  protected abstract IpcProvider provider();

  /** Engines every test runs in: {@code sim}, {@code real}, or both (the default). */
  protected List<String> engines() {
    return List.of("sim", "real");
  }

  /**
   * Whether the mechanism promises that one-way sends accepted on one connection are handled in the
   * order they were accepted (K42 async PPC: FIFO within a buffer; LWKT: FIFO per port queue).
   */
  protected boolean sendsAreHandledInOrder() {
    return true;
  }

  // ------------------------------------------------------------------ fixture

  /** CPUs of the test machine: 4 simulated, 2 to 4 real (never more than the host has, at least 2). */
  protected int cpus(String engine) {
    return engine.equals("sim") ? 4 : Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /** One machine with the strategy installed, a {@code server} process and the handler's records. */
  protected final class Bench {
    final String engine;
    final Machine machine;
    final IpcSystem ipc;
    final Process server;
    final ConformanceHandler handler;
    final Service service;

    Bench(String engine, int clients, int perClient, int maxPayload, int... serviceCpus) {
      this(engine, MachineConfig.builder().build().defaultQuantumNs(), clients, perClient, maxPayload, serviceCpus);
    }

    Bench(String engine, long quantumNs, int clients, int perClient, int maxPayload, int... serviceCpus) {
      this.engine = engine;
      this.machine =
          Machine.create(
              MachineConfig.builder()
                  .cpus(IpcConformanceTest.this.cpus(engine))
                  .engine(engine)
                  .costModel("modern-x86")
                  .seed(5)
                  .defaultQuantumNs(quantumNs)
                  // A real-engine deadlock or lost wake-up fails within seconds, with the same report
                  // as a simulated one (every unfinished fiber and why it blocked): the watchdog sees
                  // every CPU idle for REAL_WATCHDOG_NS, and a fiber left polling hits the time limit.
                  .watchdogNs(REAL_WATCHDOG_NS)
                  .timeLimitNs(engine.equals("sim") ? 20_000_000_000L : REAL_TIME_LIMIT_NS)
                  .build());
      this.ipc = provider().install(machine);
      this.server = machine.newProcess("server");
      this.handler = new ConformanceHandler(clients, perClient);
      this.handler.server = server;
      this.service = ipc.export(server, new ServiceSpec("conformance", serviceCpus, maxPayload), handler);
    }

    int cpus() {
      return machine.cpuCount();
    }

    Connection connect(Process client, int cpu) {
      return ipc.connect(client, cpu, service);
    }

    void run() {
      machine.run();
    }

    /**
     * A client process {@code client-<id>} with one fiber on {@code cpu}, its connection and its two
     * messages of {@code capacity} payload bytes, running {@code body}.
     */
    Process client(int id, int cpu, int capacity, ClientBody body) {
      Process p = machine.newProcess("client-" + id);
      Connection c = connect(p, cpu);
      IpcMessage req = new IpcMessage(capacity);
      IpcMessage reply = new IpcMessage(capacity);
      p.spawn("client-" + id, cpu, self -> body.run(self, c, req, reply));
      return p;
    }
  }

  /** A conformance client's code: its fiber, connection, request and reply (or scratch) message. */
  @FunctionalInterface
  interface ClientBody {
    void run(Fiber self, Connection c, IpcMessage req, IpcMessage reply) throws Exception;
  }

  /** CPUs {@code 0 .. n-1}. */
  static int[] firstCpus(int n) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = i;
    }
    return c;
  }

  /** Fills {@code m} as a request of the layout {@link ConformanceHandler} expects. */
  static IpcMessage fill(IpcMessage m, int op, int client, long seq, long nonce, long workNs, int length) {
    m.clear().op(op).word(0, client).word(1, seq).word(2, nonce).word(3, workNs).length(length);
    byte[] p = m.payload();
    for (int i = 0; i < length; i++) {
      p[i] = (byte) (seq * 7 + client * 13 + i);
    }
    return m;
  }

  /** Asserts that {@code reply} is the handler's echo of {@code request}. */
  static void assertEcho(IpcMessage request, IpcMessage reply, String context) {
    for (int w = 0; w < IpcMessage.WORDS - 1; w++) {
      assertEquals(request.word(w), reply.word(w), context + ": reply word " + w);
    }
    assertEquals(ConformanceHandler.checksum(request), reply.word(IpcMessage.WORDS - 1), context + ": reply checksum");
    assertEquals(request.op(), reply.op(), context + ": reply op");
    assertEquals(request.length(), reply.length(), context + ": reply length");
    assertArrayEquals(
        Arrays.copyOf(request.payload(), request.length()),
        Arrays.copyOf(reply.payload(), reply.length()),
        context + ": reply payload");
  }

  /** Asserts that {@code actual} holds what {@code expected} holds: op, every word, the payload. */
  static void assertSameMessage(IpcMessage expected, IpcMessage actual, String context) {
    assertEquals(expected.op(), actual.op(), context + ": op");
    for (int w = 0; w < IpcMessage.WORDS; w++) {
      assertEquals(expected.word(w), actual.word(w), context + ": word " + w);
    }
    assertArrayEquals(
        Arrays.copyOf(expected.payload(), expected.length()),
        Arrays.copyOf(actual.payload(), actual.length()),
        context + ": payload");
  }

  static void assertStatus(int expected, int actual, String context) {
    assertEquals(Status.name(expected), Status.name(actual), context);
  }

  /** What {@code receive} returned to one client: completions per sequence number, and their status. */
  static final class CompletionLog {
    final int[] count;
    final int[] status;
    int total;
    int unsupported;

    CompletionLog(int perClient) {
      count = new int[perClient];
      status = new int[perClient];
    }

    void take(IpcMessage m) {
      int seq = (int) m.word(1);
      if (seq >= 0 && seq < count.length) {
        count[seq]++;
        status[seq] = m.status();
      }
      total++;
    }
  }

  /** Takes every completion available now; remembers whether the mechanism has none ({@code ENOTSUP}). */
  static void drain(Fiber self, Connection c, IpcMessage scratch, CompletionLog log) {
    int st;
    while ((st = c.receive(self, scratch, false)) == Status.OK) {
      log.take(scratch);
    }
    if (st == Status.ENOTSUP) {
      log.unsupported++;
    } else {
      assertStatus(Status.EWOULDBLOCK, st, "a non-waiting receive with nothing to take");
    }
  }

  /**
   * Sends {@code request} until it is accepted; on {@code EBUSY} drains completions and backs off, as
   * the sender must. Fails on any other status.
   *
   * @return how many times it was refused with {@code EBUSY}
   */
  static int sendUntilAccepted(Fiber self, Connection c, IpcMessage request, IpcMessage scratch, CompletionLog log) {
    for (int busy = 0; ; busy++) {
      int st = c.send(self, request);
      if (st == Status.OK) {
        return busy;
      }
      assertStatus(Status.EBUSY, st, "send of seq " + request.word(1) + " (only OK or EBUSY expected)");
      if (busy > 200_000) {
        fail("send of seq " + request.word(1) + " still EBUSY after " + busy + " attempts: the receiver never drains");
      }
      drain(self, c, scratch, log);
      self.sleep(2_000);
    }
  }

  /** Waits (polling) until the handler has seen {@code expected} deliveries from {@code client}. */
  static void awaitDeliveries(Fiber self, ConformanceHandler h, int client, int expected) {
    for (int i = 0; h.deliveries(client) < expected; i++) {
      if (i > 200_000) {
        fail("client " + client + ": only " + h.deliveries(client) + " of " + expected + " accepted sends were ever delivered");
      }
      self.sleep(5_000);
    }
  }

  // ------------------------------------------------------------------ calls

  /** The SPI's call contract: the handler's status is the call's result and its reply replaces the caller's (lwkt.md 2 {@code domsg} returns {@code ms_error}). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aCallReturnsTheHandlersStatusAndReplyLocallyAndAcrossCpus(String engine) {
    Bench b = new Bench(engine, 2, 4, 256, 0);
    for (int client = 0; client < 2; client++) {
      int id = client;
      b.client(client, client, 256, (self, c, req, reply) -> {
        fill(req, ConformanceHandler.OP_ECHO, id, 0, 0x1234_5678L + id, 0, 40);
        reply.clear().word(0, -7).word(6, -7).length(3).status(-1);
        assertStatus(Status.OK, c.call(self, req, reply), "echo call from CPU " + id);
        assertEcho(req, reply, "echo call from CPU " + id);
        assertStatus(Status.OK, reply.status(), "reply.status() of a call the handler answered OK");

        fill(req, ConformanceHandler.OP_STATUS, id, 1, Status.EPERM, 0, 0);
        assertStatus(Status.EPERM, c.call(self, req, reply), "a call whose handler returns EPERM");
        assertStatus(Status.EPERM, reply.status(), "reply.status() of a call the handler answered EPERM");
        assertEcho(req, reply, "a call whose handler returns EPERM");

        fill(req, ConformanceHandler.OP_ECHO, id, 2, 99, 1_000, 0);
        assertStatus(Status.OK, c.call(self, req, reply), "an empty call with server work");
        assertEcho(req, reply, "an empty call with server work");
      });
    }
    b.run();
    assertEquals(0, b.handler.strangers(), "deliveries nobody sent");
  }

  /** DESIGN.md: "a handler in a server process sees only what the mechanism copied or mapped for it". */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void theHandlerWorksOnCopiesNeverOnTheClientsMessages(String engine) {
    Bench b = new Bench(engine, 2, 4, 256, 0);
    b.client(0, 1, 256, (self, c, req, reply) -> {
      b.handler.forbiddenRequest = req;
      b.handler.forbiddenReply = reply;
      fill(req, ConformanceHandler.OP_ECHO, 0, 0, 77, 0, 64);
      IpcMessage before = new IpcMessage(256);
      before.copyFrom(req);
      assertStatus(Status.OK, c.call(self, req, reply), "call");
      assertSameMessage(before, req, "the client's request after the handler scribbled on its copy");
      fill(req, ConformanceHandler.OP_ECHO, 0, 1, 78, 0, Math.min(64, c.maxSendPayload()));
      before.copyFrom(req);
      sendUntilAccepted(self, c, req, reply, new CompletionLog(4));
      assertSameMessage(before, req, "the client's request after a send");
      awaitDeliveries(self, b.handler, 0, 2);
    });
    b.run();
    assertEquals(0, b.handler.sawClientObject(), "times the handler was given the client's own message object");
  }

  /** Many clients on every CPU, a service on some of them: each reply must be the caller's own. */
  private Bench manyCallers(String engine, int perClient) {
    int cpus = cpus(engine);
    int clients = 2 * cpus;
    Bench b = new Bench(engine, clients, perClient, 128, firstCpus(Math.max(1, cpus / 2)));
    for (int client = 0; client < clients; client++) {
      int id = client;
      int cpu = client % cpus;
      SplittableRandom rnd = b.machine.random(client);
      b.client(client, cpu, 128, (self, c, req, reply) -> {
        for (int seq = 0; seq < perClient; seq++) {
          fill(req, ConformanceHandler.OP_ECHO, id, seq, rnd.nextLong(), rnd.nextInt(2_000), rnd.nextInt(129));
          assertStatus(Status.OK, c.call(self, req, reply), "call " + seq + " of client " + id);
          assertEcho(req, reply, "call " + seq + " of client " + id + " on CPU " + cpu);
        }
      });
    }
    b.run();
    return b;
  }

  /** k42.md invariant 5 (reply authenticity), lwkt.md invariant 4 (a reply goes to the reply port). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void repliesGoToTheCallerThatMadeTheCallWithManyClientsOnManyCpus(String engine) {
    Bench b = manyCallers(engine, 30);
    assertEquals(0, b.handler.strangers(), "deliveries nobody sent");
  }

  /** k42.md invariant 4 (each call delivered exactly once), lwkt.md invariant 10 (replied exactly once). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void noCallIsLostOrDuplicated(String engine) {
    int perClient = 30;
    Bench b = manyCallers(engine, perClient);
    for (int client = 0; client < 2 * b.cpus(); client++) {
      for (int seq = 0; seq < perClient; seq++) {
        assertEquals(1, b.handler.deliveries(client, seq), "deliveries of call " + seq + " of client " + client);
      }
    }
  }

  /** Concurrency from every CPU; DESIGN.md ledger identity (accounts + idle = CPUs x elapsed). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void callsFromEveryCpuAtOnceAllCompleteAndTheLedgerBalances(String engine) {
    int cpus = cpus(engine);
    int perClient = 40;
    Bench b = new Bench(engine, cpus, perClient, 64, firstCpus(cpus));
    for (int cpu = 0; cpu < cpus; cpu++) {
      int id = cpu;
      b.client(cpu, cpu, 64, (self, c, req, reply) -> {
        for (int seq = 0; seq < perClient; seq++) {
          fill(req, ConformanceHandler.OP_ECHO, id, seq, seq, 500, 8);
          assertStatus(Status.OK, c.call(self, req, reply), "call " + seq + " from CPU " + id);
          assertEcho(req, reply, "call " + seq + " from CPU " + id);
          self.work(200);
        }
      });
    }
    b.run();
    for (int cpu = 0; cpu < cpus; cpu++) {
      assertEquals(perClient, b.handler.deliveries(cpu), "calls delivered from CPU " + cpu);
    }
    assertEquals(0, b.machine.ledger().identityError(), "ledger identity: accounts + idle - CPUs x elapsed");
  }

  // ------------------------------------------------------------------ sends

  /** One client per CPU sends {@code perClient} messages to a service on CPU 0, then waits for them. */
  private Bench senders(String engine, int perClient, long workNs, int[] busy) {
    int cpus = Math.min(2, cpus(engine));
    Bench b = new Bench(engine, cpus, perClient, DEFAULT_MAX_PAYLOAD, 0);
    for (int client = 0; client < cpus; client++) {
      int id = client;
      Process p = b.machine.newProcess("client-" + client);
      Connection c = b.connect(p, client);
      IpcMessage req = new IpcMessage(32);
      IpcMessage scratch = new IpcMessage(DEFAULT_MAX_PAYLOAD);
      CompletionLog log = new CompletionLog(perClient);
      p.spawn("client-" + client, client, self -> {
        for (int seq = 0; seq < perClient; seq++) {
          fill(req, ConformanceHandler.OP_ECHO, id, seq, seq, workNs, Math.min(16, c.maxSendPayload()));
          busy[id] += sendUntilAccepted(self, c, req, scratch, log);
        }
        awaitDeliveries(self, b.handler, id, perClient);
        drain(self, c, scratch, log);
      });
    }
    b.run();
    return b;
  }

  /** k42.md 2.5: an accepted async message is delivered; lwkt.md 2 {@code sendmsg}. */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void noAcceptedSendIsLostOrDuplicated(String engine) {
    int perClient = 40;
    Bench b = senders(engine, perClient, 300, new int[2]);
    for (int client = 0; client < Math.min(2, b.cpus()); client++) {
      for (int seq = 0; seq < perClient; seq++) {
        assertEquals(1, b.handler.deliveries(client, seq), "deliveries of send " + seq + " of client " + client);
      }
    }
    assertEquals(0, b.handler.strangers(), "deliveries nobody sent");
  }

  /** k42.md invariant 10: {@code EBUSY} means nothing stored, the sender retries. */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void ebusyIsBackPressureAndStoresNothing(String engine) {
    // A flood with slow service: a bounded mechanism must refuse some sends with EBUSY; each is
    // retried with the same sequence number, so a refused send that was stored anyway shows up as a
    // duplicate. A mechanism that never reports EBUSY passes trivially.
    int perClient = 150;
    int[] busy = new int[2];
    Bench b = senders(engine, perClient, 3_000, busy);
    for (int client = 0; client < Math.min(2, b.cpus()); client++) {
      for (int seq = 0; seq < perClient; seq++) {
        assertEquals(
            1,
            b.handler.deliveries(client, seq),
            "deliveries of send " + seq + " of client " + client + " (refused with EBUSY " + busy[client] + " times)");
      }
    }
  }

  /** k42.md invariant 12 (FIFO within a buffer), lwkt.md invariant 12 (FIFO within a queue). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void sendsOnOneConnectionAreHandledInTheOrderTheyWereAccepted(String engine) {
    Assumptions.assumeTrue(sendsAreHandledInOrder(), "the mechanism does not promise per-connection send order");
    Bench b = senders(engine, 60, 200, new int[2]);
    assertEquals(0, b.handler.inversions(), "sends handled before a send accepted earlier on the same connection");
  }

  /** k42.md 2.1 (async PPC returns nothing: {@code ENOTSUP}); lwkt.md invariants 6-7 (every async reply is queued on the reply port, once). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void receiveEitherAlwaysSaysEnotsupOrReturnsOneCompletionPerAcceptedSendWithTheHandlersStatus(String engine) {
    int perClient = 20;
    Bench b = new Bench(engine, 1, perClient, 128, 0);
    CompletionLog log = new CompletionLog(perClient);
    b.client(0, 1, 128, (self, c, req, completion) -> {
      int first = c.receive(self, completion, false);
      assertTrue(
          first == Status.ENOTSUP || first == Status.EWOULDBLOCK,
          "a non-waiting receive before any send must be ENOTSUP or EWOULDBLOCK, got " + Status.name(first));
      boolean supported = first != Status.ENOTSUP;
      for (int seq = 0; seq < perClient; seq++) {
        fill(req, ConformanceHandler.OP_STATUS, 0, seq, seq % 3 == 0 ? Status.EPERM : Status.OK, 100, 8);
        sendUntilAccepted(self, c, req, completion, log);
      }
      if (!supported) {
        awaitDeliveries(self, b.handler, 0, perClient);
        assertStatus(Status.ENOTSUP, c.receive(self, completion, false), "non-waiting receive after sends");
        assertStatus(Status.ENOTSUP, c.receive(self, completion, true), "waiting receive after sends");
        assertEquals(0, log.total, "completions from a mechanism that said ENOTSUP");
        return;
      }
      assertEquals(0, log.unsupported, "receive answered ENOTSUP after EWOULDBLOCK");
      while (log.total < perClient) {
        assertStatus(Status.OK, c.receive(self, completion, true), "waiting receive with sends outstanding");
        log.take(completion);
      }
      assertStatus(Status.EWOULDBLOCK, c.receive(self, completion, false), "non-waiting receive once all are in");
      for (int seq = 0; seq < perClient; seq++) {
        assertEquals(1, log.count[seq], "completions of send " + seq);
        assertStatus(seq % 3 == 0 ? Status.EPERM : Status.OK, log.status[seq], "status of the completion of send " + seq);
      }
    });
    b.run();
  }

  // ------------------------------------------------------------------ limits

  /** k42.md invariant 13, the boundary itself: exactly the limit is accepted. */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aCallOfExactlyMaxPayloadBytesIsDeliveredIntact(String engine) {
    Bench b = new Bench(engine, 1, 4, 256, 0);
    b.client(0, 0, 256, (self, c, req, reply) -> {
      fill(req, ConformanceHandler.OP_ECHO, 0, 0, 1, 0, 256);
      assertStatus(Status.OK, c.call(self, req, reply), "a call of exactly maxPayload (256) bytes");
      assertEcho(req, reply, "a call of exactly maxPayload bytes");
    });
    b.run();
    assertEquals(256, b.handler.length(0, 0), "payload length the handler saw");
  }

  /** k42.md invariant 13: one byte over the limit fails on the client before any delivery. */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aCallOverMaxPayloadIsRefusedWithEnospcOrEmsgsizeAndNeverDelivered(String engine) {
    Bench b = new Bench(engine, 1, 4, 256, 0);
    b.client(0, 1, 257, (self, c, req, reply) -> {
      fill(req, ConformanceHandler.OP_ECHO, 0, 0, 1, 0, 257);
      int st = c.call(self, req, reply);
      assertTrue(
          st == Status.ENOSPC || st == Status.EMSGSIZE,
          "a call of maxPayload + 1 bytes must be refused with ENOSPC or EMSGSIZE, got " + Status.name(st));
      fill(req, ConformanceHandler.OP_ECHO, 0, 1, 1, 0, 10);
      assertStatus(Status.OK, c.call(self, req, reply), "the next call on the same connection");
    });
    b.run();
    assertEquals(0, b.handler.deliveries(0, 0), "deliveries of the refused call");
    assertEquals(1, b.handler.deliveries(0, 1), "deliveries of the call after it");
  }

  /** k42.md invariant 10: {@code EMSGSIZE} above the one-way limit (48 bytes in K42). */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aSendOverMaxSendPayloadIsRefusedWithEmsgsizeAndNeverDelivered(String engine) {
    int maxPayload = DEFAULT_MAX_PAYLOAD;
    Bench b = new Bench(engine, 1, 4, maxPayload, 0);
    Process p = b.machine.newProcess("client-0");
    Connection c = b.connect(p, 1);
    int max = c.maxSendPayload();
    assertTrue(max >= 0 && max <= maxPayload, "maxSendPayload " + max + " must be 0.." + maxPayload + " (the service's maxPayload)");
    IpcMessage req = new IpcMessage(max + 1);
    IpcMessage scratch = new IpcMessage(maxPayload);
    CompletionLog log = new CompletionLog(4);
    p.spawn("client-0", 1, self -> {
      fill(req, ConformanceHandler.OP_ECHO, 0, 0, 1, 0, max + 1);
      assertStatus(Status.EMSGSIZE, c.send(self, req), "a send of maxSendPayload + 1 = " + (max + 1) + " bytes");
      fill(req, ConformanceHandler.OP_ECHO, 0, 1, 1, 0, max);
      sendUntilAccepted(self, c, req, scratch, log);
      awaitDeliveries(self, b.handler, 0, 1);
      drain(self, c, scratch, log);
    });
    b.run();
    assertEquals(0, b.handler.deliveries(0, 0), "deliveries of the refused send");
    assertEquals(1, b.handler.deliveries(0, 1), "deliveries of the send of exactly maxSendPayload bytes");
    assertEquals(max, b.handler.length(0, 1), "payload length the handler saw");
  }

  // ------------------------------------------------------------------ server death

  /** Issue 5, server death: {@code ESRCH}, and the client process keeps running. */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aKilledServerGivesEsrchAndItsClientsKeepRunning(String engine) {
    Bench b = new Bench(engine, 2, 8, 64, 0);
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger calledBeforeKill = new AtomicInteger();
    Process[] clients = new Process[2];
    for (int client = 0; client < 2; client++) {
      int id = client;
      clients[client] =
          b.client(client, client, 64, (self, c, req, reply) -> {
        fill(req, ConformanceHandler.OP_ECHO, id, 0, 1, 0, 8);
        assertStatus(Status.OK, c.call(self, req, reply), "a call before the kill");
        calledBeforeKill.incrementAndGet();
        if (id == 0) {
          while (calledBeforeKill.get() < 2) {
            self.sleep(1_000);
          }
          b.server.kill();
          killed.set(true);
        } else {
          while (!killed.get()) {
            self.sleep(1_000);
          }
        }
        fill(req, ConformanceHandler.OP_ECHO, id, 1, 1, 0, 8);
        assertStatus(Status.ESRCH, c.call(self, req, reply), "a call to a killed server");
        fill(req, ConformanceHandler.OP_ECHO, id, 2, 1, 0, 8);
        assertStatus(Status.ESRCH, c.send(self, req), "a send to a killed server");
        self.work(10_000);
        finished.incrementAndGet();
      });
    }
    b.run();
    assertEquals(2, finished.get(), "clients that ran to the end after the server was killed");
    for (int client = 0; client < 2; client++) {
      assertEquals(0, b.handler.deliveries(client, 1) + b.handler.deliveries(client, 2), "deliveries after the kill, client " + client);
      assertTrue(b.machine.ledger().processNs(clients[client], Category.USER) >= 10_000, "client " + client + " kept running");
    }
  }

  /** Issue 5, server death during service: the caller gets {@code OK} or {@code ESRCH}, never a wait without end. */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aServerKilledDuringServiceStrandsNoCaller(String engine) {
    for (int clientCpu : new int[] {0, 1}) {
      Bench b = new Bench(engine, 1, 4, 64, 0);
      AtomicBoolean killed = new AtomicBoolean();
      int[] first = new int[1];
      b.client(0, clientCpu, 64, (self, c, req, reply) -> {
        fill(req, ConformanceHandler.OP_SLOW, 0, 0, 1, engine.equals("sim") ? 400_000 : 5_000_000, 8);
        first[0] = c.call(self, req, reply);
        while (!killed.get()) {
          self.sleep(1_000);
        }
        fill(req, ConformanceHandler.OP_ECHO, 0, 1, 1, 0, 8);
        assertStatus(Status.ESRCH, c.call(self, req, reply), "a call after the kill");
      });
      Process killer = b.machine.newProcess("killer");
      int killerCpu = clientCpu == 0 ? 1 : 0;
      killer.spawn("killer", killerCpu, self -> {
        while (!b.handler.inService()) {
          self.sleep(2_000);
        }
        b.server.kill();
        killed.set(true);
      });
      b.run();
      assertTrue(
          first[0] == Status.OK || first[0] == Status.ESRCH,
          "a call whose server is killed during service returns OK or ESRCH, got " + Status.name(first[0]) + " (client on CPU " + clientCpu + ")");
    }
  }

  // ------------------------------------------------------------------ accounting

  /** The strategy's declared accounting model; skips the test (with the reason) when it declares none. */
  private AccountingModel declaredAccounting() {
    java.util.Optional<AccountingModel> m = provider().accounting();
    Assumptions.assumeTrue(m.isPresent(),
        "strategy '" + provider().name() + "' declares no accounting model (IpcProvider.accounting()): who pays is unchecked");
    return m.get();
  }

  private static String ms(long ns) {
    return String.format(java.util.Locale.ROOT, "%.3f ms", ns / 1e6);
  }

  /**
   * k42.md 3.1 (c) and 3.2, lwkt.md 2: the handler's work on the caller's CPU lands on the account the
   * strategy declares ({@link AccountingModel#service()}). Calls are short against the quantum, so a
   * scheduling event can move at most a small part of the service (one call's worth per quantum).
   *
   * <p>Two observations: which account the CPU charges as each service starts (what the ledger will
   * charge, seen without timing, so it holds on a loaded host), and the ledger's totals (on the real
   * engine only as lower bounds: a host that deschedules a carrier inflates wall-time charges).
   */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void synchronousServiceIsChargedToTheDeclaredPayer(String engine) {
    AccountingModel model = declaredAccounting();
    int calls = 50;
    long workNs = 20_000;
    long service = calls * workNs;
    Bench b = new Bench(engine, 1, calls, 64, 0);
    Process client =
        b.client(0, 0, 64, (self, c, req, reply) -> {
          for (int seq = 0; seq < calls; seq++) {
            fill(req, ConformanceHandler.OP_ECHO, 0, seq, seq, workNs, 8);
            assertStatus(Status.OK, c.call(self, req, reply), "call " + seq);
          }
        });
    b.run();
    assertEquals(calls, b.handler.deliveries(0), "calls delivered");
    boolean callerPays = model.service() == AccountingModel.Payer.CALLER;
    long callerUser = b.machine.ledger().processNs(client, Category.USER);
    long serverUser = b.machine.ledger().processNs(b.server, Category.USER);
    String ledger = "; ledger: caller user " + ms(callerUser) + ", server user " + ms(serverUser)
        + ", handler work asked " + ms(service) + "; services that began in the server's account "
        + b.handler.startsInServer.get() + ", in another " + b.handler.startsElsewhere.get() + " (declared: " + model + ")";
    int asDeclared = callerPays ? b.handler.startsElsewhere.get() : b.handler.startsInServer.get();
    assertTrue(asDeclared >= calls * 8 / 10, "fewer than 80% of the services began in the declared payer's account" + ledger);
    long payer = callerPays ? callerUser : serverUser;
    long other = callerPays ? serverUser : callerUser;
    assertTrue(payer >= service * 8 / 10,
        "the declared payer (" + model.service() + ") was charged less than 80% of the handler's work" + ledger);
    if (engine.equals("sim")) {
      assertTrue(other <= service * 2 / 10, "the other side was charged more than 20% of the handler's work" + ledger);
    }
  }

  /**
   * k42.md 3.2 ("what clears the chain"): a scheduling event during a long service (here quantum
   * expiries, with a competing process on the CPU) moves the rest of the service to the account {@link
   * AccountingModel#afterPreemption()} names; and the caller's own work after the call is charged to
   * the caller whatever the model (the bug this catches: a strategy that left the caller running in
   * the server's account once the borrowing had ended).
   */
  @ParameterizedTest(name = ON_ENGINE)
  @MethodSource("engines")
  public void aPreemptionDuringServiceMovesTheChargeAsDeclaredAndTheCallersOwnWorkStaysItsOwn(String engine) {
    AccountingModel model = declaredAccounting();
    long quantum = 1_000_000;
    long service = 10 * quantum;
    long own = 20 * quantum;
    Bench b = new Bench(engine, quantum, 1, 4, 64, 0);
    Process competitor = b.machine.newProcess("competitor");
    competitor.spawnDaemon("competitor", 0, self -> {
      while (true) {
        self.work(quantum / 4);
      }
    });
    boolean[] ownAccount = new boolean[1];
    Process client =
        b.client(0, 0, 64, (self, c, req, reply) -> {
          fill(req, ConformanceHandler.OP_ECHO, 0, 0, 0, service, 8);
          assertStatus(Status.OK, c.call(self, req, reply), "a call of " + ms(service) + " of service");
          ownAccount[0] = self.cpu().chargedAccount() == self.account();
          self.work(own);
        });
    b.run();
    boolean serverAfter = model.afterPreemption() == AccountingModel.Payer.SERVER;
    long callerUser = b.machine.ledger().processNs(client, Category.USER);
    long serverUser = b.machine.ledger().processNs(b.server, Category.USER);
    String ledger = "; ledger: caller user " + ms(callerUser) + ", server user " + ms(serverUser) + ", service asked "
        + ms(service) + ", caller's own work " + ms(own) + ", quantum " + ms(quantum) + "; the service ended in the "
        + (b.handler.endsInServer.get() == 1 ? "server's" : "caller's") + " account (declared: " + model + ")";
    assertTrue(ownAccount[0], "after the call returned, the CPU charged someone else's account for the caller's own work" + ledger);
    assertEquals(serverAfter ? 1 : 0, b.handler.endsInServer.get(), "services that ended in the server's account" + ledger);
    assertTrue(callerUser >= own, "the caller's own work was not all charged to the caller" + ledger);
    if (!serverAfter) {
      assertTrue(callerUser >= own + service * 9 / 10, "the caller was not charged for its service" + ledger);
    }
    // Exact figures on sim only. On the real engine a quantum expiry is noticed between work slices,
    // and a host that deschedules a carrier for longer than the service makes the first expiry come
    // at its end: then the whole service is charged to the caller, correctly, as it was wall time.
    if (engine.equals("sim")) {
      if (serverAfter) {
        // The server pays at least everything after the first scheduling event (at most ~2 quanta in).
        assertTrue(serverUser >= service - 2 * quantum, "the server was not charged for the service after the preemption" + ledger);
      }
      assertTrue(serverUser <= service + own / 2, "the server was charged for the caller's own work" + ledger);
      if (serverAfter) {
        assertTrue(callerUser <= own + 2 * quantum, "the caller was charged for service after the preemption" + ledger);
      } else {
        assertTrue(serverUser <= service / 10, "the server was charged for service the caller pays for" + ledger);
      }
    }
  }
}
