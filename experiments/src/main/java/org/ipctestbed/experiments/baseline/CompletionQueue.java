package org.ipctestbed.experiments.baseline;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;

/**
 * The completions of one connection's one-way sends, waiting for {@code receive}: a bounded FIFO ring
 * of preallocated messages (the reply-port queue of research/lwkt.md 2, reduced to what the lower
 * bound needs). Single-fiber: only the connection's client fiber touches it, so it needs no atomic
 * operation. Allocation happens once, in the constructor.
 */
final class CompletionQueue {
  private final IpcMessage[] slots;
  private long head;
  private long tail;

  CompletionQueue(int capacity, int payloadCapacity) {
    slots = new IpcMessage[capacity];
    for (int i = 0; i < capacity; i++) {
      slots[i] = new IpcMessage(payloadCapacity);
    }
  }

  boolean isFull() {
    return tail - head == slots.length;
  }

  boolean isEmpty() {
    return tail == head;
  }

  int size() {
    return (int) (tail - head);
  }

  /**
   * Appends a copy of {@code reply} carrying {@code status}.
   *
   * @return {@link Status#OK}, {@link Status#EBUSY} if full, or {@link Status#ENOSPC} if the payload
   *     does not fit a slot; nothing is stored unless OK
   */
  int offer(IpcMessage reply, int status) {
    if (isFull()) {
      return Status.EBUSY;
    }
    IpcMessage slot = slots[(int) (tail % slots.length)];
    int st = slot.copyFrom(reply);
    if (st != Status.OK) {
      return st;
    }
    slot.status(status);
    tail++;
    return Status.OK;
  }

  /** Length of the oldest completion's payload; the queue must not be empty. */
  int headLength() {
    return slots[(int) (head % slots.length)].length();
  }

  /**
   * Moves the oldest completion into {@code into}.
   *
   * @return {@link Status#OK}, {@link Status#EWOULDBLOCK} if empty, or {@link Status#ENOSPC} (the
   *     completion stays queued) if {@code into} is too small for its payload
   */
  int poll(IpcMessage into) {
    if (isEmpty()) {
      return Status.EWOULDBLOCK;
    }
    int st = into.copyFrom(slots[(int) (head % slots.length)]);
    if (st != Status.OK) {
      return st;
    }
    head++;
    return Status.OK;
  }
}
