package org.ipctestbed.ipc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipctestbed.substrate.Machine;

/**
 * A strategy with its options fixed, as {@code --ipc l4:threads=2,donate=true} names it: an {@link
 * IpcProvider} whose {@link #name()} is that label (so results, charts and tests between strategies
 * tell {@code l4:donate=true} from {@code l4:donate=false}) and whose {@link #install(Machine)} passes
 * the options on. A strategy given without options keeps its plain name.
 */
public final class ConfiguredProvider implements IpcProvider {
  private final IpcProvider inner;
  private final StrategyOptions options;
  private final String label;

  private ConfiguredProvider(IpcProvider inner, StrategyOptions options, String label) {
    this.inner = inner;
    this.options = options;
    this.label = label;
  }

  /**
   * Parses {@code NAME} or {@code NAME:key=value,key=value} and checks the options.
   *
   * @throws IllegalArgumentException for an unknown strategy, a malformed option, an unknown option or
   *     an ill-typed value, naming what is allowed
   */
  public static IpcProvider parse(String spec) {
    int colon = spec.indexOf(':');
    String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
    IpcProvider p = IpcProvider.named(name);
    if (colon < 0) {
      return p;
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (String kv : spec.substring(colon + 1).split(",", -1)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed option '" + kv + "' of IPC strategy '" + name
            + "': expected NAME:key=value,key=value; it has: "
            + (p.options().isEmpty() ? "no options" : StrategyOptions.describe(p.options())));
      }
      String k = kv.substring(0, eq).trim();
      if (given.put(k, kv.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException("option '" + k + "' of IPC strategy '" + name + "' is given twice");
      }
    }
    return of(p, given);
  }

  /** {@code provider} with {@code given} options (checked); the label lists them as given. */
  public static IpcProvider of(IpcProvider provider, Map<String, String> given) {
    StrategyOptions o = StrategyOptions.of(provider, given);
    if (given.isEmpty()) {
      return provider;
    }
    List<String> parts = new ArrayList<>();
    o.given().forEach((k, v) -> parts.add(k + "=" + o.asMap().get(k)));
    return new ConfiguredProvider(provider, o, provider.name() + ":" + String.join(",", parts));
  }

  /**
   * Expands option sweeps in an {@code --ipc} list: {@code l4:threads=1/2,donate=true} stands for
   * {@code l4:threads=1,donate=true} and {@code l4:threads=2,donate=true} (a value list separated by
   * '/', as {@code --set} sweeps a parameter with a comma list). The list itself separates strategies
   * by commas; an item {@code key=value} without a ':' belongs to the strategy before it.
   *
   * @return one strategy spec per element, in order
   */
  public static List<String> expand(List<String> items) {
    List<String> specs = new ArrayList<>();
    for (String item : items) {
      String t = item.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!t.contains(":") && t.contains("=") && !specs.isEmpty()) {
        specs.set(specs.size() - 1, specs.get(specs.size() - 1) + "," + t);
      } else {
        specs.add(t);
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : specs) {
      int colon = s.indexOf(':');
      if (colon < 0) {
        out.add(s);
        continue;
      }
      List<String> combos = new ArrayList<>(List.of(s.substring(0, colon) + ":"));
      String[] kvs = s.substring(colon + 1).split(",", -1);
      for (int i = 0; i < kvs.length; i++) {
        int eq = kvs[i].indexOf('=');
        String[] values = eq < 0 ? new String[] {kvs[i]} : kvs[i].substring(eq + 1).split("/", -1);
        List<String> next = new ArrayList<>();
        for (String c : combos) {
          for (String v : values) {
            next.add(c + (i == 0 ? "" : ",") + (eq < 0 ? v : kvs[i].substring(0, eq + 1) + v));
          }
        }
        combos = next;
      }
      out.addAll(combos);
    }
    return out;
  }

  /** The strategy without its options. */
  public IpcProvider base() {
    return inner;
  }

  /** The options it runs with. */
  public StrategyOptions strategyOptions() {
    return options;
  }

  @Override
  public String name() {
    return label;
  }

  @Override
  public String description() {
    return inner.description() + " (options " + options.asMap() + ")";
  }

  @Override
  public IpcSystem install(Machine machine) {
    return inner.install(machine, options);
  }

  @Override
  public IpcSystem install(Machine machine, StrategyOptions o) {
    return inner.install(machine, o);
  }

  @Override
  public List<StrategyOption> options() {
    return inner.options();
  }

  @Override
  public String nativePolicy() {
    return inner.nativePolicy();
  }

  @Override
  public Optional<AccountingModel> accounting() {
    return inner.accounting(options);
  }

  @Override
  public Optional<AccountingModel> accounting(StrategyOptions o) {
    return inner.accounting(o);
  }
}
