package org.ipctestbed.experiments.results;

import java.util.Locale;

/** Numbers for people (reports, the terminal): a few significant digits, thousands separated. CSV files use {@link Csv#number}. */
public final class Format {
  private Format() {}

  /** {@code 1,146}, {@code 0.0421}, {@code 2.015e+06}; {@code n/a} for NaN. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1e7) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    if (a >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** A p-value: four decimals, {@code <0.0001} below that, {@code n/a} for NaN. */
  public static String p(double p) {
    return Double.isNaN(p) ? "n/a" : p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
  }
}
