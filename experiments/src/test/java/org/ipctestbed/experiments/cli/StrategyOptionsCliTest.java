package org.ipctestbed.experiments.cli;

import static org.ipctestbed.experiments.cli.CliTest.assertBadInput;
import static org.ipctestbed.experiments.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ipctestbed.experiments.results.Analysis;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.Json;
import org.ipctestbed.experiments.results.ResultsDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "Strategy options": {@code --ipc rendezvous:threads=2,donate=false} passes typed options
 * to the provider; {@code list} shows them with types and defaults; an unknown option or a bad value
 * exits 2 naming what is allowed; options are recorded in metadata.json and sweep ({@code a/b}); the
 * strategy's own counters and notes reach the results.
 */
class StrategyOptionsCliTest {
  @TempDir Path tmp;

  @Test
  void listShowsEachStrategysOptionsWithTypesAndDefaults() {
    CliTest.Result r = cli("list");
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(out.matches("(?s).*rendezvous .*\\n\\s+threads\\s+int 1\\.\\.64\\s+default 1 .*"), out);
    assertTrue(out.matches("(?s).*\\n\\s+donate\\s+true\\|false\\s+default true .*"), out);
    assertTrue(out.matches("(?s).*\\n\\s+mr-bytes\\s+int 0\\.\\.4096\\s+default 64 .*"), out);
  }

  @Test
  void anUnknownOptionOrABadValueExitsTwoNamingWhatIsAllowedAndWritesNothing() {
    Path out = tmp.resolve("bad");
    assertBadInput(cli("run", "null-rpc", "--ipc", "rendezvous:thread=2", "--out", out.toString()),
        "IPC strategy 'rendezvous' has no option 'thread'; it has: threads (int 1..64, default 1), donate (true|false, default true), mr-bytes (int 0..4096, default 64)");
    assertBadInput(cli("run", "null-rpc", "--ipc", "rendezvous:threads=two", "--out", out.toString()),
        "option 'threads' must be int 1..64, got 'two'");
    assertBadInput(cli("run", "null-rpc", "--ipc", "rendezvous:donate=maybe", "--out", out.toString()),
        "option 'donate' must be true|false, got 'maybe'");
    assertBadInput(cli("run", "null-rpc", "--ipc", "ppc:threads=2", "--out", out.toString()),
        "IPC strategy 'ppc' has no option 'threads'; it takes none");
    assertBadInput(cli("run", "null-rpc", "--ipc", "rendezvous:threads", "--out", out.toString()),
        "malformed option 'threads'");
    assertFalse(Files.exists(out));
  }

  @Test
  @SuppressWarnings("unchecked")
  void optionsReachTheProviderAreRecordedAndSweepAndTheStrategysCountersAndNotesAreInTheResults() throws Exception {
    Path out = tmp.resolve("sweep");
    CliTest.Result r = cli("run", "null-rpc", "--ipc", "rendezvous:donate=true/false,threads=2", "--reps", "2",
        "--set", "ops=200", "--set", "warmup=20", "--quiet", "--no-charts", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(out.resolve(ResultsDir.METADATA)));
    List<Map<String, Object>> mechs = (List<Map<String, Object>>) m.get("mechanisms");
    assertEquals(List.of("rendezvous:donate=true,threads=2", "rendezvous:donate=false,threads=2"), mechs.stream().map(x -> x.get("name")).toList());
    assertEquals(Map.of("threads", "2", "donate", "false", "mr-bytes", "64"), mechs.get(1).get("options"));
    assertEquals("rendezvous", mechs.get(1).get("strategy"));
    assertEquals("service paid by the server, after a preemption by the server", mechs.get(1).get("accounting"));
    // The options changed what the strategy did: with donation the calls switch directly and the
    // server thread runs on the caller's account; without, through the scheduler.
    Csv.Table results = Csv.read(out.resolve(ResultsDir.RESULTS));
    Set<String> counters = new TreeSet<>();
    double donatedDirect = 0;
    for (Map<String, String> row : Analysis.rows(results)) {
      if (row.get("metric").startsWith("strategy.")) {
        counters.add(row.get("metric"));
        if (row.get("metric").equals("strategy.direct-switches") && row.get("mechanism").equals("rendezvous:donate=true,threads=2")) {
          donatedDirect += Csv.parseNumber(row.get("value"));
        }
      }
    }
    assertTrue(counters.containsAll(List.of("strategy.direct-switches", "strategy.queued-calls", "strategy.busy-sends")), counters.toString());
    assertEquals(2 * 220, donatedDirect, "every call of both repetitions switched directly");
    Map<String, Object> notes = (Map<String, Object>) m.get("notes");
    assertTrue(String.valueOf(notes.get("rendezvous:donate=false,threads=2")).contains("threads=2 per CPU, donate=false"), notes.toString());
  }
}
