/** A trace search request: filters on spans, a time range, how many traces to return and in which order. */
package com.kubetelemetry.query;

import java.time.Duration;
import java.util.List;

/**
 * A trace matches when at least one of its spans in the range passes every filter. Null means "no filter" (and
 * for {@code timeRange}, the default range); {@code limit} 0 means the default.
 *
 * @param service ServiceName of the matching span
 * @param spanName SpanName of the matching span
 * @param matchers attribute and column filters on the matching span
 * @param minDuration the matching span lasts at least this long
 * @param maxDuration the matching span lasts at most this long
 * @param status StatusCode of the matching span
 */
public record TraceSearch(String service, String spanName, List<AttributeMatcher> matchers, Duration minDuration,
    Duration maxDuration, SpanStatus status, TimeRange timeRange, int limit, TraceOrder order) {

  /** Span status codes as the ingest path stores them. */
  public enum SpanStatus {
    UNSET("Unset"), OK("Ok"), ERROR("Error");

    private final String stored;

    SpanStatus(String stored) {
      this.stored = stored;
    }

    public String stored() {
      return stored;
    }
  }

  /** Result order: newest traces first, or longest first. */
  public enum TraceOrder { START_TIME, DURATION }

  public TraceSearch {
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
    order = order == null ? TraceOrder.START_TIME : order;
  }

  /** No filters, default range and limit, newest first. */
  public static TraceSearch all() {
    return new TraceSearch(null, null, List.of(), null, null, null, null, 0, TraceOrder.START_TIME);
  }

  public TraceSearch withService(String s) {
    return new TraceSearch(s, spanName, matchers, minDuration, maxDuration, status, timeRange, limit, order);
  }

  public TraceSearch withSpanName(String s) {
    return new TraceSearch(service, s, matchers, minDuration, maxDuration, status, timeRange, limit, order);
  }

  public TraceSearch withMatchers(List<AttributeMatcher> m) {
    return new TraceSearch(service, spanName, m, minDuration, maxDuration, status, timeRange, limit, order);
  }

  public TraceSearch withDurations(Duration min, Duration max) {
    return new TraceSearch(service, spanName, matchers, min, max, status, timeRange, limit, order);
  }

  public TraceSearch withStatus(SpanStatus s) {
    return new TraceSearch(service, spanName, matchers, minDuration, maxDuration, s, timeRange, limit, order);
  }

  public TraceSearch withTimeRange(TimeRange r) {
    return new TraceSearch(service, spanName, matchers, minDuration, maxDuration, status, r, limit, order);
  }

  public TraceSearch withLimit(int n) {
    return new TraceSearch(service, spanName, matchers, minDuration, maxDuration, status, timeRange, n, order);
  }

  public TraceSearch withOrder(TraceOrder o) {
    return new TraceSearch(service, spanName, matchers, minDuration, maxDuration, status, timeRange, limit, o);
  }
}
