package org.ipctestbed.experiments.baseline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.ipctestbed.ipc.AccountingModel;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.ipc.conformance.IpcConformanceTest;
import org.ipctestbed.substrate.DeadlockException;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance suite can fail: each test here breaks the lower bound in one way a real strategy
 * could be broken and shows that the matching conformance test rejects it (a suite that passes
 * everything proves nothing).
 */
class ConformanceSuiteCatchesBrokenStrategiesTest {
  /** The suite run against a provider given at construction (not discovered by Surefire: nested). */
  static final class Suite extends IpcConformanceTest {
    private final IpcProvider provider;

    Suite(IpcProvider provider) {
      this.provider = provider;
    }

    @Override
    protected IpcProvider provider() {
      return provider;
    }
  }

  private static IpcProvider broken(Function<Connection, Connection> wrap, Function<ServiceSpec, ServiceSpec> spec) {
    return AlteredDirectCall.of("broken", spec, wrap);
  }

  /** A broken {@code call}: gets the real connection and how many calls came before this one. */
  @FunctionalInterface
  interface CallHook {
    int call(Connection inner, int n, Fiber self, IpcMessage request, IpcMessage reply);
  }

  /** A broken {@code send}: gets the real connection and how many sends came before this one. */
  @FunctionalInterface
  interface SendHook {
    int send(Connection inner, int n, Fiber self, IpcMessage request);
  }

  /** A connection whose call and send go through the hooks. */
  static final class Wrapper implements Connection {
    private final Connection inner;
    private final CallHook calls;
    private final SendHook sends;
    private int callCount;
    private int sendCount;

    Wrapper(Connection inner, CallHook calls, SendHook sends) {
      this.inner = inner;
      this.calls = calls;
      this.sends = sends;
    }

    @Override
    public int call(Fiber self, IpcMessage request, IpcMessage reply) {
      return calls.call(inner, callCount++, self, request, reply);
    }

    @Override
    public int send(Fiber self, IpcMessage request) {
      return sends.send(inner, sendCount++, self, request);
    }

    @Override
    public int receive(Fiber self, IpcMessage completion, boolean wait) {
      return inner.receive(self, completion, wait);
    }

    @Override
    public int maxSendPayload() {
      return inner.maxSendPayload();
    }
  }

  private static Suite brokenCalls(CallHook hook) {
    return new Suite(broken(c -> new Wrapper(c, hook, (in, n, self, q) -> in.send(self, q)), Function.identity()));
  }

  private static Suite brokenSends(SendHook hook) {
    return new Suite(broken(c -> new Wrapper(c, (in, n, self, q, r) -> in.call(self, q, r), hook), Function.identity()));
  }

  private static void assertSuiteFails(Executable test) {
    Throwable t = assertThrows(Throwable.class, test);
    assertTrue(
        t instanceof AssertionError || (t instanceof FiberFailedException && t.getCause() instanceof AssertionError),
        "expected a conformance failure, got " + t);
  }

  @Test
  void aStrategyThatLosesEveryFifthAcceptedSendFailsTheNoLostSendsTest() {
    Suite s = brokenSends((in, n, self, q) -> n % 5 == 4 ? Status.OK : in.send(self, q));
    assertSuiteFails(() -> s.noAcceptedSendIsLostOrDuplicated("sim"));
  }

  @Test
  void aStrategyThatStoresASendItRefusedWithEbusyFailsTheBackPressureTest() {
    Suite s = brokenSends((in, n, self, q) -> {
      int st = in.send(self, q);
      return st == Status.OK && n % 7 == 6 ? Status.EBUSY : st;
    });
    assertSuiteFails(() -> s.ebusyIsBackPressureAndStoresNothing("sim"));
  }

  @Test
  void aStrategyThatIgnoresMaxPayloadFailsTheLimitTest() {
    Suite s = new Suite(broken(c -> c, spec -> new ServiceSpec(spec.name(), spec.cpus(), spec.maxPayload() + 1024)));
    assertSuiteFails(() -> s.aCallOverMaxPayloadIsRefusedWithEnospcOrEmsgsizeAndNeverDelivered("sim"));
  }

  @Test
  void aStrategyThatAnswersWithAStaleReplyFailsTheRightCallerTest() {
    Suite s = brokenCalls((in, n, self, q, r) -> n % 11 == 10 ? Status.OK : in.call(self, q, r));
    assertSuiteFails(() -> s.repliesGoToTheCallerThatMadeTheCallWithManyClientsOnManyCpus("sim"));
  }

  @Test
  void aStrategyThatDeclaresTheServerPaysButChargesTheCallerFailsTheAccountingTestOnBothEngines() {
    Suite s = new Suite(AlteredDirectCall.of("broken", Function.identity(), c -> c, AccountingModel.SERVER_PAYS));
    for (String engine : List.of("sim", "real")) {
      assertSuiteFails(() -> s.synchronousServiceIsChargedToTheDeclaredPayer(engine));
    }
  }

  @Test
  void aStrategyThatDeclaresTheBorrowingEndsAtPreemptionButKeepsChargingTheCallerFailsThePreemptionTest() {
    Suite s = new Suite(AlteredDirectCall.of("broken", Function.identity(), c -> c, AccountingModel.CALLER_UNTIL_PREEMPTED));
    for (String engine : List.of("sim", "real")) {
      assertSuiteFails(() -> s.aPreemptionDuringServiceMovesTheChargeAsDeclaredAndTheCallersOwnWorkStaysItsOwn(engine));
    }
  }

  /**
   * Issue 14: a lost wake-up on the real engine had taken 164 s of 2-60 s waits to fail. Now the
   * watchdog reports it within seconds, with the same report as the simulated engine: every fiber that
   * had not returned, and the reason it gave when it blocked.
   */
  @Test
  void aLostWakeUpFailsWithinSecondsWithTheSameDeadlockReportOnBothEngines() {
    String reason = "waiting for a reply that never comes (lost wake-up)";
    Suite s = brokenCalls((in, n, self, q, r) -> {
      if (n == 1) {
        self.block(reason);
      }
      return in.call(self, q, r);
    });
    for (String engine : List.of("sim", "real")) {
      long t0 = System.nanoTime();
      DeadlockException e = assertThrows(DeadlockException.class, () -> s.aCallReturnsTheHandlersStatusAndReplyLocallyAndAcrossCpus(engine));
      long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
      assertTrue(e.blockedFibers().stream().anyMatch(f -> f.contains("BLOCKED (" + reason + ")")), engine + ": " + e.getMessage());
      assertTrue(e.getMessage().startsWith(engine.equals("sim") ? "deadlock at virtual time" : "deadlock (watchdog)"), e.getMessage());
      // Not a timing assertion on the mechanism: the suite's own bound (the watchdog, well before the
      // 15 s time limit of a real-engine test machine) is what is checked.
      assertTrue(seconds < 15, engine + ": the deadlock took " + seconds + " s to be reported");
    }
  }

  @Test
  void aStrategyThatKeepsServingAKilledServerFailsTheEsrchTest() {
    Suite s = brokenCalls((in, n, self, q, r) -> {
      int st = in.call(self, q, r);
      return st == Status.ESRCH ? Status.OK : st;
    });
    assertSuiteFails(() -> s.aKilledServerGivesEsrchAndItsClientsKeepRunning("sim"));
  }
}
