/** One filter of a request: an attribute or column, an operator and its values (plain data, validated when compiled). */
package com.kubetelemetry.query;

import java.util.List;
import java.util.Objects;

/**
 * @param target where {@code key} is looked up
 * @param key attribute key, or API field name for {@link Target#COLUMN} (checked against an allow-list)
 * @param op comparison
 * @param values one or more for IN and NOT_IN; none for EXISTS and NOT_EXISTS; exactly one for the others
 */
public record AttributeMatcher(Target target, String key, Op op, List<String> values) {

  /** Which part of a row {@code key} names. */
  public enum Target { RESOURCE, SCOPE, ITEM, COLUMN }

  /**
   * Comparison operators. REGEX uses the engine's RE2 syntax and must match the whole value; CONTAINS ignores
   * case; GT, GE, LT and LE compare as numbers (a value that is not a number never matches). NEQ, NOT_REGEX,
   * NOT_IN and NOT_CONTAINS also match rows without the key.
   */
  public enum Op { EQ, NEQ, REGEX, NOT_REGEX, IN, NOT_IN, EXISTS, NOT_EXISTS, CONTAINS, NOT_CONTAINS, GT, GE, LT, LE }

  public AttributeMatcher {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(op, "op");
    values = values == null ? List.of() : List.copyOf(values);
  }

  public static AttributeMatcher of(Target target, String key, Op op, String... values) {
    return new AttributeMatcher(target, key, op, List.of(values));
  }
}
