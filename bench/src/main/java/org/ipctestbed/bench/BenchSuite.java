package org.ipctestbed.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ipctestbed.ipc.IpcProvider;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The benchmarks of issue 7 as a list of {@link BenchCase}s, and how one is run through JMH's Runner
 * API with the gc profiler. Each case is its own Runner call, so that a case a mechanism refuses by
 * design is left out (with its reason) and a case that fails does not stop the others.
 */
public final class BenchSuite {
  /** Request payloads of the mechanism benchmarks, in bytes. */
  public static final int[] PAYLOADS = {0, 64, 4072};

  /** Simulated CPU counts of the simulator-speed benchmark. */
  public static final int[] SIM_CPUS = {1, 16, 256};

  /**
   * Mechanisms whose simulator speed is also measured with every cost drawn from its distribution
   * (issue 12: variability must not slow the simulator by more than 20%), paired with a
   * deterministic run of the same machine in the same JVM ({@link SimVariabilityBench}): the
   * substrate's own pair and the two designs.
   */
  public static final List<String> SIM_VARIABLE = List.of(SimSpeedDriver.SUBSTRATE, "ppc", "lwkt");

  /** Kind of a simulator case run with a deterministic cost model. */
  public static final String SIM_SPEED = "sim-speed";

  /** Kind of a paired simulator case: the same machine with variability on and off ({@link SimVariabilityBench}). */
  public static final String SIM_SPEED_VARIABLE = "sim-speed-variable";

  /** Providers the issue names; a missing one is reported, not an error. */
  public static final List<String> EXPECTED_PROVIDERS = List.of("ppc", "lwkt", "direct-call");

  /**
   * JVM flags every JMH fork gets: the continuation export and the fibers' stack size; on JDK 23+
   * also permission for JMH's and JCTools' {@code sun.misc.Unsafe} use, whose warnings would
   * otherwise interleave with the results of every fork.
   */
  public static final List<String> FORK_JVM_ARGS =
      Runtime.version().feature() >= 23
          ? List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Xss4m", "--sun-misc-unsafe-memory-access=allow")
          : List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Xss4m");

  /**
   * How long JMH measures: forks, warm-up and measurement iterations.
   *
   * @param name {@code quick} or {@code full}
   */
  public record Config(String name, int forks, int warmupIterations, long warmupMs, int measurementIterations, long measurementMs) {
    /** One fork, few short iterations: the whole suite in a few minutes on 2 cores. */
    public static final Config QUICK = new Config("quick", 1, 2, 300, 3, 300);

    /** Three forks (run-to-run variance is real, research/anchors.md C.1), 5 x 1 s iterations. */
    public static final Config FULL = new Config("full", 3, 5, 1000, 5, 1000);
  }

  /**
   * Extra warm-up iterations of the simulator cases: each invocation builds a fresh machine, and the
   * engine's event loop, scheduler and continuations need more invocations than a batch benchmark to
   * reach compiled code (measured: the first 2 x 300 ms gave 5x the steady time per round trip).
   */
  static final int SIM_EXTRA_WARMUP = 3;

  private BenchSuite() {}

  /**
   * Every case for {@code providers}: baselines, substrate, each provider's mechanism cases, and the
   * simulator's speed for the substrate and each provider. Combinations a provider refuses by design
   * are returned as skipped measurements in {@code skipped}.
   */
  public static List<BenchCase> cases(List<IpcProvider> providers, List<Measurement> skipped) {
    List<BenchCase> out = new ArrayList<>();
    out.add(baseline("virtual-call", "BaselineBench.virtualCall"));
    out.add(baseline("coroutine", "BaselineBench.coroutineRoundTrip"));
    out.add(baseline("spin", "BaselineBench.spinPingPong"));
    out.add(baseline("spsc", "BaselineBench.spscPingPong"));
    out.add(baseline("park", "BaselineBench.parkPingPong"));
    out.add(
        new BenchCase("baseline.rig-null", "baseline", "-", "rig-null", 0, 1, "SubstrateBench.roundTrip", Map.of("scenario", "null")));
    for (String s : List.of("handoff", "upcall", "wake-cross")) {
      out.add(
          new BenchCase(
              "substrate." + s, "substrate", "substrate", s, 0, s.endsWith("cross") ? 2 : 1, "SubstrateBench.roundTrip",
              Map.of("scenario", s)));
    }
    for (IpcProvider p : providers) {
      for (MechanismScenario.Kind k : MechanismScenario.Kind.values()) {
        for (int payload : PAYLOADS) {
          BenchCase c =
              new BenchCase(
                  p.name() + "." + k.id() + "." + payload, "mechanism", p.name(), k.id(), payload, k.cpus(),
                  "MechanismBench.operation",
                  Map.of("mechanism", p.name(), "kind", k.id(), "payload", Integer.toString(payload)));
          String why;
          try {
            why = MechanismScenario.notApplicable(p, k, payload);
          } catch (RuntimeException e) {
            why = null; // the benchmark itself will report the problem
          }
          if (why == null) {
            out.add(c);
          } else {
            skipped.add(Measurement.notRun(c, Measurement.SKIPPED, why));
          }
        }
      }
    }
    List<String> sims = new ArrayList<>();
    sims.add(SimSpeedDriver.SUBSTRATE);
    sims.add(SimSpeedDriver.SUBSTRATE_HANDOFF);
    providers.forEach(p -> sims.add(p.name()));
    for (String m : sims) {
      for (int cpus : SIM_CPUS) {
        out.add(simCase(m, cpus, false));
      }
    }
    for (String m : sims) {
      if (SIM_VARIABLE.contains(m)) {
        for (int cpus : SIM_CPUS) {
          out.add(simCase(m, cpus, true));
        }
      }
    }
    return out;
  }

