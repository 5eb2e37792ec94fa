package org.ipctestbed.lwkt;

import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Cpu;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.FiberState;

/**
 * A port owned by one thread: DragonFly's thread port back-end ({@code lwkt_initport_thread},
 * {@code lwkt_thread_putport/replyport/getport/waitmsg/waitport/dropmsg} and their {@code _remote}
 * IPI halves; research/lwkt.md section 3, "thread port"). The optimised case: no lock at all,
 * because only the owner's CPU ever touches the queues.
 *
 * <ul>
 *   <li><b>put</b> from the owner's CPU queues the message at once; from another CPU it marks the
 *       message {@code INTRANSIT} and posts the message's own IPI request to the owner's CPU, whose
 *       handler queues it there (invariant 8). Either way the put returns {@code EASYNC}.
 *   <li><b>reply</b> ({@code SYNC}): on the reply port owner's CPU, set {@code DONE|REPLY}; from
 *       elsewhere set {@code REPLY|INTRANSIT} and IPI the owner's CPU, which sets {@code DONE}. An
 *       asynchronous reply is queued on the port with {@code DONE|REPLY}, through an IPI if remote.
 *   <li>put and reply <b>schedule the owner</b> only if it sleeps on the port ({@code
 *       MSGPORTF_WAITING}); scheduling a thread that is already runnable does nothing (invariant 13).
 *   <li>get, wait and drop are the owner's only (invariant 9).
 * </ul>
 *
 * <p>The owner: DragonFly embeds a thread's port in the thread ({@code td_msgport}) and initialises it
 * before the thread runs. Here a port is made for a CPU and bound to its owner fiber either at once
 * ({@link #ThreadPort(Fiber)}, from inside the fiber) or by the fiber's first statement ({@link
 * #bindOwner}); until then puts queue normally and nobody can get. {@link #of(Fiber)} is the
 * thread's own port ({@code td_msgport}), made on first use. Fibers never migrate in the substrate,
 * so the original's re-post that chases a migrated owner is not needed.
 *
 * <p>Owner death (invariant 20): when the owner's process is killed, the port's {@link ExitPath}
 * inherits it and completes with {@link Lwkt#ESRCH} every message the owner held in service (pulled,
 * not yet replied), every message queued, and every message still arriving; a put made after the
 * death completes with {@code ESRCH} at once, in the sender's context. So every {@code domsg}
 * waiting on such a message returns. A thread that merely returns while its process lives is not a
 * death here (its port stays as it is).
 *
 * <p>A put or reply of a message marked {@code NORESCHED} wakes the owner without preempting the
 * running thread (invariant 18). The work an IPI handler does on the owner's CPU is paid by that CPU
 * as {@link Cost#INTERRUPT} and {@code IPI_REQUEST} (the substrate's IPI queues).
 *
 * <p>Differences: The substrate has no signals, so the
 * signal that interrupts a {@link Lwkt#PCATCH} wait ({@code lwkt_sleep} returning an error) is posted
 * to the port with {@link #signal()}: a thread's port stands for the thread, as {@code td_msgport}
 * is part of it.
 */
public final class ThreadPort extends LwktPort {
  private final Cpu cpu;
  private volatile Fiber owner;
  private volatile boolean signalPending;
  private volatile boolean ownerDead;
  /** Messages pulled by the owner and not yet replied or forwarded (linked through the message). */
  private LwktMsg held;
  private final SpinLock heldLock = new SpinLock();

  // Statistics, written on the owner's CPU only.
  long localPuts;
  long remotePuts;
  long schedules;
  long sleeps;
  int lastQueueingCpu = -1;

  /** A port owned by {@code owner} (call it from inside the owner, or before the machine runs). */
  public ThreadPort(Fiber owner) {
    this(owner.cpu(), owner.name() + ".msgport");
    this.owner = owner;
    watchOwner(owner);
  }

  /**
   * The thread's own port ({@code td_msgport}): every thread has one, made on first use and kept with
   * the thread. Call from inside {@code self}.
   */
  public static ThreadPort of(Fiber self) {
    Object a = self.attachment();
    if (a instanceof ThreadPort p) {
      return p;
    }
    ThreadPort p = new ThreadPort(self);
    self.attach(p);
    return p;
  }

  /** A port for a thread of CPU {@code cpu}, bound later by {@link #bindOwner}. */
  public ThreadPort(Cpu cpu, String name) {
    super(name);
    this.cpu = java.util.Objects.requireNonNull(cpu, "cpu");
  }

  /**
   * Makes {@code self} the owner. Called by the owner itself, or by an exit-path thread inheriting
   * the port of an owner whose process has been killed (to answer what is left on it).
   *
   * @throws PortException if {@code self} runs on another CPU or another fiber owns the port
   */
  public void bindOwner(Fiber self) {
    if (self.cpu() != cpu) {
      throw new PortException("fiber '" + self.name() + "' on " + self.cpu() + " cannot own " + this + " of " + cpu);
    }
    Fiber o = owner;
    if (o != null && o != self && o.process().isAlive()) {
      throw new PortException(this + " is already owned by fiber '" + o.name() + "'");
    }
    owner = self; // a dead owner's port may be inherited by an exit path on the same CPU
    if (o == null || o.process() != self.process()) {
      watchOwner(self);
    }
  }

