package org.ipctestbed.ipc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The option values one configured strategy runs with: every option the strategy declares, given or
 * defaulted, checked against its {@link StrategyOption}. Immutable. A strategy reads them once, in
 * {@link IpcProvider#install(org.ipctestbed.substrate.Machine, StrategyOptions)}, never on a hot path.
 */
public final class StrategyOptions {
  private final Map<String, Object> values;
  private final Map<String, String> given;

  private StrategyOptions(Map<String, Object> values, Map<String, String> given) {
    this.values = Collections.unmodifiableMap(values);
    this.given = Collections.unmodifiableMap(given);
  }

  /** No options given: every declared option at its default. */
  public static StrategyOptions defaults(IpcProvider provider) {
    return of(provider, Map.of());
  }

  /**
   * {@code given} checked against {@code provider}'s declared options, the others at their defaults.
   *
   * @throws IllegalArgumentException for an option the strategy does not have (naming the ones it
   *     has, with types and defaults) or an ill-typed value (naming the allowed values)
   */
  public static StrategyOptions of(IpcProvider provider, Map<String, String> given) {
    List<StrategyOption> declared = provider.options();
    Map<String, Object> values = new LinkedHashMap<>();
    for (String k : given.keySet()) {
      if (declared.stream().noneMatch(o -> o.name().equals(k))) {
        throw new IllegalArgumentException("IPC strategy '" + provider.name() + "' has no option '" + k + "'; "
            + (declared.isEmpty() ? "it takes none" : "it has: " + describe(declared)));
      }
    }
    for (StrategyOption o : declared) {
      try {
        values.put(o.name(), o.parse(given.getOrDefault(o.name(), o.defaultValue())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("IPC strategy '" + provider.name() + "': " + e.getMessage(), e);
      }
    }
    return new StrategyOptions(values, new LinkedHashMap<>(given));
  }

  /** {@code name (type, default D)} for each option, comma-separated. */
  public static String describe(List<StrategyOption> options) {
    return options.stream()
        .map(o -> o.name() + " (" + o.allowed() + ", default " + o.defaultValue() + ")")
        .collect(Collectors.joining(", "));
  }

  /** The value of an {@link StrategyOption.Type#INT} option. */
  public long longValue(String name) {
    return (Long) value(name);
  }

  /** The value of an {@link StrategyOption.Type#INT} option that fits an int. */
  public int intValue(String name) {
    return Math.toIntExact(longValue(name));
  }

  /** The value of a {@link StrategyOption.Type#BOOLEAN} option. */
  public boolean booleanValue(String name) {
    return (Boolean) value(name);
  }

  /** The value of a {@link StrategyOption.Type#CHOICE} option. */
  public String choice(String name) {
    return (String) value(name);
  }

  private Object value(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no option '" + name + "' is declared; declared: " + values.keySet());
    }
    return v;
  }

  /** Every option with its value (given or default), in declaration order, as text: for metadata. */
  public Map<String, String> asMap() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  /** Only the options that were given, as given. */
  public Map<String, String> given() {
    return given;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
