/** A compiled statement: SQL text with {name:Type} placeholders, the values bound to them, and query settings. */
package com.kubetelemetry.sql;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compiled ClickHouse statement. The text never contains user values (they are {@link Param}s) and never a blank
 * line: the embedded engine splits statements at blank lines, so one would turn the rest of the text into SQL.
 */
public record Sql(String text, List<Param> params, Map<String, String> settings) {

  public Sql {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("SQL text is empty");
    }
    if (hasBlankLine(text)) {
      throw new IllegalArgumentException("SQL text contains a blank line, which the engine treats as a statement break");
    }
    params = List.copyOf(params);
    settings = Map.copyOf(settings);
    long distinct = params.stream().map(Param::name).distinct().count();
    if (distinct != params.size()) {
      throw new IllegalArgumentException("duplicate parameter names in " + params);
    }
  }

  /** A statement with no parameters and no settings (DDL, fixed queries). */
  public static Sql of(String text) {
    return new Sql(text, List.of(), Map.of());
  }

  /** A statement with parameters and no settings. */
  public static Sql of(String text, Param... params) {
    return new Sql(text, List.of(params), Map.of());
  }

  /** This statement with one more setting. */
  public Sql withSetting(String name, String value) {
    var merged = new java.util.LinkedHashMap<>(settings);
    merged.put(name, value);
    return new Sql(text, params, merged);
  }

  /** True when the text has an empty or whitespace-only line between two newlines. */
  static boolean hasBlankLine(String text) {
    int lineStart = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        if (lineStart >= 0 && text.substring(lineStart, i).isBlank()) {
          return true;
        }
        lineStart = i + 1;
      }
    }
    return false;
  }
}
