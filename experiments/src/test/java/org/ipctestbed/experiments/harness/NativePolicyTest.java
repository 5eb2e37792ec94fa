package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.baseline.DirectCallProvider;
import org.ipctestbed.lwkt.spi.LwktProvider;
import org.ipctestbed.ppc.spi.PpcProvider;
import org.junit.jupiter.api.Test;

/** {@code --policy native}: each strategy on its own OS's scheduler. */
class NativePolicyTest {
  private static ExperimentSpec spec(String policy) {
    return new ExperimentSpec("null-rpc", List.of("ppc", "lwkt", "direct-call"), List.of("sim"), List.of(2), 1, 0, 1,
        Map.of(), "modern-x86", policy, Path.of("/tmp/unused"), "test");
  }

  @Test
  void nativeRunsEachStrategyOnItsOwnOperatingSystemsPolicy() {
    ExperimentSpec s = spec("native");
    assertEquals("proportional-share", Harness.policyFor(s, new PpcProvider()));
    assertEquals("dragonfly", Harness.policyFor(s, new LwktProvider()));
    assertEquals("proportional-share", Harness.policyFor(s, new DirectCallProvider()));
  }

  @Test
  void aNamedPolicyIsTheSameForEveryStrategy() {
    ExperimentSpec s = spec("fixed-priority-rr");
    assertEquals("fixed-priority-rr", Harness.policyFor(s, new PpcProvider()));
    assertEquals("fixed-priority-rr", Harness.policyFor(s, new LwktProvider()));
  }
}
