package org.ipctestbed.experiments.workload;

/**
 * A workload parameter: name, default value (as text), and what it means.
 *
 * @param name the key used in {@code --param name=value} and in results
 * @param defaultValue the value used when none is given
 * @param description one line, including the unit and the allowed range
 */
public record Param(String name, String defaultValue, String description) {}
