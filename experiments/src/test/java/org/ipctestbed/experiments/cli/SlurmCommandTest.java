package org.ipctestbed.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipctestbed.experiments.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code testbed slurm} (issue 18): the job array and the dependent merge job it writes, without a
 * Slurm (.ci/slurm-test submits them to a real one).
 */
class SlurmCommandTest {
  @TempDir Path tmp;

  @Test
  void writesAnArrayOfOneShardPerTaskAndAMergeThatDependsOnIt() throws IOException {
    Path out = tmp.resolve("sweep");
    Result r = CliTest.cli("slurm", "test-rpc", "--ipc", "test-echo", "--set", "ops=30", "--reps", "3", "--shards", "4",
        "--partition", "short", "--time", "00:05:00", "--mem", "1G", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Path sh = tmp.resolve("sweep.shards");
    assertTrue(r.out().contains("ARRAY_JOB=$(sbatch --parsable " + sh.resolve("array.sbatch") + ")"), r.out());
    assertTrue(r.out().contains("sbatch --parsable --dependency=afterok:$ARRAY_JOB " + sh.resolve("merge.sbatch")), r.out());
    String array = Files.readString(sh.resolve("array.sbatch"));
    for (String s : new String[] {"#SBATCH --array=0-3\n", "#SBATCH --partition=short\n", "#SBATCH --time=00:05:00\n", "#SBATCH --mem=1G\n",
        "#SBATCH --cpus-per-task=1\n", " run test-rpc --ipc test-echo --set ops=30 --reps 3 --no-charts --shard \"$i/4\" --out \"" + sh + "/shard-$i\"",
        "-cp " + sh.resolve(SlurmCommand.JAR) + " org.ipctestbed.experiments.cli.Main", "-Dtestbed.git.commit="}) {
      assertTrue(array.contains(s), "array.sbatch should contain " + s + ":\n" + array);
    }
    assertFalse(array.contains("--exclusive"), "a simulated sweep shares nodes");
    String merge = Files.readString(sh.resolve("merge.sbatch"));
    assertTrue(merge.contains(" merge " + out + " " + sh + "/shard-0 " + sh + "/shard-1 " + sh + "/shard-2 " + sh + "/shard-3\n"), merge);
    assertTrue(Files.isRegularFile(sh.resolve(SlurmCommand.JAR)));
    assertFalse(Files.exists(out), "the merged folder is the merge job's to write");
  }

  @Test
  void realEngineShardsAskForWholeNodesAndTheirCpus() throws IOException {
    Result r = CliTest.cli("slurm", "test-rpc", "--ipc", "test-echo", "--engine", "real", "--cpus", "1", "--shards", "2", "--allow-mixed-hosts",
        "--out", tmp.resolve("real").toString());
    assertEquals(0, r.code(), r.err());
    String array = Files.readString(tmp.resolve("real.shards/array.sbatch"));
    assertTrue(array.contains("#SBATCH --exclusive\n"), array);
    assertTrue(array.contains("#SBATCH --cpus-per-task=1\n"), array);
    assertTrue(Files.readString(tmp.resolve("real.shards/merge.sbatch")).contains(" merge --allow-mixed-hosts "));
  }

  @Test
  void reproduceRunsOneTaskPerExperimentAndShard() throws IOException {
    Path root = tmp.resolve("ref");
    Result r = CliTest.cli("slurm", "reproduce", "--quick", "--only", "fairness,null-rpc-same-cpu", "--shards", "3", "--out", root.toString());
    assertEquals(0, r.code(), r.err());
    String array = Files.readString(tmp.resolve("ref.shards/array.sbatch"));
    assertTrue(array.contains("#SBATCH --array=0-5\n"), array);
    assertTrue(array.contains("names=(null-rpc-same-cpu fairness)\n"), "plan order: " + array);
    assertTrue(array.contains(" reproduce --quick --only \"$name\" --shard \"$i/3\""), array);
    assertTrue(Files.readString(tmp.resolve("ref.shards/merge.sbatch")).contains(" merge --reproduce --quick " + root + " "));
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() {
    CliTest.assertBadInput(CliTest.cli("slurm", "no-such-workload", "--shards", "2", "--out", tmp.resolve("a").toString()), "no-such-workload");
    CliTest.assertBadInput(CliTest.cli("slurm", "test-rpc", "--shards", "0", "--out", tmp.resolve("b").toString()), "--shards must be");
    CliTest.assertBadInput(CliTest.cli("slurm", "test-rpc", "--shards", "2", "--shard", "0/2", "--out", tmp.resolve("c").toString()), "--shards N");
    CliTest.assertBadInput(CliTest.cli("slurm", "test-rpc", "--shards", "2", "--set", "nope=1", "--out", tmp.resolve("d").toString()), "nope");
    CliTest.assertBadInput(CliTest.cli("slurm", "reproduce", "--only", "nope", "--shards", "2", "--out", tmp.resolve("e").toString()), "nope");
    for (String d : new String[] {"a", "b", "c", "d", "e"}) {
      assertFalse(Files.exists(tmp.resolve(d + ".shards")), d);
    }
  }
}
