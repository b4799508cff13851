/** One filter of a request: an attribute or column, an operator and its values (plain data, validated when compiled). */
package com.kubetelemetry.query;

import java.util.List;
import java.util.Objects;

/**
 * @param target where {@code key} is looked up
 * @param key attribute key, or column name for {@link Target#COLUMN} (checked against an allow-list)
 * @param op comparison
 * @param values one value for EQ, NEQ, REGEX, NOT_REGEX; one or more for IN; none for EXISTS, NOT_EXISTS
 */
public record AttributeMatcher(Target target, String key, Op op, List<String> values) {

  /** Which part of a row {@code key} names. */
  public enum Target { RESOURCE, SCOPE, ITEM, COLUMN }

  /** Comparison operators; REGEX uses the engine's RE2 syntax. */
  public enum Op { EQ, NEQ, REGEX, NOT_REGEX, IN, EXISTS, NOT_EXISTS }

  public AttributeMatcher {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(op, "op");
    values = values == null ? List.of() : List.copyOf(values);
  }

  public static AttributeMatcher of(Target target, String key, Op op, String... values) {
    return new AttributeMatcher(target, key, op, List.of(values));
  }
}
