/** The five kinds of metric data points, as the metric catalog stores them and the API numbers them. */
package com.kubetelemetry.query.catalog;

import java.util.Arrays;
import java.util.Optional;

/** {@link #number} equals the API's MetricType enum number; {@link #stored} is the catalog's Enum8 name. */
public enum MetricKind {
  GAUGE("gauge"), SUM("sum"), HISTOGRAM("histogram"), EXPONENTIAL_HISTOGRAM("exponential_histogram"),
  SUMMARY("summary");

  private final String stored;

  MetricKind(String stored) {
    this.stored = stored;
  }

  public String stored() {
    return stored;
  }

  /** 1 for GAUGE ... 5 for SUMMARY. */
  public int number() {
    return ordinal() + 1;
  }

  /** The kind with API number {@code number}, if any. */
  public static Optional<MetricKind> ofNumber(int number) {
    return Arrays.stream(values()).filter(k -> k.number() == number).findFirst();
  }
}
