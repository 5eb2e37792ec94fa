package org.ipctestbed.experiments.workload;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ipctestbed.ipc.IpcProvider;
import org.ipctestbed.substrate.Cost;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.MachineConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12: a server whose one object every CPU updates stops scaling on that object's cache line; a
 * server replicated per CPU scales (the reason Tornado and K42 built clustered objects,
 * research/k42.md 1.7).
 */
class ServerObjectScalingTest {
  private static double throughput(String ipc, int cpus, String layout, long[] contentionNs) {
    Machine m = Machine.create(MachineConfig.builder().cpus(cpus).seed(5).build());
    RecordingMeasurements sink = new RecordingMeasurements();
    ManyClientsWorkload w = new ManyClientsWorkload();
    w.install(m, IpcProvider.named(ipc).install(m), WorkloadParams.of(w, Map.of("clients", Integer.toString(cpus),
        "server-cpus", Integer.toString(cpus), "server-state", layout, "ops", "2000", "warmup", "20")), sink);
    long elapsed = m.run();
    contentionNs[0] = m.ledger().costNs(Cost.CONTENTION_WAIT) + m.ledger().costNs(Cost.CACHE_LINE_TRANSFER);
    // Measured calls over the measured window (from the warm-up barrier): 2000 calls per client keep
    // the window long against the barrier's skew (a poll and a dispatch) even for direct-call.
    return sink.count("ops") * 1e9 / (elapsed - sink.windowStartNs());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ppc", "lwkt", "direct-call"})
  void aSharedServerObjectStopsScalingWhereReplicasPerCpuGoOn(String ipc) {
    long[] c = new long[1];
    double shared1 = throughput(ipc, 1, "shared", c);
    double shared32 = throughput(ipc, 32, "shared", c);
    long sharedContention = c[0];
    double replicas32 = throughput(ipc, 32, "per-cpu", c);
    long replicaContention = c[0];
    assertTrue(replicas32 > 24 * shared1, ipc + ": replicas should scale near linearly: " + replicas32 + " vs " + shared1);
    assertTrue(replicas32 > 1.2 * shared32, ipc + ": the shared object should cost scaling: " + shared32 + " vs " + replicas32);
    assertTrue(sharedContention > 10 * Math.max(1, replicaContention),
        ipc + ": contention time shared " + sharedContention + " vs replicas " + replicaContention);
  }

  @ParameterizedTest
  @ValueSource(strings = {"global", ""})
  void anUnknownLayoutNamesTheAllowedOnes(String bad) {
    Machine m = Machine.create(MachineConfig.builder().cpus(2).build());
    ManyClientsWorkload w = new ManyClientsWorkload();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> w.install(m, IpcProvider.named("ppc").install(m), WorkloadParams.of(w, Map.of("server-state", bad)), new RecordingMeasurements()));
    assertTrue(e.getMessage().contains("none, shared, per-cpu"), e.getMessage());
  }
}
