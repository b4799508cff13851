/** A ListMetrics request in query-builder terms: filters, time range, page size and where the page starts. */
package com.kubetelemetry.query.catalog;

import com.kubetelemetry.query.TimeRange;

/**
 * Null or empty text means "no filter"; a null range means the default range; page size 0 means the default.
 *
 * @param namePrefix metric names starting with this (case-sensitive)
 * @param serviceName only metrics this service emitted (all their services are still listed)
 * @param kind only this kind, null for any
 * @param after the last metric of the previous page, null for the first page
 */
public record MetricListing(TimeRange timeRange, String namePrefix, String serviceName, MetricKind kind,
    int pageSize, Position after) {

  /** A place in the listing order (name, then kind). */
  public record Position(String name, MetricKind kind) {}

  public static MetricListing all() {
    return new MetricListing(null, null, null, null, 0, null);
  }

  public MetricListing withTimeRange(TimeRange r) {
    return new MetricListing(r, namePrefix, serviceName, kind, pageSize, after);
  }

  public MetricListing withNamePrefix(String p) {
    return new MetricListing(timeRange, p, serviceName, kind, pageSize, after);
  }

  public MetricListing withServiceName(String s) {
    return new MetricListing(timeRange, namePrefix, s, kind, pageSize, after);
  }

  public MetricListing withKind(MetricKind k) {
    return new MetricListing(timeRange, namePrefix, serviceName, k, pageSize, after);
  }

  public MetricListing withPageSize(int n) {
    return new MetricListing(timeRange, namePrefix, serviceName, kind, n, after);
  }

  public MetricListing withAfter(Position p) {
    return new MetricListing(timeRange, namePrefix, serviceName, kind, pageSize, p);
  }
}
