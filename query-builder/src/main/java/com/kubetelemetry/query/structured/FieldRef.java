/** A reference to one attribute (resource, scope or item map) or one top-level field of a signal's rows. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.query.AttributeMatcher.Target;

/**
 * @param target where {@code key} is looked up; {@link Target#COLUMN} names a field from the signal's allow-list
 *     (snake_case, e.g. {@code duration_nanos})
 * @param key attribute key or field name
 */
public record FieldRef(Target target, String key) {

  public static FieldRef field(String name) {
    return new FieldRef(Target.COLUMN, name);
  }

  public static FieldRef resource(String key) {
    return new FieldRef(Target.RESOURCE, key);
  }

  public static FieldRef item(String key) {
    return new FieldRef(Target.ITEM, key);
  }

  public static FieldRef scope(String key) {
    return new FieldRef(Target.SCOPE, key);
  }

  /** The name used for this reference in derived output names, e.g. {@code resource.k8s.pod.name}. */
  public String displayName() {
    String prefix = switch (target == null ? Target.ITEM : target) {
      case RESOURCE -> "resource.";
      case SCOPE -> "scope.";
      case ITEM -> "attribute.";
      case COLUMN -> "field.";
    };
    return prefix + key;
  }
}
