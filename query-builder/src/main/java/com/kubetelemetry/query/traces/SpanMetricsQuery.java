/** A request for request, error and latency figures over time, per service or per operation. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.TimeRange;
import java.time.Duration;
import java.util.List;

/**
 * Null or empty means "not set" for every field; {@code maxSeries} 0 means the default.
 *
 * @param step bucket width; null picks one giving about {@link SpanMetricsCompiler#TARGET_POINTS} points
 * @param kind only spans of this kind; null for SERVER and CONSUMER spans (the requests services handle)
 * @param quantiles latency quantiles in [0, 1]; empty for 0.5, 0.95 and 0.99
 */
public record SpanMetricsQuery(TimeRange timeRange, Duration step, String service, String spanName, SpanKind kind,
    List<AttributeMatcher> matchers, Grouping grouping, List<Double> quantiles, int maxSeries) {

  /** How spans are split into series. */
  public enum Grouping { SERVICE, OPERATION }

  public SpanMetricsQuery {
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
    quantiles = quantiles == null ? List.of() : List.copyOf(quantiles);
    grouping = grouping == null ? Grouping.OPERATION : grouping;
  }

  /** Every operation's SERVER and CONSUMER spans over {@code range}, default step, quantiles and series cap. */
  public static SpanMetricsQuery over(TimeRange range) {
    return new SpanMetricsQuery(range, null, null, null, null, List.of(), Grouping.OPERATION, List.of(), 0);
  }

  public SpanMetricsQuery withStep(Duration s) {
    return new SpanMetricsQuery(timeRange, s, service, spanName, kind, matchers, grouping, quantiles, maxSeries);
  }

  public SpanMetricsQuery withService(String s) {
    return new SpanMetricsQuery(timeRange, step, s, spanName, kind, matchers, grouping, quantiles, maxSeries);
  }

  public SpanMetricsQuery withSpanName(String s) {
    return new SpanMetricsQuery(timeRange, step, service, s, kind, matchers, grouping, quantiles, maxSeries);
  }

  public SpanMetricsQuery withKind(SpanKind k) {
    return new SpanMetricsQuery(timeRange, step, service, spanName, k, matchers, grouping, quantiles, maxSeries);
  }

  public SpanMetricsQuery withMatchers(List<AttributeMatcher> m) {
    return new SpanMetricsQuery(timeRange, step, service, spanName, kind, m, grouping, quantiles, maxSeries);
  }

  public SpanMetricsQuery withGrouping(Grouping g) {
    return new SpanMetricsQuery(timeRange, step, service, spanName, kind, matchers, g, quantiles, maxSeries);
  }

  public SpanMetricsQuery withQuantiles(List<Double> q) {
    return new SpanMetricsQuery(timeRange, step, service, spanName, kind, matchers, grouping, q, maxSeries);
  }

  public SpanMetricsQuery withMaxSeries(int n) {
    return new SpanMetricsQuery(timeRange, step, service, spanName, kind, matchers, grouping, quantiles, n);
  }
}
