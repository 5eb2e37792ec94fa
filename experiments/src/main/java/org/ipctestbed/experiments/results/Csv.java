package org.ipctestbed.experiments.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, as pandas and R read it: a header line, comma separators, fields quoted when they
 * hold a comma, quote or line break, {@code \n} line ends. Numbers are formatted deterministically
 * ({@link #number(double)}) so that a simulated run regenerates its CSV files byte for byte.
 */
public final class Csv {
  private Csv() {}

  /** A table: a header and rows of the same width. */
  public record Table(List<String> header, List<List<String>> rows) {
    /** The index of column {@code name}, or -1. */
    public int column(String name) {
      return header.indexOf(name);
    }
  }

  /** One field, quoted if needed. */
  public static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** The table as CSV text. */
  public static String format(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    for (List<String> r : rows) {
      if (r.size() != header.size()) {
        throw new IllegalStateException("CSV row has " + r.size() + " fields, header " + header.size() + ": " + r);
      }
      line(sb, r);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(field(fields.get(i)));
    }
    sb.append('\n');
  }

  /**
   * A number as text: integral values without a fraction, others with 10 significant digits, no
   * exponent; {@code NaN} as {@code NaN} (pandas reads it as missing).
   */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }

  /** Parses a number written by {@link #number(double)} (or any Java double text). */
  public static double parseNumber(String s) {
    return switch (s) {
      case "NaN", "" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /**
   * Reads a CSV file.
   *
   * @throws IllegalArgumentException when the file is malformed (ragged rows, an open quote)
   * @throws UncheckedIOException when it cannot be read
   */
  public static Table read(Path file) {
    String text;
    try {
      text = Json.utf8(file, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<List<String>> lines = parse(text, file.toString());
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty: no CSV header");
    }
    List<String> header = lines.get(0);
    List<List<String>> rows = new ArrayList<>(lines.subList(1, lines.size()));
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).size() != header.size()) {
        throw new IllegalArgumentException(
            file + " line " + (i + 2) + " has " + rows.get(i).size() + " fields, the header " + header.size());
      }
    }
    return new Table(List.copyOf(header), rows);
  }

  static List<List<String>> parse(String text, String what) {
    List<List<String>> out = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          f.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        cur.add(f.toString());
        f.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        cur.add(f.toString());
        f.setLength(0);
        out.add(cur);
        cur = new ArrayList<>();
        any = false;
      } else {
        f.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(what + ": a quoted CSV field is not closed");
    }
    if (any || f.length() > 0) {
      cur.add(f.toString());
      out.add(cur);
    }
    return out;
  }
}
