/** One requirement of a Kubernetes label selector: a key, how it is tested, and the values it is tested against. */
package com.kubetelemetry.query.resources;

import java.util.List;
import java.util.Objects;

/**
 * @param key label key, e.g. {@code app.kubernetes.io/name}
 * @param op the test
 * @param values one value for EQUALS and NOT_EQUALS, one or more for IN and NOT_IN, none for EXISTS and NOT_EXISTS
 */
public record LabelRequirement(String key, Op op, List<String> values) {
  /** The selector operators: {@code =}/{@code ==}, {@code !=}, {@code in}, {@code notin}, {@code key}, {@code !key}. */
  public enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

  public LabelRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(op, "op");
    values = List.copyOf(values);
  }
}
