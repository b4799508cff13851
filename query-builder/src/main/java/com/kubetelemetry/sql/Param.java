/** One bound value of a compiled statement, named after its {name:Type} placeholder. */
package com.kubetelemetry.sql;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A query parameter. {@code type} is the ClickHouse type written in the placeholder ({@code {name:type}});
 * {@code value} is a Java value the storage layer renders for that type: String, Long/Integer, Double, Boolean,
 * java.time.Instant (for DateTime64), or a java.util.List of those (for Array types).
 */
public record Param(String name, String type, Object value) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  public Param {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid parameter name: " + name);
    }
  }

  /** The placeholder to write in SQL text for this parameter. */
  public String placeholder() {
    return "{" + name + ":" + type + "}";
  }
}
