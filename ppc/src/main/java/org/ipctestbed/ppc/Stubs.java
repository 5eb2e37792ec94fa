package org.ipctestbed.ppc;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * The code K42's stub compiler generates around a PPC (research/k42.md 1.2 steps 1 and 6, 1.3 step
 * 4; {@code tools/build/shared/stubgen}): on the client, the Stub that marshals the in-arguments into
 * the CPU's {@link PpcPage} ({@code ENOSPC} on overflow, before any trap) and copies the
 * out-arguments back; on the server, the X-object entry ({@code PPCServerOnThread} with the generated
 * X-object) that unmarshals, resets the page "for security", checks XHandle, method, sequence number
 * and rights ({@code EPERM}), invokes the method and marshals the reply. One per {@link PpcKernel};
 * the kernel's trap paths (exception level) stay in {@link PpcKernel}, the dispatcher's user side in
 * {@link Dispatcher}. Nothing here allocates.
 */
final class Stubs {
  /** An invalid request (bad XHandle, method, sequence number or rights). */
  static final int INVALID = Integer.MIN_VALUE;

  private final PpcKernel kernel;

  Stubs(PpcKernel kernel) {
    this.kernel = kernel;
  }

  /**
   * The stub's marshalling: {@code m}'s payload into the page of {@code t}'s CPU, charged to {@code t};
   * {@link Status#ENOSPC} with nothing written beyond {@link PpcPage#LENGTH_MAX}.
   */
  int marshal(PpcThread t, IpcMessage m) {
    int len = m.length();
    if (len > PpcPage.LENGTH_MAX) {
      return Status.ENOSPC;
    }
    PpcPage page = kernel.page(t.dispatcher.cpuIndex);
    int copied = page.claim(t);
    page.write(m.payload(), len);
    t.fiber.charge(Cost.COPY_PER_BYTE, len + copied);
    return Status.OK;
  }

  /**
   * {@code PPCClientCore_Continue}: the stub copies the reply's out-arguments from the page into
   * {@code out} (its payload, op and words; {@code out.status} is set) and resets the page.
   *
   * @return {@code rc}, or {@link Status#ENOSPC} when the reply is larger than {@code out}
   */
  int unmarshalReply(PpcThread t, PpcPage page, IpcMessage out, int rc) {
    Fiber self = t.fiber;
    PpcKernel.reclaim(self, page, t);
    int n = page.length();
    if (n > out.capacity()) {
      page.reset();
      out.length(0);
      out.status(Status.ENOSPC);
      return Status.ENOSPC;
    }
    page.readInto(out);
    t.reply.storeInto(out);
    out.status(rc);
    page.reset();
    self.charge(Cost.COPY_PER_BYTE, n);
    return rc;
  }

  /** {@code PPCServerOnThread} and the X-object: unmarshal, check, invoke, marshal the reply. */
  int serve(ServerThread s, Fiber self) {
    PpcCpu pc = kernel.cpu(s.dispatcher.cpuIndex);
    PpcPage page = pc.page;
    Process sp = s.dispatcher.process.process();
    if (!sp.isKernel()) {
      if (s.remote || pc.space != sp) {
        self.charge(Cost.ADDRESS_SPACE_SWITCH); // the kernel switched into this address space
      }
      pc.space = sp;
    }
    PpcKernel.reclaim(self, page, s);
    int n = page.length();
    page.readInto(s.args);
    s.in.storeInto(s.args);
    s.args.status(0);
    page.reset(); // "for security": the page is free, the method may block
    self.charge(Cost.COPY_PER_BYTE, n);
    s.result.clear();
    int rc = invoke(s.dispatcher.process, s.in.xhandle, s.in.method, s.in.callerId, self, s.args, s.result);
    if (rc == INVALID) {
      rc = Status.EPERM;
      s.result.clear();
    }
    int len = s.result.length();
    int copied = page.claim(s);
    page.write(s.result.payload(), len);
    s.regs.loadResult(s.result, rc);
    self.charge(Cost.COPY_PER_BYTE, len + copied);
    return rc;
  }

  /**
   * Validates XHandle index, method number and sequence number (all {@code EPERM} in {@code
   * PPCServerOnThread}) and the rights of {@code badge}, then runs the method; {@link #INVALID} when a
   * check fails (the method is not invoked).
   */
  int invoke(PpcProcess proc, long xhandle, int method, long badge, Fiber self, IpcMessage args, IpcMessage result) {
    PpcProcess.Entry[] table = proc.xtable();
    int idx = XHandle.index(xhandle);
    if (idx >= table.length) {
      return INVALID;
    }
    PpcProcess.Entry e = table[idx];
    XObject x = e.object();
    if (x == null || method < 0 || method >= x.methodCount() || XHandle.seq(xhandle) != e.seq()) {
      return INVALID;
    }
    if (!x.allowed(badge, method)) {
      return INVALID;
    }
    return x.method(method).invoke(self, badge, args, result);
  }
}
