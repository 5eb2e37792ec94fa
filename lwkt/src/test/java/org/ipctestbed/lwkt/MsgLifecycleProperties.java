package org.ipctestbed.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ipctestbed.substrate.Machine;

/**
 * A property over random programs of LWKT operations on one message, checked against a model of the
 * state machine (research/lwkt.md sections 2 and 6): an operation the model forbids is refused and
 * changes nothing; one it allows leads to the model's next state; {@code QUEUED} is set exactly while
 * the message is on a queue (invariant 1); an abort function runs only on an abortable message that
 * is neither DONE nor REPLY (invariant 10); the message is replied at most once per send.
 */
class MsgLifecycleProperties {
  private static final int SEND = 0;
  private static final int GET_TARGET = 1;
  private static final int REPLY = 2;
  private static final int GET_REPLY = 3;
  private static final int DROP = 4;
  private static final int INIT = 5;
  private static final int ABORT = 6;
  private static final int WAIT_IF_DONE = 7;

  @Property(tries = 300)
  void everyProgramFollowsTheStateMachine(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 7) Integer> program) {
    Machine m = Machines.simZero(1);
    m.newProcess("p").spawn("t", 0, self -> {
      ThreadPort target = new ThreadPort(self);
      ThreadPort reply = new ThreadPort(m.cpu(0), "reply");
      reply.bindOwner(self);
      int[] aborts = new int[1];
      LwktMsg msg = new LwktMsg();
      Lwkt.initmsgAbortable(msg, reply, 0, (s, mm) -> aborts[0]++);
      MsgState model = MsgState.OWNED;
      int repliesThisSend = 0;
      for (int op : program) {
        int before = msg.flags();
        MsgState next = model;
        boolean legal = true;
        try {
          switch (op) {
            case SEND -> {
              legal = model == MsgState.OWNED;
              Lwkt.sendmsg(self, target, msg);
              next = MsgState.QUEUED;
              repliesThisSend = 0;
            }
            case GET_TARGET -> {
              LwktMsg got = Lwkt.getport(self, target);
              assertEquals(model == MsgState.QUEUED, got == msg);
              next = model == MsgState.QUEUED ? MsgState.IN_PROGRESS : model;
            }
            case REPLY -> {
              legal = model == MsgState.IN_PROGRESS;
              Lwkt.replymsg(self, msg, 0);
              repliesThisSend++;
              next = MsgState.REPLY_QUEUED;
            }
            case GET_REPLY -> {
              LwktMsg got = Lwkt.getport(self, reply);
              assertEquals(model == MsgState.REPLY_QUEUED, got == msg);
              next = model == MsgState.REPLY_QUEUED ? MsgState.OWNED : model;
            }
            case DROP -> {
              legal = false; // the message is not DROPABLE (invariant 16): refused in every state
              Lwkt.dropmsg(self, msg);
            }
            case INIT -> {
              legal = model == MsgState.OWNED;
              Lwkt.initmsgAbortable(msg, reply, 0, (s, mm) -> aborts[0]++);
            }
            case ABORT -> {
              int a = aborts[0];
              boolean called = Lwkt.abortmsg(self, msg);
              boolean expect = (before & (MsgFlags.DONE | MsgFlags.REPLY)) == 0;
              assertEquals(expect, called);
              assertEquals(a + (expect ? 1 : 0), aborts[0]);
            }
            case WAIT_IF_DONE -> {
              if (msg.has(MsgFlags.DONE)) {
                Lwkt.waitmsg(self, msg, 0);
                next = MsgState.OWNED;
              }
            }
            default -> throw new AssertionError(op);
          }
          assertTrue(legal, "op " + op + " should have been refused in " + model);
          model = next;
        } catch (MsgStateException e) {
          assertTrue(!legal, "op " + op + " refused in " + model + ": " + e.getMessage());
          assertEquals(before, msg.flags(), "a refused operation changes nothing");
        }
        assertEquals(model, msg.state(), "after op " + op);
        assertNotEquals(MsgState.CORRUPT, msg.state());
        assertEquals(msg.queue() != null, msg.has(MsgFlags.QUEUED));
        assertTrue(repliesThisSend <= 1);
      }
    });
    m.run();
  }
}