  // ------------------------------------------------------------------ owner death (invariant 20)

  private void watchOwner(Fiber f) {
    f.process().onKill(this::ownerDied);
  }

  /**
   * The owner's process was killed (in the killer's context): from now on a put answers {@link
   * Lwkt#ESRCH} at once, and an exit-path thread on the port's CPU inherits the port and replies
   * {@code ESRCH} to the messages the owner held in service, those queued and those still arriving.
   */
  private void ownerDied() {
    Fiber o = owner;
    if (o == null || o.process().isAlive() || ownerDead) {
      return;
    }
    ownerDead = true;
    ExitPath.start(this);
  }

  /** Whether the owner's process has died (its exit path answers the port from then on). */
  public boolean ownerDead() {
    return ownerDead;
  }

  /** A message pulled by the owner is held in service until it is replied or forwarded. */
  private void hold(LwktMsg m) {
    heldLock.lock();
    m.heldBy = this;
    m.heldPrev = null;
    m.heldNext = held;
    if (held != null) {
      held.heldPrev = m;
    }
    held = m;
    heldLock.unlock();
  }

  /** Forgets {@code m} as held in service, if a thread port holds it (replymsg, forwardmsg). */
  static void release(LwktMsg m) {
    ThreadPort p = m.heldBy;
    if (p == null) {
      return;
    }
    p.heldLock.lock();
    if (m.heldBy == p) {
      if (m.heldPrev == null) {
        p.held = m.heldNext;
      } else {
        m.heldPrev.heldNext = m.heldNext;
      }
      if (m.heldNext != null) {
        m.heldNext.heldPrev = m.heldPrev;
      }
      m.heldBy = null;
      m.heldNext = null;
      m.heldPrev = null;
    }
    p.heldLock.unlock();
  }

  /** A message the owner pulled and has not replied yet, or {@code null}. */
  LwktMsg firstHeld() {
    heldLock.lock();
    LwktMsg m = held;
    heldLock.unlock();
    return m;
  }

  /** The owning fiber, or {@code null} before {@link #bindOwner}. */
  public Fiber owner() {
    return owner;
  }

  /** The CPU of the owner: where the queues live. */
  public Cpu cpu() {
    return cpu;
  }

  @Override
  public String kind() {
    return "thread port";
  }

  private void checkOwner(Fiber self, String op) {
    if (owner != self) {
      Fiber o = owner;
      throw new PortException(
          op + " on " + this + " by fiber '" + (self == null ? "?" : self.name()) + "': only its owner "
              + (o == null ? "(none bound yet)" : "'" + o.name() + "'") + " may " + op);
    }
  }

  /**
   * Posts a signal to the owner thread: its next (or current) {@link Lwkt#PCATCH} wait on this port
   * is interrupted. Callable from any fiber on any CPU; the owner is woken (through an IPI if remote).
   */
  public void signal() {
    signalPending = true;
    Fiber o = owner;
    if (o != null) {
      o.wake();
    }
  }

  /** Whether a signal is pending; consumed by an interruptible wait. */
  public boolean signalPending() {
    return signalPending;
  }

  /** {@code lwkt_sleep(..., PCATCH)} returning an error: takes a pending signal if the wait is interruptible. */
  private boolean takeSignal(int flags) {
    if ((flags & Lwkt.PCATCH) != 0 && signalPending) {
      signalPending = false;
      return true;
    }
    return false;
  }

  /**
   * {@code _lwkt_schedule_msg}: wake the owner if it sleeps on this port; on the owner's CPU. A
   * message marked {@code NORESCHED} wakes it without preempting the running thread (invariant 18).
   */
  private void scheduleIfWaiting(LwktMsg msg) {
    if ((portFlags & MSGPORTF_WAITING) != 0) {
      Fiber td = owner;
      if (td != null && td.state() == FiberState.BLOCKED) {
        schedules++;
        if (msg.has(MsgFlags.NORESCHED)) {
          td.wakeNoResched();
        } else {
          td.wake();
        }
      }
    }
  }

  // ------------------------------------------------------------------ put

  @Override
  void checkPut(Fiber self, LwktMsg msg) {
    // Any thread may put to a thread port.
  }

  @Override
  void checkWait(Fiber self, LwktMsg msg) {
    checkWaitable(msg);
    checkOwner(self, "waitmsg");
  }

  @Override
  int putport(Fiber self, LwktMsg msg) {
    if (ownerDead) {
      msg.check(MsgTransition.COMPLETE);
      msg.targetPort = this;
      return Lwkt.ESRCH; // the sender completes it: sendmsg replies it, domsg returns the error
    }
    if (Cpu.current() == cpu) {
      msg.check(MsgTransition.PUSH);
      self.charge(Cost.QUEUE_OP);
      msg.targetPort = this;
      push(msg, MsgTransition.PUSH);
      localPuts++;
      lastQueueingCpu = cpu.index();
      scheduleIfWaiting(msg);
    } else {
      msg.check(MsgTransition.PUT_DEPART);
      self.chargeIpiSend(cpu.index());
      msg.targetPort = this;
      msg.apply(MsgTransition.PUT_DEPART);
      cpu.post(msg.putIpi);
    }
    return Lwkt.EASYNC;
  }

