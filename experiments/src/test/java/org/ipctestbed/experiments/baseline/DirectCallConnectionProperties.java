package org.ipctestbed.experiments.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.ipctestbed.substrate.Process;

/**
 * The lower bound's connection as a state machine, against a model: any interleaving of sends,
 * receives and calls keeps completions in send order, answers {@code EBUSY} exactly when {@value
 * DirectCallConnection#COMPLETION_CAPACITY} completions are waiting, {@code EWOULDBLOCK} exactly
 * when none is, and never lets a call disturb the completion queue.
 */
class DirectCallConnectionProperties {
  private static final int SEND = 0;
  private static final int RECEIVE = 1;
  private static final int CALL = 2;

  @Property(tries = 150)
  void anyInterleavingOfSendsReceivesAndCallsMatchesTheModel(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 2) Integer> actions,
      @ForAll @IntRange(min = 0, max = 5) int sendBias) {
    Machine m = Machine.create(MachineConfig.builder().cpus(1).engine("sim").build());
    IpcSystem ipc = new DirectCallProvider().install(m);
    Service s =
        ipc.export(m.newProcess("server"), ServiceSpec.on("echo", 0), (self, req, rep) -> {
          rep.word(0, req.word(0)).length(0);
          return (int) (req.word(0) % 3 == 0 ? Status.EPERM : Status.OK);
        });
    Process client = m.newProcess("client-0");
    Connection c = ipc.connect(client, 0, s);
    IpcMessage req = new IpcMessage(16);
    IpcMessage out = new IpcMessage(16);
    client.spawn("client-0", 0, self -> {
      ArrayDeque<Long> waiting = new ArrayDeque<>();
      long seq = 0;
      for (int step = 0; step < actions.size(); step++) {
        int a = actions.get(step);
        // Bias towards sends so that the queue also reaches its capacity.
        if (a == RECEIVE && step % 6 < sendBias) {
          a = SEND;
        }
        switch (a) {
          case SEND -> {
            req.word(0, seq);
            int st = c.send(self, req);
            if (waiting.size() == DirectCallConnection.COMPLETION_CAPACITY) {
              assertEquals(Status.EBUSY, st, "send with a full completion queue");
            } else {
              assertEquals(Status.OK, st, "send with room");
              waiting.addLast(seq);
            }
            seq++;
          }
          case RECEIVE -> {
            int st = c.receive(self, out, step % 2 == 0);
            if (waiting.isEmpty()) {
              assertEquals(Status.EWOULDBLOCK, st, "receive with nothing waiting");
            } else {
              assertEquals(Status.OK, st, "receive with completions waiting");
              long expected = waiting.removeFirst();
              assertEquals(expected, out.word(0), "completions come back in send order");
              assertEquals(expected % 3 == 0 ? Status.EPERM : Status.OK, out.status(), "completion status");
            }
          }
          default -> {
            req.word(0, 1_000_000 + step);
            int st = c.call(self, req, out);
            assertEquals((1_000_000 + step) % 3 == 0 ? Status.EPERM : Status.OK, st, "call status");
            assertEquals(1_000_000 + step, out.word(0), "call reply");
          }
        }
      }
    });
    m.run();
  }
}
