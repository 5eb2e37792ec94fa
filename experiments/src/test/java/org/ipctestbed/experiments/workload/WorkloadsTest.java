package org.ipctestbed.experiments.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipctestbed.experiments.baseline.AlteredDirectCall;
import org.ipctestbed.experiments.baseline.DirectCallProvider;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every workload against the lower bound: it runs, counts what it should, replays, and checks its input. */
class WorkloadsTest {
  /** One run's outcome. */
  record Run(Machine machine, RecordingMeasurements sink) {}

  static Run run(String workload, String engine, IpcProvider provider, String... params) {
    Workload w = WorkloadRegistry.named(workload);
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      given.put(params[i], params[i + 1]);
    }
    Machine m =
        Machine.create(MachineConfig.builder().cpus(2).engine(engine).costModel("modern-x86").seed(11).build());
    RecordingMeasurements sink = new RecordingMeasurements();
    w.install(m, provider.install(m), WorkloadParams.of(w, given), sink);
    m.run();
    return new Run(m, sink);
  }

  static Run run(String workload, String engine, String... params) {
    return run(workload, engine, new DirectCallProvider(), params);
  }

  /** Small parameters per workload, and the {@code ops} each must then record (2 CPUs). */
  static Stream<Arguments> smallRuns() {
    Object[][] table = {
      {"null-rpc", 50L, new String[] {"ops", "50", "warmup", "5", "work-ns", "300"}},
      {"null-rpc", 50L, new String[] {"ops", "50", "warmup", "5", "placement", "cross-cpu"}},
      {"payload-sweep", 40L, new String[] {"ops", "40", "warmup", "4", "bytes", "4096"}},
      {"many-clients", 20L, new String[] {"ops", "10", "warmup", "2"}},
      {"many-clients", 50L, new String[] {"clients", "5", "ops", "10", "warmup", "2", "server-cpus", "2"}},
      {"file-server-read", 30L, new String[] {"ops", "30", "warmup", "3"}},
      {"async-burst", 400L, new String[] {"bursts", "5", "burst", "80"}},
      {"nested-calls", 20L, new String[] {"depth", "16", "ops", "20", "warmup", "2"}},
      {"fairness", 60L, new String[] {"ops", "20"}},
      {"preemption-during-service", 5L, new String[] {"ops", "5", "warmup", "1"}},
      {"preemption-soft-hard", 5L, new String[] {"ops", "5", "warmup", "1", "gap-ns", "200000"}},
      {"open-loop", 40L, new String[] {"ops", "40", "warmup", "4", "rate", "100000", "clients", "4"}},
      {"caller-runnable", 10L, new String[] {"ops", "10", "warmup", "1", "block-ns", "20000"}},
      {"caller-runnable", 10L, new String[] {"ops", "10", "warmup", "1", "block-ns", "20000", "process-waits", "yes"}},
    };
    return Stream.of("sim", "real")
        .flatMap(engine -> Stream.of(table).map(r -> Arguments.of(r[0], engine, r[1], r[2])));
  }

  @ParameterizedTest(name = "{0} {1} {3}")
  @MethodSource("smallRuns")
  void eachWorkloadRunsAgainstTheLowerBoundAndCountsExactlyItsMeasuredOperations(
      String workload, String engine, long expectedOps, String[] params) {
    Run r = run(workload, engine, params);
    assertEquals(expectedOps, r.sink().count("ops"), "ops of " + workload);
    String metric = switch (workload) {
      case "file-server-read" -> "read";
      case "async-burst" -> "send";
      default -> "call";
    };
    assertEquals(expectedOps, r.sink().samples(metric).size(), "latency samples of '" + metric + "'");
    assertTrue(r.sink().samples(metric).stream().allMatch(ns -> ns >= 0), "latencies are never negative");
    assertEquals(0, r.sink().count("refused"), "refusals");
    assertEquals(0, r.machine().ledger().identityError(), "ledger identity");
  }

  @Test
  void nullRpcSaysWhereTheHandlerRanWhichForTheLowerBoundIsAlwaysTheCallersCpu() {
    Run r = run("null-rpc", "sim", "ops", "10", "warmup", "0", "placement", "cross-cpu");
    assertEquals(
        "service placed on CPU 1; the handler ran on CPU 0 (10 calls): the mechanism did not serve every call"
            + " where the service was placed",
        r.sink().note("served-on"));
  }

  @Test
  void syscallReadMeasuresTheDirectReadInTheSameRunAndItIsNeverSlowerInTheSimulator() {
    Run r = run("file-server-read", "sim", "ops", "30", "warmup", "3", "bytes", "1024");
    List<Long> read = r.sink().samples("read");
    List<Long> direct = r.sink().samples("read-direct");
    assertEquals(30, direct.size());
    for (int i = 0; i < read.size(); i++) {
      // The message read copies 1024 bytes into the reply (0.1 ns a byte): never cheaper than direct.
      assertTrue(read.get(i) >= direct.get(i) + 102, "read " + i + ": " + read.get(i) + " vs direct " + direct.get(i));
    }
  }

  @Test
  void asyncBurstAgainstTheLowerBoundSeesBackPressureAndOneWakeupPerDeposit() {
    Run r = run("async-burst", "sim", "bursts", "5", "burst", "80");
    assertEquals(400, r.sink().count("deposits"));
    assertTrue(r.sink().count("ebusy") >= 5, "a burst of 80 overflows 64 queued completions: EBUSY " + r.sink().count("ebusy"));
    assertEquals(400, r.sink().count("wakeups"), "a procedure call per message: every one starts an idle consumer");
    assertNotNull(r.sink().note("completions"));
    assertNotNull(r.sink().note("wakeups"));
  }

  /**
   * research/k42.md invariant 11: a burst of asynchronous PPCs to an idle receiver sets its ASYNC_MSG
   * bit once and makes it runnable once. The producer has no completions (K42 returns none), so it
   * paces itself open loop with slack, and the consumer is idle when each burst begins.
   */
  @Test
  void aPpcBurstToAnIdleConsumerWakesItOncePerBurst() {
    Run r = run("async-burst", "sim", IpcProvider.named("ppc"), "bursts", "20", "burst", "8", "bytes", "32");
    assertEquals(160, r.sink().count("deposits"));
    assertEquals(0, r.sink().count("ebusy"), "8 messages fit the receiver's buffer");
    long w = r.sink().count("wakeups");
    // At least once per burst: the consumer is idle when each begins. Rarely more: a burst that the
    // end of the producer's quantum cuts in two wakes it twice. Never once per message (160).
    assertTrue(w >= 20 && w < 30, "wake-ups for 20 bursts of 8: " + w);
  }

  @Test
  void theLightClientsEndTheFairnessRunWhileTheHeavyClientIsChargedForItsServerWork() {
    Run r = run("fairness", "sim", "ops", "20");
    Machine m = r.machine();
    Process heavy = m.processes().stream().filter(p -> p.name().equals("heavy-client")).findFirst().orElseThrow();
    assertTrue(r.sink().count("heavy-ops") > 0, "the heavy client made calls");
    assertTrue(
        m.ledger().processNs(heavy) >= r.sink().count("heavy-ops") * 50_000,
        "the lower bound charges the heavy client's server work to the heavy client");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smallRuns")
  void simulatedRunsWithTheSameSeedRecordTheSameValues(String workload, String engine, long ops, String[] params) {
    if (!engine.equals("sim")) {
      return;
    }
    Run a = run(workload, "sim", params);
    Run b = run(workload, "sim", params);
    assertEquals(a.sink().snapshot(), b.sink().snapshot(), "recorded values of two runs of " + workload);
    assertEquals(a.machine().traceDigest(), b.machine().traceDigest(), "trace digests");
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of("null-rpc", "ops", "0"),
        Arguments.of("null-rpc", "warmup", "many"),
        Arguments.of("null-rpc", "placement", "sideways"),
        Arguments.of("null-rpc", "work-ns", "-1"),
        Arguments.of("payload-sweep", "bytes", "4097"),
        Arguments.of("many-clients", "server-cpus", "3"),
        Arguments.of("many-clients", "clients", "-2"),
        Arguments.of("file-server-read", "file-work-ns", "x"),
        Arguments.of("file-server-read", "bytes", "5000"),
        Arguments.of("async-burst", "burst", "0"),
        Arguments.of("async-burst", "consumer-work-ns", "-5"),
        Arguments.of("nested-calls", "depth", "17"),
        Arguments.of("fairness", "light-clients", "0"),
        Arguments.of("fairness", "heavy-work-ns", "1e3"),
        Arguments.of("preemption-during-service", "quantum-ns", "10"),
        Arguments.of("preemption-during-service", "service-ns", "-1"),
        Arguments.of("preemption-soft-hard", "warning-ns", "0"),
        Arguments.of("preemption-soft-hard", "section-ns", "-1"),
        Arguments.of("null-rpc", "no-such-param", "1"));
  }

  @ParameterizedTest(name = "{0} {1}={2}")
  @MethodSource("badParameters")
  void aBadParameterIsRefusedWithAnIllegalArgumentExceptionNamingIt(String workload, String param, String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run(workload, "sim", param, value));
    assertTrue(e.getMessage().contains("'" + param + "'"), e.getMessage());
  }

  @Test
  void crossCpuPlacementOnAOneCpuMachineIsRefusedNamingThePlacement() {
    Workload w = WorkloadRegistry.named("null-rpc");
    Machine m = Machine.create(MachineConfig.builder().cpus(1).engine("sim").build());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                w.install(
                    m, new DirectCallProvider().install(m),
                    WorkloadParams.of(w, Map.of("placement", "cross-cpu")), new RecordingMeasurements()));
    assertTrue(e.getMessage().contains("placement"), e.getMessage());
  }

  @Test
  void everyWorkloadOfTheCatalogueIsRegisteredWithExactlyItsParameters() {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("async-burst", List.of("bursts", "burst", "consumer-work-ns", "bytes"));
    expected.put("fairness", List.of("light-clients", "heavy-work-ns", "light-work-ns", "ops"));
    expected.put("many-clients", List.of("clients", "ops", "warmup", "server-cpus", "work-ns", "think-ns", "server-state"));
    expected.put("nested-calls", List.of("depth", "ops", "warmup"));
    expected.put("null-rpc", List.of("ops", "warmup", "placement", "work-ns"));
    expected.put("open-loop", List.of("rate", "ops", "warmup", "placement", "clients", "work-ns"));
    expected.put("payload-sweep", List.of("ops", "warmup", "bytes", "placement"));
    expected.put("preemption-during-service", List.of("ops", "warmup", "service-ns", "quantum-ns"));
    expected.put("preemption-soft-hard", List.of("ops", "warmup", "section-ns", "gap-ns", "quantum-ns", "warning-ns"));
    expected.put("file-server-read", List.of("ops", "warmup", "bytes", "file-work-ns"));
    expected.put("syscall-msg", List.of("ops", "warmup", "bytes", "device-ops", "device-ns"));
    expected.put("caller-runnable", List.of("ops", "warmup", "block-ns", "unit-ns", "process-waits"));
    Map<String, List<String>> actual = new LinkedHashMap<>();
    for (Workload w : WorkloadRegistry.all()) {
      if (!w.name().startsWith("test-")) { // test-only workloads registered by the harness's tests
        actual.put(w.name(), w.params().stream().map(Param::name).toList());
      }
    }
    assertEquals(expected, actual);
  }

  // ------------------------------------------------------------------ caller-runnable

  @Test
  void aSiblingThreadWorksThroughABlockingCallUnlessTheWholeProcessWaits() {
    Run runs = run("caller-runnable", "sim", "ops", "20", "warmup", "2", "block-ns", "100000", "unit-ns", "1000");
    long inCall = runs.sink().count("in-call-ns");
    assertTrue(inCall >= 20 * 100_000L, "each call lasts at least the server's block: " + inCall);
    assertTrue(runs.sink().count("sibling-units-in-call") * 1000L > inCall / 2,
        "the sibling used most of the call time: " + runs.sink().count("sibling-units-in-call") + " units in " + inCall + " ns");
    Run waits = run("caller-runnable", "sim", "ops", "20", "warmup", "2", "block-ns", "100000", "unit-ns", "1000",
        "process-waits", "yes");
    assertTrue(waits.sink().count("sibling-units-in-call") <= 20,
        "held during each call, the sibling finishes at most the unit in progress: " + waits.sink().count("sibling-units-in-call"));
  }

  @Test
  void callerRunnableRejectsAnUnknownProcessWaitsValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("caller-runnable", "sim", "ops", "2", "process-waits", "maybe"));
    assertTrue(e.getMessage().contains("yes or no"), e.getMessage());
  }

  // ------------------------------------------------------------------ a mechanism with a smaller page

  /** The lower bound with every service's payload limit cut to 1024 bytes, like a smaller PPC page. */
  static IpcProvider smallPage() {
    return AlteredDirectCall.of(
        "small-page", spec -> new ServiceSpec(spec.name(), spec.cpus(), Math.min(1024, spec.maxPayload())), c -> c);
  }

  @Test
  void aPayloadTheMechanismCannotCarryIsRecordedAsRefusedNotMeasured() {
    for (String[] p : new String[][] {{"payload-sweep", "bytes"}, {"file-server-read", "bytes"}}) {
      Run r = run(p[0], "sim", smallPage(), "ops", "10", "warmup", "1", p[1], "2048");
      assertEquals(1, r.sink().count("refused"), p[0] + " refused");
      assertEquals(0, r.sink().count("ops"), p[0] + " ops");
      assertTrue(r.sink().note("refused").contains("2048"), r.sink().note("refused"));
    }
  }

  @Test
  void asyncBurstRefusesAtInstallAPayloadOverTheMechanismsOneWayLimit() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> run("async-burst", "sim", smallPage(), "bytes", "2048"));
    assertTrue(e.getMessage().contains("'bytes'") && e.getMessage().contains("1024"), e.getMessage());
  }
}
