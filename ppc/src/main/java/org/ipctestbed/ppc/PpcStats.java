package org.ipctestbed.ppc;

/**
 * Counters of PPC events, per CPU (written only on their CPU, plain fields) and summed by {@link
 * PpcKernel#stats()} once a run is over. Names follow research/k42.md: fast/slow returns (1.3),
 * refusals (1.6), remote calls and mailbox-full refusals (1.7), async deposits and {@code EBUSY} (2.5).
 */
public final class PpcStats {
  long localCalls;
  long upcalls;
  long handoffCalls;
  long refusals;
  long retries;
  long fastReturns;
  long slowReturns;
  long replyRefusals;
  long remoteCalls;
  long remoteReturns;
  long remoteRefusals;
  long enomem;
  long asyncDeposits;
  long asyncBusy;
  long asyncTooBig;
  long softPreemptions;
  long hardPreemptions;

  void add(PpcStats o) {
    localCalls += o.localCalls;
    upcalls += o.upcalls;
    handoffCalls += o.handoffCalls;
    refusals += o.refusals;
    retries += o.retries;
    fastReturns += o.fastReturns;
    slowReturns += o.slowReturns;
    replyRefusals += o.replyRefusals;
    remoteCalls += o.remoteCalls;
    remoteReturns += o.remoteReturns;
    remoteRefusals += o.remoteRefusals;
    enomem += o.enomem;
    asyncDeposits += o.asyncDeposits;
    asyncBusy += o.asyncBusy;
    asyncTooBig += o.asyncTooBig;
    softPreemptions += o.softPreemptions;
    hardPreemptions += o.hardPreemptions;
  }

  /** Local calls launched on the fast path (hand-off or upcall). */
  public long localCalls() {
    return localCalls;
  }

  /** Local calls served on the caller's stack. */
  public long upcalls() {
    return upcalls;
  }

  /** Local calls handed to a server thread's own stack (a thread that had never run). */
  public long handoffCalls() {
    return handoffCalls;
  }

  /** Calls refused with EAGAIN (target disabled), each parked and retried. */
  public long refusals() {
    return refusals;
  }

  /** Parked calls or replies re-issued after {@code IPC_RETRY_NOTIFY}. */
  public long retries() {
    return retries;
  }

  public long fastReturns() {
    return fastReturns;
  }

  public long slowReturns() {
    return slowReturns;
  }

  /** Replies refused because the caller's dispatcher was disabled (retried from the server side). */
  public long replyRefusals() {
    return replyRefusals;
  }

  public long remoteCalls() {
    return remoteCalls;
  }

  public long remoteReturns() {
    return remoteReturns;
  }

  /** Remote calls or replies that found the target's mailbox full (EAGAIN, retried). */
  public long remoteRefusals() {
    return remoteRefusals;
  }

  public long enomem() {
    return enomem;
  }

  public long asyncDeposits() {
    return asyncDeposits;
  }

  public long asyncBusy() {
    return asyncBusy;
  }

  public long asyncTooBig() {
    return asyncTooBig;
  }

  /** Soft preemptions honoured: a thread of a PPC process yielded at a safe point in time (k42.md 4.4). */
  public long softPreemptions() {
    return softPreemptions;
  }

  /** Hard preemptions: the kernel stopped a thread of a PPC process at its deadline and saved it. */
  public long hardPreemptions() {
    return hardPreemptions;
  }

  /** Calls refused because the target was disabled (hard-preempted, sending remotely, no entry point). */
  public long refusedWhileDisabled() {
    return refusals;
  }

  @Override
  public String toString() {
    return String.format(
        "PpcStats[local %d (upcall %d, hand-off %d), returns fast %d slow %d, refusals %d (reply %d), retries %d, "
            + "remote calls %d returns %d mailbox-full %d, enomem %d, async %d busy %d too-big %d, "
            + "preemptions soft %d hard %d]",
        localCalls, upcalls, handoffCalls, fastReturns, slowReturns, refusals, replyRefusals, retries,
        remoteCalls, remoteReturns, remoteRefusals, enomem, asyncDeposits, asyncBusy, asyncTooBig,
        softPreemptions, hardPreemptions);
  }
}
