package org.ipctestbed.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.ipctestbed.substrate.Coroutine;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * The baselines every mechanism is compared with, measured in the same run on the same machine
 * (issue 7; research/anchors.md B.1 and B.6 for the figures to expect on the development VM).
 *
 * <ul>
 *   <li>{@link #virtualCall}: a procedure call that the JIT can neither inline nor devirtualise (a
 *       megamorphic call site over three classes, callee not inlined): the floor of any call.
 *   <li>{@link #coroutineRoundTrip}: one {@link Coroutine} resume plus suspend, the continuation
 *       switch pair every fiber switch on the substrate pays.
 *   <li>{@code spinPingPong}, {@code spscPingPong}, {@code parkPingPong}: two platform threads
 *       exchanging a token through a volatile field (busy-spin), two JCTools {@link SpscArrayQueue}s
 *       (busy-poll), and a flag with {@link LockSupport} park/unpark. JMH {@code @Group} pairs, after
 *       JCTools' {@code BaselinePingPong}; a side that is still waiting when the measurement stops
 *       gives up ({@code Control.stopMeasurement}, JMH sample 18) instead of hanging. One invocation of
 *       either side is one round trip.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineBench {
  /** The callee of {@link #virtualCall}. */
  public interface Callee {
    int call(int x);
  }

  static final class Inc implements Callee {
    @Override
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int call(int x) {
      return x + 1;
    }
  }

  static final class Dec implements Callee {
    @Override
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int call(int x) {
      return x - 1;
    }
  }

  static final class Flip implements Callee {
    @Override
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int call(int x) {
      return ~x;
    }
  }

  /** Three receiver classes at one call site: the JIT must dispatch through the itable. */
  @State(Scope.Thread)
  public static class Callees {
    Callee[] callees;
    int next;

    @Setup
    public void setup() {
      callees = new Callee[] {new Inc(), new Dec(), new Flip(), new Dec()};
    }
  }

  @Benchmark
  public int virtualCall(Callees s) {
    int i = s.next++;
    return s.callees[i & 3].call(i);
  }

  /** A coroutine that suspends forever: each resume runs it to its next suspend. */
  @State(Scope.Thread)
  public static class Coroutines {
    Coroutine coroutine;

    @Setup
    public void setup() {
      coroutine =
          new Coroutine(
              () -> {
                while (true) {
                  Coroutine.suspend();
                }
              });
    }
  }

  @Benchmark
  public boolean coroutineRoundTrip(Coroutines s) {
    return s.coroutine.resume();
  }

  // ------------------------------------------------------------------ busy-spin on a volatile field

  /** Whose turn it is: 0 the pinger's, 1 the ponger's. */
  @State(Scope.Group)
  public static class SpinFlag {
    volatile int turn;
  }

  @Benchmark
  @Group("spinPingPong")
  @GroupThreads(1)
  public void spinPing(SpinFlag s, Control control) {
    spinUntilTurnThenPass(s, 0, control);
  }

  @Benchmark
  @Group("spinPingPong")
  @GroupThreads(1)
  public void spinPong(SpinFlag s, Control control) {
    spinUntilTurnThenPass(s, 1, control);
  }

  private static void spinUntilTurnThenPass(SpinFlag s, int mine, Control control) {
    while (s.turn != mine) {
      if (control.stopMeasurement) {
        return;
      }
      Thread.onSpinWait();
    }
    s.turn = 1 - mine;
  }

  // ------------------------------------------------------------------ JCTools SPSC queues

  /**
   * One queue each way, carrying one constant token. At most one token is in flight: a pinger that
   * gave up waiting at the end of an iteration waits for that same pong next time instead of
   * sending another ping, else tokens would pile up and the pair would measure pipelined
   * throughput, not a round trip.
   */
  @State(Scope.Group)
  public static class SpscPair {
    static final Object TOKEN = new Object();
    final SpscArrayQueue<Object> ping = new SpscArrayQueue<>(1024);
    final SpscArrayQueue<Object> pong = new SpscArrayQueue<>(1024);
    boolean pingInFlight; // the pinger's own
  }

  @Benchmark
  @Group("spscPingPong")
  @GroupThreads(1)
  public void spscPing(SpscPair s, Control control) {
    if (!s.pingInFlight) {
      s.ping.offer(SpscPair.TOKEN);
      s.pingInFlight = true;
    }
    while (s.pong.relaxedPoll() == null) {
      if (control.stopMeasurement) {
        return;
      }
      Thread.onSpinWait();
    }
    s.pingInFlight = false;
  }

  @Benchmark
  @Group("spscPingPong")
  @GroupThreads(1)
  public void spscPong(SpscPair s, Control control) {
    while (s.ping.relaxedPoll() == null) {
      if (control.stopMeasurement) {
        return;
      }
      Thread.onSpinWait();
    }
    s.pong.offer(SpscPair.TOKEN);
  }

  // ------------------------------------------------------------------ LockSupport park/unpark

  /** A turn flag and the two threads (index 0 the pinger, 1 the ponger), each parking until its turn. */
  @State(Scope.Group)
  public static class ParkPair {
    volatile int turn;
    final AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(2);
  }

  /** Bounded park: a thread that registers after its partner's unpark must not sleep forever. */
  private static final long PARK_BOUND_NS = 1_000_000;

  @Benchmark
  @Group("parkPingPong")
  @GroupThreads(1)
  public void parkPing(ParkPair s, Control control) {
    parkUntilTurnThenPass(s, 0, control);
  }

  @Benchmark
  @Group("parkPingPong")
  @GroupThreads(1)
  public void parkPong(ParkPair s, Control control) {
    parkUntilTurnThenPass(s, 1, control);
  }

  private static void parkUntilTurnThenPass(ParkPair s, int mine, Control control) {
    if (s.threads.get(mine) == null) {
      s.threads.set(mine, Thread.currentThread());
    }
    while (s.turn != mine) {
      if (control.stopMeasurement) {
        return;
      }
      LockSupport.parkNanos(s, PARK_BOUND_NS);
    }
    s.turn = 1 - mine;
    Thread other = s.threads.get(1 - mine);
    if (other != null) {
      LockSupport.unpark(other);
    }
  }
}
