package org.ipctestbed.substrate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * DragonFly's IPI queues (research/lwkt.md section 7, "IPI queues"; {@code lwkt_ipiq.c} of 2004):
 * one bounded FIFO per (source CPU, target CPU) pair, {@link MachineConfig#ipiQueueCapacity()}
 * entries each (16 in 2004, 256 today). Shared by both engines.
 *
 * <ul>
 *   <li>Only the source CPU writes a FIFO and only the target CPU reads it: a single-producer,
 *       single-consumer ring with no lock, as the original.
 *   <li>A sender that finds the FIFO more than half full processes its own incoming IPIs and waits
 *       ({@link #awaitRoom}, from {@link Fiber#chargeIpiSend}), so two CPUs flooding each other
 *       cannot deadlock; one that finds it full (an interrupt-level sender) does the same until
 *       there is room (real engine).
 *   <li>One hardware interrupt per batch: the sender raises the target's interrupt only when the
 *       FIFO's {@code npoll} flag was clear, and the target clears it when it starts draining; so a
 *       burst of requests costs one interrupt.
 *   <li>Requests arriving while the target is in a critical section stay in the FIFO until the
 *       section ends: nothing is copied to a deferral list.
 *   <li>The target pays {@link Cost#INTERRUPT} for taking the interrupt and {@link Cost#IPI_REQUEST}
 *       for each request it runs (the simulated engine stretches what the CPU is doing by that time;
 *       the real engine tallies them).
 * </ul>
 *
 * Posts from outside any CPU (the test's thread, before the run) and a CPU's posts to itself do not
 * use these FIFOs (DragonFly runs a request to the own CPU directly); the engine keeps its own path
 * for them. Counters: {@link #interruptsSent()}, {@link #requestsRun()}, {@link #senderStalls()}.
 *
 * <p>FIFOs of the real engine are made when the machine is made (nothing is allocated on the IPI
 * path); the simulated engine, which may have thousands of CPUs, makes a FIFO at the first request
 * of its pair.
 */
final class IpiQueues {
  /** Cache-line padding before the producer's fields of a {@link Fifo} (JCTools' layout by inheritance). */
  abstract static class FifoPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
  }

  /** The source CPU's fields: written by it alone. */
  abstract static class FifoProducer extends FifoPad0 {
    volatile long tail;
    /** The source's last look at {@code head}: read again only when the ring looks full. */
    long headCache;
  }

  abstract static class FifoPad1 extends FifoProducer {
    long p10, p11, p12, p13, p14, p15, p16, p17;
  }

  /** The target CPU's fields: written by it alone. */
  abstract static class FifoConsumer extends FifoPad1 {
    volatile long head;
    /** The target's last look at {@code tail}: read again only when the ring looks empty. */
    long tailCache;
  }

  abstract static class FifoPad2 extends FifoConsumer {
    long p20, p21, p22, p23, p24, p25, p26, p27;
  }

  /**
   * One (source, target) FIFO: single producer, single consumer, as JCTools' {@code
   * SpscArrayQueue}: the producer's and the consumer's indices on cache lines of their own, each
   * side caching the other's index, and ordered (release) stores instead of full fences, so that a
   * request costs the sender one store and the target one load of each other's line. Only the
   * interrupt flag keeps a full fence on each side (see {@link #raise()}).
   */
  static final class Fifo extends FifoPad2 {
    final int source;
    final int target;
    private final IpiRequest[] ring;
    private final int mask;
    /** Set by the sender that raises the interrupt, cleared by the target when it starts draining. */
    volatile int npoll;
    long p30, p31, p32, p33, p34, p35, p36;

    private static final VarHandle NPOLL;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        NPOLL = l.findVarHandle(Fifo.class, "npoll", int.class);
        HEAD = l.findVarHandle(FifoConsumer.class, "head", long.class);
        TAIL = l.findVarHandle(FifoProducer.class, "tail", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    Fifo(int source, int target, int capacity) {
      this.source = source;
      this.target = target;
      this.ring = new IpiRequest[capacity];
      this.mask = capacity - 1;
    }

    /** Source CPU only: appends {@code r}; {@code false} when full. */
    boolean offer(IpiRequest r) {
      long t = (long) TAIL.getOpaque(this);
      if (t - headCache >= ring.length) {
        headCache = (long) HEAD.getAcquire(this);
        if (t - headCache >= ring.length) {
          return false;
        }
      }
      ring[(int) t & mask] = r;
      TAIL.setRelease(this, t + 1); // publishes the element
      return true;
    }

    /** Target CPU only: the oldest request, or {@code null}. */
    IpiRequest poll() {
      long h = (long) HEAD.getOpaque(this);
      if (h >= tailCache) {
        tailCache = (long) TAIL.getAcquire(this);
        if (h >= tailCache) {
          return null;
        }
      }
      int i = (int) h & mask;
      IpiRequest r = ring[i];
      ring[i] = null;
      HEAD.setRelease(this, h + 1); // frees the slot
      return r;
    }

    int size() {
      return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    boolean isEmpty() {
      return (long) HEAD.getAcquire(this) >= (long) TAIL.getAcquire(this);
    }

    /**
     * Sender, after {@link #offer}: whether this request must raise the interrupt (the flag was
     * clear; now set). A full fence orders the offer's store before the read of the flag, as the
     * target's clearing (a volatile store) is ordered before its reads of the ring: either the
     * sender sees the flag clear and raises, or the target's drain sees the request. Only the sender
     * sets the flag and only the target clears it, so no compare-and-set is needed.
     */
    boolean raise() {
      VarHandle.fullFence();
      if (npoll != 0) {
        return false;
      }
      NPOLL.setRelease(this, 1);
      return true;
    }
  }

  private final Machine machine;
  private final int capacity;
  private final Fifo[][] out;
  private final Fifo[][] in;
  private final int[] inCount;
  private final long[] interruptsSent;
  private final long[] requestsRun;
  private final long[] stalls;
  private final long[] overflows;
  /** Distance between two CPUs' counters in the counter arrays. */
  private final int stride;

  IpiQueues(Machine machine, int cpus, int capacity, boolean eager) {
    this.machine = machine;
    this.capacity = capacity;
    this.out = new Fifo[cpus][];
    this.in = new Fifo[cpus][];
    this.inCount = new int[cpus];
    // Real engine: each CPU's counters on a cache line of their own (written by that CPU on every
    // IPI; adjacent longs of two CPUs would bounce one line between them).
    this.stride = eager ? 8 : 1;
    this.interruptsSent = new long[cpus * stride];
    this.requestsRun = new long[cpus * stride];
    this.stalls = new long[cpus * stride];
    this.overflows = new long[cpus * stride];
    if (eager) {
      for (int t = 0; t < cpus; t++) {
        in[t] = new Fifo[Math.max(1, cpus - 1)];
      }
      for (int s = 0; s < cpus; s++) {
        out[s] = new Fifo[cpus];
        for (int t = 0; t < cpus; t++) {
          if (s != t) {
            Fifo f = new Fifo(s, t, capacity);
            out[s][t] = f;
            in[t][inCount[t]++] = f;
          }
        }
      }
    }
  }

  int capacity() {
    return capacity;
  }

  /** The FIFO from {@code source} to {@code target} (made at first use in the simulated engine). */
  Fifo fifo(int source, int target) {
    Fifo[] row = out[source];
    if (row == null) {
      row = out[source] = new Fifo[out.length];
    }
    Fifo f = row[target];
    if (f == null) {
      f = row[target] = new Fifo(source, target, capacity);
      Fifo[] l = in[target];
      if (l == null) {
        l = in[target] = new Fifo[4];
      } else if (inCount[target] == l.length) {
        l = in[target] = java.util.Arrays.copyOf(l, l.length * 2);
      }
      l[inCount[target]++] = f;
    }
    return f;
  }

  /** Whether any FIFO to {@code cpu} holds a request. */
  boolean hasIncoming(int cpu) {
    Fifo[] l = in[cpu];
    for (int i = 0, n = inCount[cpu]; i < n; i++) {
      if (!l[i].isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Target CPU: runs every request in {@code f} ({@code lwkt_process_ipiq} for one source), after
   * clearing its interrupt flag so that a request queued meanwhile raises a new one. Returns how many
   * ran.
   */
  int drain(Cpu cpu, Fifo f) {
    f.npoll = 0;
    int n = 0;
    IpiRequest r;
    while ((r = f.poll()) != null) {
      r.deliver(cpu);
      n++;
    }
    requestsRun[cpu.index() * stride] += n;
    return n;
  }

  /** Target CPU: drains every FIFO to {@code cpu}; returns the requests run. */
  int drainAll(Cpu cpu) {
    Fifo[] l = in[cpu.index()];
    int n = 0;
    for (int i = 0, c = inCount[cpu.index()]; i < c; i++) {
      if (!l[i].isEmpty() || l[i].npoll != 0) {
        n += drain(cpu, l[i]);
      }
    }
    return n;
  }

  void interruptSent(int source) {
    interruptsSent[source * stride]++;
  }

  void overflow(int source) {
    overflows[source * stride]++;
  }

  /**
   * A sender about to post to {@code target} ({@code lwkt_send_ipiq}'s wait): while the FIFO is
   * more than half full, process this CPU's own incoming IPIs and wait for the target to drain.
   */
  void awaitRoom(Fiber f, int target) {
    int me = f.cpu().index();
    if (me == target) {
      return;
    }
    Fifo q = fifo(me, target);
    if (q.size() * 2 <= capacity) {
      return;
    }
    stalls[me * stride]++;
    while (q.size() * 2 > capacity) {
      int n = drainAll(f.cpu());
      if (n > 0) {
        f.charge(Cost.IPI_REQUEST, n);
        continue;
      }
      f.stallForIpiQueue();
    }
  }

  /** Interrupts raised (one per batch), all CPUs. */
  long interruptsSent() {
    return sum(interruptsSent);
  }

  /** Requests run by their target CPUs, all CPUs. */
  long requestsRun() {
    return sum(requestsRun);
  }

  /** Times a sender found a FIFO more than half full and waited. */
  long senderStalls() {
    return sum(stalls);
  }

  /** Simulated engine: requests an interrupt-level sender could not queue (a full FIFO) and sent apart. */
  long overflows() {
    return sum(overflows);
  }

  private static long sum(long[] a) {
    long s = 0;
    for (long v : a) {
      s += v;
    }
    return s;
  }
}