  /**
   * The simulator-speed case of {@code mechanism} on {@code cpus} simulated CPUs: {@code sim.M.N}
   * with the deterministic model, {@code sim-variable.M.N} with variability on.
   */
  static BenchCase simCase(String mechanism, int cpus, boolean variable) {
    if (variable) {
      return new BenchCase(
          "sim-variable." + mechanism + "." + cpus, "sim", mechanism, SIM_SPEED_VARIABLE, 0, cpus, "SimVariabilityBench.pair",
          Map.of("mechanism", mechanism, "cpus", Integer.toString(cpus)));
    }
    return new BenchCase(
        "sim." + mechanism + "." + cpus, "sim", mechanism, SIM_SPEED, 0, cpus, "SimSpeedBench.simulate",
        Map.of("mechanism", mechanism, "cpus", Integer.toString(cpus), "variability", "deterministic"));
  }

  private static BenchCase baseline(String name, String benchmark) {
    return new BenchCase("baseline." + name, "baseline", "-", name, 0, 0, benchmark, Map.of());
  }

  /** Runs {@code c} in JMH with {@code config} and the gc profiler; never throws for a failed case. */
  public static Measurement run(BenchCase c, Config config, boolean verbose, Consumer<String> log) {
    return run(c, config, verbose, null, log);
  }

  /**
   * Like {@link #run(BenchCase, Config, boolean, Consumer)}, also recording a Java Flight Recorder
   * profile of every fork under {@code jfrDir} (JMH's {@code jfr} profiler) unless it is null.
   */
  public static Measurement run(BenchCase c, Config config, boolean verbose, java.nio.file.Path jfrDir, Consumer<String> log) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(c.includeRegex())
            .forks(config.forks())
            .warmupIterations(config.warmupIterations() + (c.group().equals("sim") ? SIM_EXTRA_WARMUP : 0))
            .warmupTime(TimeValue.milliseconds(config.warmupMs()))
            .measurementIterations(config.measurementIterations())
            .measurementTime(TimeValue.milliseconds(config.measurementMs()))
            .jvmArgsAppend(FORK_JVM_ARGS.toArray(String[]::new))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
    c.params().forEach(b::param);
    if (jfrDir != null) {
      b.addProfiler("jfr", "dir=" + jfrDir.resolve(c.id()).toAbsolutePath());
    }
    try {
      Collection<RunResult> results = new Runner(b.build()).run();
      if (results.size() != 1) {
        return Measurement.notRun(c, Measurement.FAILED, "JMH returned " + results.size() + " results, expected 1");
      }
      RunResult r = results.iterator().next();
      Result<?> primary = r.getPrimaryResult();
      Map<String, Result> secondary = r.getSecondaryResults();
      Result<?> alloc = secondary.get("gc.alloc.rate.norm");
      Result<?> carrierBytes = secondary.get(CarrierAllocation.BYTES);
      Result<?> carrierOps = secondary.get(CarrierAllocation.OPS);
      double carrier =
          carrierBytes == null || carrierOps == null || carrierOps.getScore() == 0
              ? Double.NaN
              : carrierBytes.getScore() / carrierOps.getScore();
      Result<?> firstNs = secondary.get(SimVariabilityBench.DETERMINISTIC_NS);
      Result<?> secondNs = secondary.get(SimVariabilityBench.VARIABLE_NS);
      if (firstNs != null && secondNs != null && firstNs.getScore() > 0) {
        return Measurement.paired(
            c, primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
            alloc == null ? Double.NaN : alloc.getScore(), secondNs.getScore() / firstNs.getScore());
      }
      return Measurement.ok(
          c, primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
          alloc == null ? Double.NaN : alloc.getScore(), carrier);
    } catch (RunnerException | RuntimeException e) {
      Throwable t = e;
      while (t.getCause() != null) {
        t = t.getCause();
      }
      log.accept("  " + c.id() + " failed: " + t);
      return Measurement.notRun(c, Measurement.FAILED, String.valueOf(t.getMessage()));
    }
  }
}
