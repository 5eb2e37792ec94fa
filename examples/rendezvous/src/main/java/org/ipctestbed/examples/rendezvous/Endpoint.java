package org.ipctestbed.examples.rendezvous;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Process;

/**
 * An exported service: its server threads ({@code threads} per CPU of the placement), which of them
 * are waiting in receive (per CPU, a stack), and the calls waiting for one (a FIFO ring). All of that
 * is changed under one short spin lock that no code holds across a substrate primitive, so it is never
 * held while a fiber is suspended (and is never contended at all in the simulated engine, where one
 * driver runs every fiber).
 *
 * <p>Server death ({@link Process#onKill}): the endpoint is marked dead under the lock, and every call
 * in service or waiting is answered {@code ESRCH} and its caller woken; a caller arriving later sees
 * the mark and gets {@code ESRCH} at once. No caller is left blocked.
 */
final class Endpoint implements Service {
  final RendezvousSystem system;
  final Process server;
  final ServiceSpec spec;
  final Handler handler;
  /** The block reason of a waiting server thread (a constant string: no allocation when blocking). */
  final String receiveReason;
  private final ServerThread[][] free; // per CPU: the waiting threads, a stack
  private final int[] freeCount;
  private final List<ServerThread> threads = new ArrayList<>();
  private final AtomicBoolean lock = new AtomicBoolean();
  private Call[] waiting = new Call[4]; // ring of calls waiting for a server thread
  private int waitHead;
  private int waitCount;
  private int calls; // connections made: the ring's bound
  private boolean dead;

  Endpoint(RendezvousSystem system, Process server, ServiceSpec spec, Handler handler) {
    this.system = system;
    this.server = server;
    this.spec = spec;
    this.handler = handler;
    this.receiveReason = "receiving on rendezvous endpoint '" + spec.name() + "'";
    int cpus = system.machine().cpuCount();
    this.free = new ServerThread[cpus][];
    this.freeCount = new int[cpus];
    for (int cpu : spec.cpus()) {
      free[cpu] = new ServerThread[system.threads];
      for (int i = 0; i < system.threads; i++) {
        ServerThread t = new ServerThread(this, cpu, spec.maxPayload());
        t.fiber = server.spawnDaemon("rv-" + spec.name() + "-" + cpu + "." + i, cpu, t::run);
        threads.add(t);
        free[cpu][freeCount[cpu]++] = t;
      }
    }
    server.onKill(this::serverKilled);
  }

  @Override
  public ServiceSpec spec() {
    return spec;
  }

  @Override
  public Process server() {
    return server;
  }

  private void lock() {
    while (!lock.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
  }

  private void unlock() {
    lock.set(false);
  }

  /** A call record for a new connection; grows the waiting ring so every connection fits (setup only). */
  Call newCall() {
    lock();
    try {
      calls++;
      if (calls > waiting.length) {
        Call[] bigger = new Call[Math.max(calls, 2 * waiting.length)];
        for (int i = 0; i < waitCount; i++) {
          bigger[i] = waiting[(waitHead + i) % waiting.length];
        }
        waiting = bigger;
        waitHead = 0;
      }
    } finally {
      unlock();
    }
    return new Call();
  }

  /** What {@link #claim} found. */
  static final int DEAD = -1;
  static final int QUEUED = -2;

  /**
   * For a call from CPU {@code cpu}: claims a waiting server thread, preferring one on that CPU, and
   * assigns it {@code c}; or, when none waits, queues {@code c}. Returns the claimed thread's CPU
   * (the thread is in {@code out[0]}), {@link #QUEUED}, or {@link #DEAD} when the server was killed.
   */
  int claim(int cpu, Call c, ServerThread[] out) {
    lock();
    try {
      if (dead) {
        return DEAD;
      }
      ServerThread t = popFree(cpu);
      if (t == null) {
        waiting[(waitHead + waitCount) % waiting.length] = c;
        waitCount++;
        return QUEUED;
      }
      t.assigned = c;
      out[0] = t;
      return t.cpu;
    } finally {
      unlock();
    }
  }

  /**
   * For a one-way send from CPU {@code cpu}: claims a waiting server thread (zero timeout) and copies
   * {@code request}'s registers into its buffer (a short copy, at most the registers' bytes), or returns
   * {@code null} with the reason in {@code status[0]} ({@code EBUSY}: none waits; {@code ESRCH}: dead).
   */
  ServerThread claimForSend(int cpu, org.ipctestbed.ipc.IpcMessage request, int[] status) {
    lock();
    try {
      if (dead) {
        status[0] = Status.ESRCH;
        return null;
      }
      ServerThread t = popFree(cpu);
      if (t == null) {
        status[0] = Status.EBUSY;
        return null;
      }
      t.request.copyFrom(request); // before the thread is handed the message: it may be running already
      t.oneWay.phase.set(Call.PENDING);
      t.assigned = t.oneWay;
      return t;
    } finally {
      unlock();
    }
  }

  private ServerThread popFree(int cpu) {
    if (free[cpu] != null && freeCount[cpu] > 0) {
      return free[cpu][--freeCount[cpu]];
    }
    for (int i = 1; i < free.length; i++) {
      int c = (cpu + i) % free.length;
      if (free[c] != null && freeCount[c] > 0) {
        return free[c][--freeCount[c]];
      }
    }
    return null;
  }

  /**
   * Called by server thread {@code t} when it has served its call: assigns it the next waiting call
   * and returns {@code true}, or puts it back among the waiting threads and returns {@code false}.
   */
  boolean nextOrFree(ServerThread t) {
    lock();
    try {
      if (waitCount > 0 && !dead) {
        Call c = waiting[waitHead];
        waiting[waitHead] = null;
        waitHead = (waitHead + 1) % waiting.length;
        waitCount--;
        t.assigned = c;
        return true;
      }
      t.assigned = null;
      free[t.cpu][freeCount[t.cpu]++] = t;
      return false;
    } finally {
      unlock();
    }
  }

  /** The exit path: answer every call in service or waiting with {@code ESRCH}, refuse later ones. */
  private void serverKilled() {
    List<Call> stranded = new ArrayList<>();
    lock();
    try {
      dead = true;
      while (waitCount > 0) {
        stranded.add(waiting[waitHead]);
        waiting[waitHead] = null;
        waitHead = (waitHead + 1) % waiting.length;
        waitCount--;
      }
    } finally {
      unlock();
    }
    for (ServerThread t : threads) {
      t.abandon();
    }
    for (Call c : stranded) {
      if (c.complete(Status.ESRCH)) {
        c.client.wake();
      }
    }
  }
}