  /** {@code lwkt_thread_putport_remote}: runs on the owner's CPU at interrupt level. */
  static void putportRemote(LwktMsg msg, Cpu on) {
    ThreadPort port = (ThreadPort) msg.targetPort;
    port.push(msg, MsgTransition.PUT_ARRIVE);
    port.remotePuts++;
    port.lastQueueingCpu = on.index();
    port.scheduleIfWaiting(msg);
  }

  // ------------------------------------------------------------------ reply

  @Override
  void replyport(Fiber self, LwktMsg msg) {
    boolean sync = msg.has(MsgFlags.SYNC);
    if (Cpu.current() == cpu) {
      if (sync) {
        msg.apply(MsgTransition.COMPLETE);
      } else {
        msg.check(MsgTransition.REPLY_QUEUE);
        if (self != null) {
          self.charge(Cost.QUEUE_OP);
        }
        push(msg, MsgTransition.REPLY_QUEUE);
      }
      scheduleIfWaiting(msg);
    } else {
      msg.check(MsgTransition.REPLY_DEPART);
      if (self != null) {
        self.chargeIpiSend(cpu.index());
      }
      msg.apply(MsgTransition.REPLY_DEPART);
      cpu.post(msg.replyIpi);
    }
  }

  /** {@code lwkt_thread_replyport_remote}: runs on the reply port owner's CPU at interrupt level. */
  static void replyportRemote(LwktMsg msg, Cpu on) {
    ThreadPort port = (ThreadPort) msg.replyPort;
    if (msg.has(MsgFlags.SYNC)) {
      msg.apply(MsgTransition.REPLY_ARRIVE_SYNC);
    } else {
      port.push(msg, MsgTransition.REPLY_ARRIVE_QUEUE);
    }
    port.scheduleIfWaiting(msg);
  }

  // ------------------------------------------------------------------ owner operations

  @Override
  LwktMsg getport(Fiber self) {
    checkOwner(self, "getport");
    LwktMsg m = pullNext(self);
    if (m != null && !m.has(MsgFlags.REPLY)) {
      hold(m);
    }
    return m;
  }

  @Override
  LwktMsg waitport(Fiber self, int flags) {
    checkOwner(self, "waitport");
    LwktMsg m;
    while ((m = poll()) == null) {
      if (takeSignal(flags)) {
        return null; // lwkt_thread_waitport: "if (error) goto done" with msg == NULL
      }
      portFlags |= MSGPORTF_WAITING;
      sleeps++;
      self.block("lwkt_waitport");
      portFlags &= ~MSGPORTF_WAITING;
    }
    pullAny(m);
    if (!m.has(MsgFlags.REPLY)) {
      hold(m);
    }
    self.charge(Cost.QUEUE_OP);
    return m;
  }

  @Override
  int waitmsg(Fiber self, LwktMsg msg, int flags) {
    checkWaitable(msg);
    if (!msg.has(MsgFlags.DONE)) {
      checkOwner(self, "waitmsg");
      boolean sentAbort = false;
      while (!msg.has(MsgFlags.DONE)) {
        if (!sentAbort && takeSignal(flags)) {
          // Interrupted: request an abort once, then keep waiting for the (single) reply.
          sentAbort = true;
          Lwkt.abortmsg(self, msg);
          continue;
        }
        portFlags |= MSGPORTF_WAITING;
        sleeps++;
        self.block("lwkt_waitmsg");
        portFlags &= ~MSGPORTF_WAITING;
      }
      if (msg.has(MsgFlags.QUEUED)) {
        pull(msg, MsgTransition.PULL_REPLY);
        self.charge(Cost.QUEUE_OP);
      }
    } else if (msg.has(MsgFlags.QUEUED)) {
      checkOwner(self, "waitmsg");
      pull(msg, MsgTransition.PULL_REPLY);
      self.charge(Cost.QUEUE_OP);
    }
    return msg.error;
  }

  @Override
  int dropmsg(Fiber self, LwktMsg msg) {
    checkOwner(self, "dropmsg");
    return dropIfQueuedRequest(msg);
  }

  // ------------------------------------------------------------------ statistics

  /** Puts queued directly by the owner's CPU (sender on the same CPU). */
  public long localPuts() {
    return localPuts;
  }

  /** Puts that arrived in an IPI and were queued by the owner's CPU. */
  public long remotePuts() {
    return remotePuts;
  }

  /** Times a put or reply made the sleeping owner runnable. */
  public long schedules() {
    return schedules;
  }

  /** Times the owner went to sleep on this port (in waitport or waitmsg). */
  public long sleeps() {
    return sleeps;
  }

  /** The CPU that queued the last request put here ({@code -1} before any). */
  public int lastQueueingCpu() {
    return lastQueueingCpu;
  }
}
