package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;

/**
 * The IPC registers of one PPC (research/k42.md 1.2 steps 2–3): XHandle (r3), method number (r10),
 * the caller's CommID written by the kernel (r14, the badge), the caller's thread ID (r15), the
 * return code, and the message's operation code and eight inline words, which model the argument
 * registers K42 keeps intact across the switch. Marshalled bytes travel in the {@link PpcPage}.
 *
 * <p>Mutable and preallocated per thread; copied, never shared, so nothing is allocated per call.
 */
final class PpcRegisters {
  long xhandle;
  int method;
  long callerId;
  long threadId;
  int rc;
  int op;
  final long[] words = new long[IpcMessage.WORDS];

  void load(long xhandle, int method, IpcMessage m) {
    this.xhandle = xhandle;
    this.method = method;
    this.op = m.op();
    for (int i = 0; i < IpcMessage.WORDS; i++) {
      words[i] = m.word(i);
    }
  }

  void loadResult(IpcMessage m, int rc) {
    this.rc = rc;
    this.op = m.op();
    for (int i = 0; i < IpcMessage.WORDS; i++) {
      words[i] = m.word(i);
    }
  }

  /** Writes op and words into {@code m} (not its payload, not its status). */
  void storeInto(IpcMessage m) {
    m.op(op);
    for (int i = 0; i < IpcMessage.WORDS; i++) {
      m.word(i, words[i]);
    }
  }

  /** An empty result carrying {@code rc} (an error reply). */
  void clearResult(int rc) {
    this.rc = rc;
    this.op = 0;
    java.util.Arrays.fill(words, 0);
  }

  void copyFrom(PpcRegisters o) {
    xhandle = o.xhandle;
    method = o.method;
    callerId = o.callerId;
    threadId = o.threadId;
    rc = o.rc;
    op = o.op;
    System.arraycopy(o.words, 0, words, 0, words.length);
  }
}
