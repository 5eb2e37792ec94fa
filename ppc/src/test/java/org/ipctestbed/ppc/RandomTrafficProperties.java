package org.ipctestbed.ppc;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * Random programs on the simulated engine: servers placed on random CPUs whose methods work, block
 * and call further servers; clients on random CPUs mixing calls and async sends; an urgent process
 * that preempts at random instants. Whatever the mix: every call gets its own correct reply exactly
 * once (invariant 4), accepted async messages are handled once, the ledger accounts for every
 * nanosecond, and every PPC page ends empty (invariant 14).
 */
class RandomTrafficProperties {
  private static final int SERVERS = 3;

  @Property(tries = 40)
  void everyCallIsAnsweredOnceAndTheBooksBalance(
      @ForAll @IntRange(min = 1, max = 3) int cpus, @ForAll long seed, @ForAll boolean upcall) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Machine m = Rig.machine(Rig.sim(cpus).costModel("modern-x86").seed(seed));
    PpcKernel k = PpcKernel.install(m, PpcConfig.DEFAULT.withUpcall(upcall).withAsyncBufferWords(40));
    AtomicInteger invocations = new AtomicInteger();
    AtomicInteger asyncHandled = new AtomicInteger();
    ObjectHandle[] handles = new ObjectHandle[SERVERS];
    for (int i = SERVERS - 1; i >= 0; i--) {
      PpcProcess sp = k.process(m.newProcess("server" + i, 3 + rnd.nextInt(3), 1 + rnd.nextInt(2048)));
      sp.createDispatcher(rnd.nextInt(cpus));
      for (int c = 0; c < cpus; c++) {
        if (sp.dispatcherOn(c) == null && rnd.nextBoolean()) {
          sp.createDispatcher(c);
        }
      }
      ObjectHandle next = i + 1 < SERVERS ? handles[i + 1] : null;
      long blockNs = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(30_000);
      handles[i] = sp.handle(sp.export(XObject.builder("s" + i)
          .method((self, caller, in, out) -> {
            invocations.incrementAndGet();
            self.work(in.word(1));
            if (blockNs > 0) {
              self.sleep(blockNs);
            }
            long v = in.word(0) + 1;
            if (next != null && (in.word(0) & 1) == 0) {
              IpcMessage down = new IpcMessage(64);
              int rc = sp.attach(self).call(next, 0, in, down);
              if (rc != Status.OK) {
                return rc;
              }
              v = down.word(0) + 1;
            }
            out.word(0, v);
            return Status.OK;
          })
          .method((self, caller, in, out) -> {
            asyncHandled.incrementAndGet();
            self.work(in.length() * 10L);
            return Status.OK;
          })
          .build()));
    }
    int clients = 1 + rnd.nextInt(4);
    int callsEach = 5 + rnd.nextInt(20);
    int[] wrong = new int[1];
    int[] accepted = new int[1];
    int[] calls = new int[1];
    for (int c = 0; c < clients; c++) {
      PpcProcess cp = k.process(m.newProcess("client" + c, 3 + rnd.nextInt(3), 1 + rnd.nextInt(2048)));
      int cpu = rnd.nextInt(cpus);
      cp.createDispatcher(cpu);
      long stream = rnd.nextLong();
      cp.spawn("c" + c, cpu, t -> {
        SplittableRandom r = new SplittableRandom(stream);
        IpcMessage in = new IpcMessage(64);
        IpcMessage out = new IpcMessage(64);
        for (int i = 0; i < callsEach; i++) {
          int target = r.nextInt(SERVERS);
          long x = r.nextInt(1000);
          in.word(0, x).word(1, r.nextInt(20_000)).length(r.nextInt(49));
          if (r.nextInt(4) == 0) {
            int rc = t.sendAsync(handles[target], 1, in); // not inside "+=": the call may yield
            accepted[0] += rc == Status.OK ? 1 : 0;
            continue;
          }
          calls[0]++;
          int rc = t.call(handles[target], 0, in, out);
          if (rc != Status.OK || out.word(0) != expected(target, x)) {
            wrong[0]++;
          }
        }
        t.fiber().sleep(5_000_000); // let async handlers drain
      });
    }
    Process urgent = m.newProcess("urgent", 2, 1024);
    long wakeEvery = 5_000 + rnd.nextInt(50_000);
    urgent.spawn("u", rnd.nextInt(cpus), self -> {
      for (int i = 0; i < 20; i++) {
        self.sleep(wakeEvery);
        self.work(2_000);
      }
    });
    m.run();
    if (wrong[0] != 0) {
      throw new AssertionError(wrong[0] + " wrong replies; " + k.stats());
    }
    if (accepted[0] != asyncHandled.get()) {
      throw new AssertionError("accepted " + accepted[0] + " async, handled " + asyncHandled.get());
    }
    if (m.ledger().identityError() != 0) {
      throw new AssertionError("ledger identity error " + m.ledger().identityError());
    }
    for (int c = 0; c < cpus; c++) {
      if (!k.page(c).isEmpty()) {
        throw new AssertionError("PPC page of CPU " + c + " not empty");
      }
    }
    if (invocations.get() < calls[0]) {
      throw new AssertionError("fewer invocations than calls");
    }
  }

  /** Server i adds 1 and, for an even argument, calls server i + 1 with the same argument. */
  private static long expected(int server, long x) {
    int last = (x & 1) == 0 ? SERVERS - 1 : server;
    return x + (last - server + 1);
  }
}
