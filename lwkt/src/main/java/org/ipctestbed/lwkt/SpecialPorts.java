package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Fiber;

/**
 * The ports without an owner (DragonFly {@code lwkt_msgport.c}, "PANIC AND SPECIAL PORT FUNCTIONS";
 * research/lwkt.md section 3): reply-only null, reply-only with a function, put-only with a function,
 * and panic. What the table marks illegal is inherited from {@link LwktPort}'s panic defaults.
 */
final class SpecialPorts {
  private SpecialPorts() {}

  /** {@code lwkt_initport_replyonly_null}: {@code lwkt_null_replyport} marks DONE|REPLY, nothing else. */
  static final class ReplyOnlyNull extends LwktPort {
    ReplyOnlyNull(String name) {
      super(name);
    }

    @Override
    void replyport(Fiber self, LwktMsg msg) {
      Lwkt.nullReply(msg);
    }

    @Override
    public String kind() {
      return "reply-only null port";
    }
  }

  /** {@code lwkt_initport_replyonly(fn)}: a reply calls the user's function. */
  static final class ReplyOnly extends LwktPort {
    private final ReplyFunction fn;

    ReplyOnly(String name, ReplyFunction fn) {
      super(name);
      this.fn = java.util.Objects.requireNonNull(fn, "reply function");
    }

    @Override
    void replyport(Fiber self, LwktMsg msg) {
      fn.reply(self, this, msg);
    }

    @Override
    public String kind() {
      return "reply-only port";
    }
  }

  /** {@code lwkt_initport_putonly(fn)}: a put calls the user's function in the sender's context. */
  static final class PutOnly extends LwktPort {
    private final PutFunction fn;

    PutOnly(String name, PutFunction fn) {
      super(name);
      this.fn = java.util.Objects.requireNonNull(fn, "put function");
    }

    @Override
    int putport(Fiber self, LwktMsg msg) {
      msg.targetPort = this;
      return fn.put(self, this, msg);
    }

    @Override
    void checkPut(Fiber self, LwktMsg msg) {
      // Any thread may put; the function decides.
    }

    @Override
    public String kind() {
      return "put-only port";
    }
  }

  /** {@code lwkt_initport_panic}: every vector panics. */
  static final class Panic extends LwktPort {
    Panic(String name) {
      super(name);
    }

    @Override
    public String kind() {
      return "panic port";
    }
  }
}
