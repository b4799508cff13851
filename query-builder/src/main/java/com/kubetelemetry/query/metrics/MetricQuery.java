/** A metric query as the compiler reads it: one metric, filters, a per-series function, aggregation and a series cap. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeRef;
import java.time.Duration;
import java.util.List;

/**
 * Mirrors telemetry.v1.MetricQuery without depending on generated code. Null {@code window} means the default
 * (the step for range queries, 5 minutes for instant ones); null {@code quantile} means none was given.
 *
 * @param metricName the metric, required
 * @param matchers conditions on the series; all have to hold
 * @param function per-series function over each window
 * @param window look-back of the function from the end of each step
 * @param aggregation how series are combined at each step
 * @param groupBy keys whose values form the groups (and the labels) of an aggregation
 * @param statistic for histograms: which value is computed from the distribution
 * @param quantile quantile in [0, 1] for {@link HistogramStatistic#QUANTILE}
 * @param limit how many series to return, and which
 */
public record MetricQuery(String metricName, List<AttributeMatcher> matchers, TemporalFunction function,
    Duration window, SeriesAggregation aggregation, List<AttributeRef> groupBy, HistogramStatistic statistic,
    Double quantile, SeriesLimit limit) {

  /** What is computed per series over each window. */
  public enum TemporalFunction { DEFAULT, RATE, INCREASE, AVG, MIN, MAX, LAST, SUM, COUNT }

  /** How series are combined at each step; NONE returns every stored series. */
  public enum SeriesAggregation { NONE, SUM, AVG, MIN, MAX, COUNT }

  /** The value computed from each histogram. */
  public enum HistogramStatistic { UNSPECIFIED, QUANTILE, COUNT, SUM, MEAN }

  /** The per-series figure series are ranked by when there are more than allowed. */
  public enum RankBy { MAX, MIN, AVG, SUM, LAST }

  /**
   * @param maxSeries 0 for the default; at most {@link MetricQueryCompiler#MAX_SERIES}
   * @param by ranking figure
   * @param ascending true keeps the smallest series (bottom-k), false the largest (top-k)
   */
  public record SeriesLimit(int maxSeries, RankBy by, boolean ascending) {
    public SeriesLimit {
      by = by == null ? RankBy.MAX : by;
    }

    public static SeriesLimit defaults() {
      return new SeriesLimit(0, RankBy.MAX, false);
    }
  }

  public MetricQuery {
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    function = function == null ? TemporalFunction.DEFAULT : function;
    aggregation = aggregation == null ? SeriesAggregation.NONE : aggregation;
    statistic = statistic == null ? HistogramStatistic.UNSPECIFIED : statistic;
    limit = limit == null ? SeriesLimit.defaults() : limit;
  }

  /** The plain query for {@code metricName}: defaults everywhere. */
  public static MetricQuery of(String metricName) {
    return new MetricQuery(metricName, List.of(), null, null, null, List.of(), null, null, null);
  }

  public MetricQuery withMatchers(List<AttributeMatcher> m) {
    return new MetricQuery(metricName, m, function, window, aggregation, groupBy, statistic, quantile, limit);
  }

  public MetricQuery withFunction(TemporalFunction f) {
    return new MetricQuery(metricName, matchers, f, window, aggregation, groupBy, statistic, quantile, limit);
  }

  public MetricQuery withWindow(Duration w) {
    return new MetricQuery(metricName, matchers, function, w, aggregation, groupBy, statistic, quantile, limit);
  }

  public MetricQuery withAggregation(SeriesAggregation a, List<AttributeRef> keys) {
    return new MetricQuery(metricName, matchers, function, window, a, keys, statistic, quantile, limit);
  }

  public MetricQuery withStatistic(HistogramStatistic s, Double q) {
    return new MetricQuery(metricName, matchers, function, window, aggregation, groupBy, s, q, limit);
  }

  public MetricQuery withLimit(SeriesLimit l) {
    return new MetricQuery(metricName, matchers, function, window, aggregation, groupBy, statistic, quantile, l);
  }
}
