package org.ipctestbed.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PPC to the kernel process (k42.md 1.1: "almost every kernel service is an object exported by the
 * kernel process and reached by ordinary PPC"; 3.3 item 4) changes no address space: K42's kernel is
 * mapped in every address space, so it serves on the caller's page tables, and the caller returns to
 * them with no switch. A user server still pays one switch in and one back.
 */
class KernelProcessCallTest {
  private static final int CALLS = 10;

  /**
   * Address-space switches per call from a user client, to a kernel or user server that may call a
   * user server in turn: the switches of a run of {@code 2 × CALLS} calls less those of a run of
   * {@code CALLS}, so that the dispatches at start-up cancel out.
   */
  private static long switchesPerCall(String engine, boolean kernelServer, boolean nestedUserServer) {
    long d = switches(engine, kernelServer, nestedUserServer, 2 * CALLS) - switches(engine, kernelServer, nestedUserServer, CALLS);
    assertEquals(0, d % CALLS, "a whole number of switches per call: " + d);
    return d / CALLS;
  }

  private static long switches(String engine, boolean kernelServer, boolean nestedUserServer, int calls) {
    Machine m = Rig.machine(Rig.of(engine, 1));
    PpcKernel k = PpcKernel.install(m);
    Process inner = m.newProcess("inner");
    PpcProcess innerP = Rig.ppc(k, inner, 0);
    ObjectHandle innerOh = innerP.handle(innerP.export(Rig.echo()));
    Process sp = kernelServer ? m.newKernelProcess("kernel", 2, 1024) : m.newProcess("server");
    PpcProcess server = Rig.ppc(k, sp, 0);
    ObjectHandle oh = server.handle(server.export(XObject.builder("svc").method((self, caller, in, out) -> {
      if (nestedUserServer) {
        int rc = server.attach(self).call(innerOh, 0, in, out);
        if (rc != Status.OK) {
          return rc;
        }
      }
      out.copyFrom(in);
      return Status.OK;
    }).build()));
    Process cp = m.newProcess("client");
    PpcProcess client = Rig.ppc(k, cp, 0);
    int[] ok = {0};
    client.spawn("c", 0, t -> {
      for (int i = 0; i < calls; i++) {
        if (t.call(oh, 0, Rig.msg(), Rig.msg()) == Status.OK) {
          ok[0]++;
        }
      }
    });
    m.run();
    assertEquals(calls, ok[0]);
    return m.ledger().costCount(Cost.ADDRESS_SPACE_SWITCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aCallToTheKernelProcessChargesNoAddressSpaceSwitch(String engine) {
    assertEquals(0, switchesPerCall(engine, true, false));
    assertEquals(2, switchesPerCall(engine, false, false), "a user server: one switch in, one back");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim", "real"})
  void aUserServerCalledFromTheKernelProcessStillCostsTheCallerTheSwitchBack(String engine) {
    // client -> kernel -> inner: into inner's space, and the client's back; the kernel runs on both.
    assertEquals(2, switchesPerCall(engine, true, true));
    // client -> server -> inner: into the server, into inner, back to the server, back to the client.
    assertEquals(4, switchesPerCall(engine, false, true));
  }
}
