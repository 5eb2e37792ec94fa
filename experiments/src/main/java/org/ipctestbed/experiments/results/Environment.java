package org.ipctestbed.experiments.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine and software a run happened on, for metadata.json (research/anchors.md F: "record and
 * print the full config ... JDK, CPU model"): JDK, OS, CPU model, core count, memory, and the git
 * commit of the testbed (with a flag when the working tree had uncommitted changes).
 */
public final class Environment {
  private Environment() {}

  /** The environment as ordered name/value pairs. */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jdk", System.getProperty("java.version"));
    m.put("jdkVendor", System.getProperty("java.vendor"));
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("arch", System.getProperty("os.arch"));
    m.put("cpuModel", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    return m;
  }

  /** The CPU model from /proc/cpuinfo, or "unknown" where there is none. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name") || line.startsWith("Model") || line.startsWith("cpu model")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return "unknown (" + System.getProperty("os.arch") + ")";
  }

  /** The folder of the testbed checkout: {@code -Dtestbed.home} (set by ./testbed), else the current folder. */
  public static Path home() {
    String h = System.getProperty("testbed.home");
    return Path.of(h == null || h.isBlank() ? "." : h);
  }

  /**
   * The name of this host (a cluster node's name, for a shard's metadata): {@code /proc/sys/kernel/hostname},
   * else {@code $HOSTNAME}, else the JDK's (which may ask DNS), else "unknown".
   */
  public static String hostname() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * {@code commit} and {@code dirty} of the testbed checkout, or "unknown" without git. The system
   * properties {@code testbed.git.commit} and {@code testbed.git.dirty} replace them: the Slurm
   * scripts ({@code testbed slurm}) run a copy of the CLI jar taken when they were written and pass
   * the checkout's version of that moment, which a later commit must not change.
   */
  public static Map<String, Object> git() {
    Map<String, Object> m = new LinkedHashMap<>();
    String pinned = System.getProperty("testbed.git.commit");
    if (pinned != null && !pinned.isBlank()) {
      m.put("commit", pinned.trim());
      String dirty = System.getProperty("testbed.git.dirty");
      m.put("dirty", dirty == null || dirty.isBlank() ? null : Boolean.parseBoolean(dirty.trim()));
      return m;
    }
    String commit = run("git", "rev-parse", "HEAD");
    m.put("commit", commit == null ? "unknown" : commit.trim());
    String status = commit == null ? null : run("git", "status", "--porcelain", "--untracked-files=no");
    m.put("dirty", status == null ? null : !status.isBlank());
    return m;
  }

  /** The output of {@code git ARGS} run in the checkout, or null when git is missing or fails. */
  static String git(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return run(cmd);
  }

  private static String run(String... cmd) {
    try {
      java.lang.Process p = new ProcessBuilder(cmd).directory(home().toFile()).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
