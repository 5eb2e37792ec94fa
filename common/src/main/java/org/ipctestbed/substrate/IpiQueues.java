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
  /** One (source, target) FIFO: single producer, single consumer. */
  static final class Fifo {
    final int source;
    final int target;
    private final IpiRequest[] ring;
    private final int mask;
    private volatile long head;
    private volatile long tail;
    /** Set by the sender that raises the interrupt, cleared by the target when it starts draining. */
    volatile int npoll;

    private static final VarHandle NPOLL;

    static {
      try {
        NPOLL = MethodHandles.lookup().findVarHandle(Fifo.class, "npoll", int.class);
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
      long t = tail;
      if (t - head >= ring.length) {
        return false;
      }
      ring[(int) t & mask] = r;
      tail = t + 1;
      return true;
    }

    /** Target CPU only: the oldest request, or {@code null}. */
    IpiRequest poll() {
      long h = head;
      if (h >= tail) {
        return null;
      }
      int i = (int) h & mask;
      IpiRequest r = ring[i];
      ring[i] = null;
      head = h + 1;
      return r;
    }

    int size() {
      return (int) (tail - head);
    }

    boolean isEmpty() {
      return head >= tail;
    }

    /** Sender: whether this request must raise the interrupt (the flag was clear; now set). */
    boolean raise() {
      return npoll == 0 && NPOLL.compareAndSet(this, 0, 1);
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

  IpiQueues(Machine machine, int cpus, int capacity, boolean eager) {
    this.machine = machine;
    this.capacity = capacity;
    this.out = new Fifo[cpus][];
    this.in = new Fifo[cpus][];
    this.inCount = new int[cpus];
    this.interruptsSent = new long[cpus];
    this.requestsRun = new long[cpus];
    this.stalls = new long[cpus];
    this.overflows = new long[cpus];
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
    requestsRun[cpu.index()] += n;
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
    interruptsSent[source]++;
  }

  void overflow(int source) {
    overflows[source]++;
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
    stalls[me]++;
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
