/** A ListAttributeKeys or ListAttributeValues request in query-builder terms. */
package com.kubetelemetry.query.catalog;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.TimeRange;
import java.util.List;
import java.util.Objects;

/**
 * Null or empty text means "no filter"; a null range means the default range; limit 0 means the default.
 *
 * @param metricName only entries of this metric
 * @param source the attribute map listed
 * @param key for values: the key whose values are listed (required); ignored for keys
 * @param prefix only keys (or values) starting with this text
 * @param matchers for values: only values seen on points matching all of these (reads the points, not the catalog)
 */
public record AttributeListing(TimeRange timeRange, String metricName, AttributeSource source, String key,
    String prefix, int limit, List<AttributeMatcher> matchers) {

  public AttributeListing {
    Objects.requireNonNull(source, "source");
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
  }

  /** Point attributes of any metric in the default range. */
  public static AttributeListing of(AttributeSource source) {
    return new AttributeListing(null, null, source, null, null, 0, List.of());
  }

  public AttributeListing withTimeRange(TimeRange r) {
    return new AttributeListing(r, metricName, source, key, prefix, limit, matchers);
  }

  public AttributeListing withMetricName(String m) {
    return new AttributeListing(timeRange, m, source, key, prefix, limit, matchers);
  }

  public AttributeListing withKey(String k) {
    return new AttributeListing(timeRange, metricName, source, k, prefix, limit, matchers);
  }

  public AttributeListing withPrefix(String p) {
    return new AttributeListing(timeRange, metricName, source, key, p, limit, matchers);
  }

  public AttributeListing withLimit(int n) {
    return new AttributeListing(timeRange, metricName, source, key, prefix, n, matchers);
  }

  public AttributeListing withMatchers(List<AttributeMatcher> m) {
    return new AttributeListing(timeRange, metricName, source, key, prefix, limit, m);
  }
}
