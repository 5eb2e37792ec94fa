package org.ipctestbed.substrate;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The file format of a cost model with its provenance, written by {@code testbed calibrate} and read
 * wherever a cost-model name is accepted ({@code --cost-model FILE}). A Java properties file, so that
 * a person can read and edit it and no dependency is needed in {@code common}:
 *
 * <pre>
 * model.name=calibrated
 * provenance.host=...            # any number of provenance.KEY lines: host, jdk, date, method
 * cost.TRAP.shape=empirical      # constant | exponential | lognormal | empirical
 * cost.TRAP.samples=41.0 42.5 ... # empirical: measured ns per unit, space-separated
 * cost.TRAP.mean=70              # the others: mean ns per unit
 * cost.TRAP.fraction=0.2         # exponential/lognormal: random share of the mean
 * cost.TRAP.sigma=0.6            # lognormal: log-space sd
 * cost.TRAP.source=measured here: ... (every cost must say where it comes from)
 * noise=timer,background         # optional
 * </pre>
 *
 * <p>Costs the file does not name are 0 (and say so). Every problem is reported as one line naming
 * the file, the key and what is allowed.
 */
public final class CostModelFile {
  private CostModelFile() {}

  /**
   * Reads the model in {@code file}.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static CostModel read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("cost-model file '" + file + "' does not exist (or is not a file); allowed: "
          + CostModel.PRESETS + ", or the path of a file written by 'testbed calibrate'");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cost-model file '" + file + "' cannot be read: " + e.getMessage(), e);
    }
    String where = "cost-model file '" + file + "': ";
    String name = p.getProperty("model.name");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(where + "missing 'model.name'");
    }
    Map<String, String> prov = new TreeMap<>();
    Map<Cost, CostDistribution> costs = new EnumMap<>(Cost.class);
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("provenance.")) {
        prov.put(key.substring("provenance.".length()), p.getProperty(key));
      } else if (key.startsWith("cost.")) {
        String[] k = key.split("\\.");
        if (k.length != 3) {
          throw new IllegalArgumentException(where + "malformed key '" + key + "'; expected cost.NAME.FIELD");
        }
        Cost c;
        try {
          c = Cost.valueOf(k[1]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + "unknown cost '" + k[1] + "' in '" + key + "'; allowed: " + List.of(Cost.values()));
        }
        if (!List.of("shape", "samples", "mean", "fraction", "sigma", "source").contains(k[2])) {
          throw new IllegalArgumentException(where + "unknown field '" + k[2] + "' in '" + key + "'; allowed: shape, samples, mean, fraction, sigma, source");
        }
        if (!costs.containsKey(c)) {
          costs.put(c, cost(where, c, p));
        }
      } else if (!key.equals("model.name") && !key.equals("noise")) {
        throw new IllegalArgumentException(where + "unknown key '" + key + "'; allowed: model.name, provenance.*, cost.NAME.FIELD, noise");
      }
    }
    List<NoiseSource> noise = new ArrayList<>();
    String n = p.getProperty("noise", "").trim();
    if (!n.isEmpty()) {
      for (String s : n.split(",")) {
        noise.add(NoiseSource.named(s));
      }
    }
    Map<String, String> provenance = new LinkedHashMap<>(prov);
    provenance.put("file", file.toString());
    try {
      return CostModel.ofDistributions(name.trim(), costs, noise, provenance);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static CostDistribution cost(String where, Cost c, Properties p) {
    String pre = "cost." + c.name() + ".";
    String source = p.getProperty(pre + "source");
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException(where + "'" + pre + "source' is missing: every figure must say where it comes from");
    }
    CostDistribution.Shape shape;
    try {
      shape = CostDistribution.Shape.named(p.getProperty(pre + "shape", "constant"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + pre + "shape: " + e.getMessage());
    }
    try {
      if (shape == CostDistribution.Shape.EMPIRICAL) {
        String s = p.getProperty(pre + "samples", "").trim();
        if (s.isEmpty()) {
          throw new IllegalArgumentException("an empirical cost needs '" + pre + "samples'");
        }
        String[] parts = s.split("\\s+");
        double[] v = new double[parts.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = number(pre + "samples", parts[i]);
        }
        return CostDistribution.empirical(v, source);
      }
      double mean = number(pre + "mean", p.getProperty(pre + "mean"));
      double fraction = p.getProperty(pre + "fraction") == null ? 0 : number(pre + "fraction", p.getProperty(pre + "fraction"));
      double sigma = p.getProperty(pre + "sigma") == null ? 0 : number(pre + "sigma", p.getProperty(pre + "sigma"));
      return new CostDistribution(mean, shape, fraction, sigma, null, source);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + c.name() + ": " + e.getMessage(), e);
    }
  }

  private static double number(String key, String s) {
    if (s == null) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' must be a number of ns, got '" + s + "'");
    }
  }

  /** The text of {@code model} in this format (stable order, so the same model gives the same bytes). */
  public static String format(CostModel model, String headerComment) {
    StringBuilder sb = new StringBuilder();
    for (String line : headerComment.split("\n")) {
      sb.append("# ").append(line).append('\n');
    }
    sb.append("model.name=").append(escape(model.name())).append('\n');
    model.provenance().forEach((k, v) -> {
      if (!k.equals("file")) {
        sb.append("provenance.").append(k).append('=').append(escape(v)).append('\n');
      }
    });
    if (!model.noise().isEmpty()) {
      sb.append("noise=").append(String.join(",", model.noise().stream().map(NoiseSource::name).toList())).append('\n');
    }
    for (Cost c : Cost.values()) {
      if (c == Cost.CONTENTION_WAIT || c == Cost.NOISE) {
        continue;
      }
      CostDistribution d = model.distribution(c);
      String pre = "cost." + c.name() + ".";
      sb.append(pre).append("shape=").append(d.shape().label()).append('\n');
      if (d.shape() == CostDistribution.Shape.EMPIRICAL) {
        StringBuilder s = new StringBuilder();
        for (double v : d.samples()) {
          s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4g", v));
        }
        sb.append(pre).append("samples=").append(s).append('\n');
      } else {
        sb.append(pre).append("mean=").append(String.format(Locale.ROOT, "%.6g", d.meanNs())).append('\n');
        if (d.shape() != CostDistribution.Shape.CONSTANT) {
          sb.append(pre).append("fraction=").append(d.randomFraction()).append('\n');
        }
        if (d.shape() == CostDistribution.Shape.LOGNORMAL) {
          sb.append(pre).append("sigma=").append(d.sigma()).append('\n');
        }
      }
      sb.append(pre).append("source=").append(escape(d.source())).append('\n');
    }
    return sb.toString();
  }

  private static String escape(String v) {
    Properties p = new Properties();
    p.setProperty("k", v);
    StringWriter w = new StringWriter();
    try {
      p.store(w, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : w.toString().split("\n")) {
      if (line.startsWith("k=")) {
        return line.substring(2).strip();
      }
    }
    return v;
  }
}
