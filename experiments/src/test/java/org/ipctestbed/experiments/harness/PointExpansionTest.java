package org.ipctestbed.experiments.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ipctestbed.experiments.cli.Main;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.ResultsDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep whose values coincide at some CPU count ({@code clients=1,@cpus} at 1 CPU) runs that point once. */
class PointExpansionTest {
  @TempDir Path tmp;

  @Test
  void aPointThatTwoSweepValuesNameRunsOnceAndItsHistogramHoldsEveryRepetition() {
    Path out = tmp.resolve("run");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new String[] {"run", "test-rpc", "--ipc", "test-echo", "--reps", "2", "--cpus", "1,2",
        "--set", "ops=50", "--set", "clients=1,@cpus", "--quiet", "--no-charts", "--out", out.toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    // points: cpus=1 clients=1 (named twice), cpus=2 clients=1, cpus=2 clients=2
    Map<String, Integer> reps = new HashMap<>();
    Map<String, Long> calls = new HashMap<>();
    for (Map<String, String> r : Analysis.rows(ResultsDir.results(out))) {
      if (r.get("metric").equals("call") && r.get("stat").equals("count")) {
        String point = r.get("cpus") + "/" + r.get("clients");
        reps.merge(point, 1, Integer::sum);
        calls.merge(point, (long) Csv.parseNumber(r.get("value")), Long::sum);
      }
    }
    assertEquals(Map.of("1/1", 2, "2/1", 2, "2/2", 2), reps);
    Map<String, Long> inSpectrum = new HashMap<>();
    for (Map<String, String> r : Analysis.rows(Csv.read(out.resolve(ResultsDir.PERCENTILES)))) {
      if (r.get("metric").equals("call")) {
        inSpectrum.merge(r.get("cpus") + "/" + r.get("clients"), Long.parseLong(r.get("count")), Long::sum);
      }
    }
    assertEquals(calls, inSpectrum, "every counted call is in the .hlog-derived distribution");
  }
}
