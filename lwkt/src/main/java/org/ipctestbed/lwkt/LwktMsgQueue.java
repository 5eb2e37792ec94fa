package org.ipctestbed.lwkt;

/**
 * A port's message queue: DragonFly's {@code TAILQ} of {@code lwkt_msg} linked through {@code
 * ms_node}. Intrusive (the links are fields of the message), so queueing allocates nothing and a
 * message can be removed from the middle in constant time ({@code dropmsg}, {@code waitmsg} pulling
 * a reply). A message records the queue it is on; inserting a message that is already on a queue is
 * refused (invariant 1).
 *
 * <p>Not thread-safe: guarded by its port's discipline (the owner's CPU, a spin lock, a serializer).
 */
public final class LwktMsgQueue {
  private final String name;
  private LwktMsg head;
  private LwktMsg tail;
  private int size;

  LwktMsgQueue(String name) {
    this.name = name;
  }

  void insertTail(LwktMsg m) {
    if (m.queue != null) {
      throw new MsgStateException(m, "queueing on " + name + " (already on " + m.queue.name + ")", m.flags());
    }
    m.queue = this;
    m.next = null;
    m.prev = tail;
    if (tail == null) {
      head = m;
    } else {
      tail.next = m;
    }
    tail = m;
    size++;
  }

  void remove(LwktMsg m) {
    if (m.queue != this) {
      throw new MsgStateException(m, "removal from " + name, m.flags());
    }
    if (m.prev == null) {
      head = m.next;
    } else {
      m.prev.next = m.next;
    }
    if (m.next == null) {
      tail = m.prev;
    } else {
      m.next.prev = m.prev;
    }
    m.next = null;
    m.prev = null;
    m.queue = null;
    size--;
  }

  /** The first message, not removed, or {@code null}. */
  LwktMsg first() {
    return head;
  }

  /** Number of messages on the queue. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return head == null;
  }

  /** Whether {@code m} is on this queue. */
  public boolean contains(LwktMsg m) {
    return m.queue == this;
  }

  @Override
  public String toString() {
    return name;
  }
}
