/** The attribute map an attribute catalog entry came from: resource, instrumentation scope, or data point. */
package com.kubetelemetry.query.catalog;

/** {@link #stored} is the catalog's Enum8 name. */
public enum AttributeSource {
  RESOURCE("resource"), SCOPE("scope"), POINT("point");

  private final String stored;

  AttributeSource(String stored) {
    this.stored = stored;
  }

  public String stored() {
    return stored;
  }
}
