package org.ipctestbed.experiments.cli;

import java.io.PrintStream;

/** The streams and raw arguments of the current CLI invocation (so commands can be run in-process by tests). */
final class CliContext {
  private CliContext() {}

  private static PrintStream out = System.out;
  private static PrintStream err = System.err;
  private static String[] args = new String[0];

  static void set(PrintStream o, PrintStream e, String[] a) {
    out = o;
    err = e;
    args = a.clone();
  }

  static PrintStream out() {
    return out;
  }

  static PrintStream err() {
    return err;
  }

  /** {@code testbed ARGS...}, with arguments quoted where a shell would need it. */
  static String commandLine() {
    return commandLine(java.util.Arrays.asList(args));
  }

  /** {@code testbed WORDS...}, quoted as {@link #commandLine()}. */
  static String commandLine(java.util.List<String> words) {
    StringBuilder sb = new StringBuilder("testbed");
    for (String a : words) {
      sb.append(' ').append(quote(a));
    }
    return sb.toString();
  }

  /** {@code a}, in single quotes where a shell would need them. */
  static String quote(String a) {
    return a.matches("[A-Za-z0-9_./=,:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
  }

  /**
   * The raw arguments without the options {@code withValue} (each with its value, as {@code --opt V}
   * or {@code --opt=V}) and the flags {@code flags}: the command of a whole sweep, from a shard's.
   */
  static java.util.List<String> argsWithout(java.util.Set<String> withValue, java.util.Set<String> flags) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (withValue.contains(a)) {
        i++;
      } else if (!(a.startsWith("--") && eq > 0 && withValue.contains(a.substring(0, eq))) && !flags.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** The raw arguments. */
  static java.util.List<String> args() {
    return java.util.List.of(args);
  }
}
