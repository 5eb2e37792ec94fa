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
    StringBuilder sb = new StringBuilder("testbed");
    for (String a : args) {
      sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
