package org.ipctestbed.ipc;

import java.util.List;
import java.util.Locale;

/**
 * One option a strategy takes on the command line ({@code --ipc l4:threads=2,donate=true}), declared
 * by {@link IpcProvider#options()}: a name, a type, a default and a line of description, listed by
 * {@code testbed list} and checked before a run starts, as workload parameters are (issue 14,
 * "Strategy options").
 *
 * @param name lower-case letters, digits and '-'
 * @param type how a value is read
 * @param defaultValue the value when the option is not given (must itself be valid)
 * @param description one line for {@code list}
 * @param min smallest value of an {@link Type#INT}
 * @param max largest value of an {@link Type#INT}
 * @param choices the allowed values of a {@link Type#CHOICE}
 */
public record StrategyOption(String name, Type type, String defaultValue, String description, long min, long max, List<String> choices) {
  /** How an option's value is read. */
  public enum Type {
    /** A whole number in {@code min..max}. */
    INT,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** One of {@code choices}. */
    CHOICE
  }

  public StrategyOption {
    if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("option name '" + name + "' must be lower-case letters, digits and '-'");
    }
    choices = List.copyOf(choices);
  }

  /** This option, after checking that its default is one of its values. */
  private StrategyOption checked() {
    parse(defaultValue);
    return this;
  }

  /** An integer option in {@code min..max}. */
  public static StrategyOption ofInt(String name, long defaultValue, long min, long max, String description) {
    return new StrategyOption(name, Type.INT, Long.toString(defaultValue), description, min, max, List.of()).checked();
  }

  /** A boolean option. */
  public static StrategyOption ofBoolean(String name, boolean defaultValue, String description) {
    return new StrategyOption(name, Type.BOOLEAN, Boolean.toString(defaultValue), description, 0, 0, List.of()).checked();
  }

  /** An option whose value is one of {@code choices}. */
  public static StrategyOption ofChoice(String name, String defaultValue, List<String> choices, String description) {
    return new StrategyOption(name, Type.CHOICE, defaultValue, description, 0, 0, choices).checked();
  }

  /** What values are allowed, for {@code list} and error messages: {@code int 1..64}, {@code true|false}, {@code a|b}. */
  public String allowed() {
    return switch (type) {
      case INT -> "int " + min + ".." + max;
      case BOOLEAN -> "true|false";
      case CHOICE -> String.join("|", choices);
    };
  }

  /**
   * Reads {@code value}: a {@link Long}, a {@link Boolean} or the choice's {@link String}.
   *
   * @throws IllegalArgumentException naming the option and the allowed values
   */
  public Object parse(String value) {
    String v = value == null ? "" : value.trim();
    switch (type) {
      case INT -> {
        try {
          long n = Long.parseLong(v);
          if (n >= min && n <= max) {
            return n;
          }
        } catch (NumberFormatException e) {
          // fall through to the message
        }
      }
      case BOOLEAN -> {
        String b = v.toLowerCase(Locale.ROOT);
        if (b.equals("true") || b.equals("false")) {
          return Boolean.parseBoolean(b);
        }
      }
      case CHOICE -> {
        if (choices.contains(v)) {
          return v;
        }
      }
    }
    throw new IllegalArgumentException("option '" + name + "' must be " + allowed() + ", got '" + value + "'");
  }
}
