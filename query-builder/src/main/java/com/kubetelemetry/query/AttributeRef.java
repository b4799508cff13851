/** Names one attribute or top-level field of a signal, e.g. to group by it or select it. */
package com.kubetelemetry.query;

import java.util.Objects;

/**
 * @param target where {@code key} is looked up ({@link AttributeMatcher.Target#COLUMN} for a top-level field)
 * @param key attribute key, or the API field name for COLUMN (checked against the table's allow-list)
 */
public record AttributeRef(AttributeMatcher.Target target, String key) {
  public AttributeRef {
    Objects.requireNonNull(target, "target");
  }
}
