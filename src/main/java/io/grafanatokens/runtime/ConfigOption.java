package io.grafanatokens.runtime;

import java.util.function.Function;

/**
 * One operator setting: its environment variable, default, description and parser. Declared once in
 * {@link OperatorConfig#OPTIONS}; the README's configuration table lists the same.
 */
public record ConfigOption<T>(
    String env, String defaultValue, String description, Function<String, T> parser) {
  T parse(String raw) {
    String v = raw == null || raw.isBlank() ? defaultValue : raw.trim();
    try {
      return parser.apply(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(env + "=" + raw + " is not valid: " + e.getMessage(), e);
    }
  }
}
