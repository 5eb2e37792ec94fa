package org.ipctestbed.ppc;

/**
 * A remote call or reply in flight between CPUs: a copy of the PPC page and the IPC registers posted
 * into the target dispatcher's single {@code pendingRemoteIPC} slot (research/k42.md 1.7; {@code
 * ExceptionLocal_IPCRemote}, {@code RemoteIPCBuffer}). As in K42 the buffer comes from the sending
 * CPU and goes back to it once the target CPU has copied it ({@code OldRemoteIPCBuffers}); buffers are
 * recycled through per-CPU lists, so steady-state remote PPC allocates nothing.
 */
final class RemoteIPCBuffer {
  static final int CALL = 1;
  static final int RTN = 2;

  final int sourceCpu;
  final byte[] data = new byte[PpcPage.LENGTH_MAX];
  final PpcRegisters regs = new PpcRegisters();
  int type;
  int length;
  /** The sender's CommID, written by the kernel (the badge). */
  long callerId;
  long threadId;
  RemoteIPCBuffer next;

  RemoteIPCBuffer(int sourceCpu) {
    this.sourceCpu = sourceCpu;
  }

  void fill(int type, long callerId, long threadId, PpcRegisters r, PpcPage page) {
    this.type = type;
    this.callerId = callerId;
    this.threadId = threadId;
    regs.copyFrom(r);
    length = page.length();
    System.arraycopy(page.data(), 0, data, 0, length);
  }
}
