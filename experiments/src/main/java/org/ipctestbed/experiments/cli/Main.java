package org.ipctestbed.experiments.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code testbed} command line (issue 6, "CLI"): {@code list}, {@code run}, {@code reproduce},
 * {@code chart} and {@code compare}, each with {@code --help}.
 *
 * <p>Exit codes: 0 done; 1 a run failed or was interrupted (its finished repetitions are kept);
 * 2 bad input: a one-line error naming the allowed values, and nothing written.
 */
@Command(
    name = "testbed",
    mixinStandardHelpOptions = true,
    version = "IPC Testbed 0.1.0",
    description = "Runs identical workloads against K42 PPC, DragonFly LWKT message ports and any other IPC strategy on the class path.",
    subcommands = {
      ListCommand.class, RunCommand.class, ReproduceCommand.class, ChartCommand.class, CompareCommand.class, MergeCommand.class, SlurmCommand.class,
      CalibrateCommand.class, ValidationCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a run that failed or was interrupted. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of bad input. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: list, run, reproduce, chart or compare");
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the CLI with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cl.setParameterExceptionHandler((ex, a) -> {
      String cmd = ex.getCommandLine().getCommandName();
      err.println("testbed: " + oneLine(ex.getMessage()) + " (see: testbed " + (cmd.equals("testbed") ? "" : cmd + " ") + "--help)");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof IllegalArgumentException) {
        err.println("testbed: " + oneLine(ex.getMessage()));
        return EXIT_USAGE;
      }
      err.println("testbed: failed: " + oneLine(String.valueOf(ex.getMessage())) + " (" + ex.getClass().getSimpleName() + ")");
      return EXIT_FAILED;
    });
    CliContext.set(out, err, args);
    for (String a : args) {
      String bad = nonAsciiDigit(a);
      if (bad != null) {
        err.println("testbed: '" + a + "' has the digit '" + bad + "'; numbers take only the ASCII digits 0-9");
        return EXIT_USAGE;
      }
    }
    return cl.execute(args);
  }

  /**
   * A digit of another script in {@code arg} (Java's number parsers accept them, and a value would be
   * stored as typed), or null.
   */
  static String nonAsciiDigit(String arg) {
    for (int i = 0; i < arg.length(); ) {
      int c = arg.codePointAt(i);
      if (Character.isDigit(c) && (c < '0' || c > '9')) {
        return new String(Character.toChars(c));
      }
      i += Character.charCount(c);
    }
    return null;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
