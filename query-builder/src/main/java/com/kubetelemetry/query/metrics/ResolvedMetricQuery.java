/** A validated metric query with every default applied: what the SQL stages are generated from. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricQuery.RankBy;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import java.util.List;

/**
 * @param function never DEFAULT
 * @param statistic UNSPECIFIED for gauges and sums, never UNSPECIFIED for histograms
 * @param quantile the quantile for QUANTILE, else 0
 * @param maxSeries the series cap (1 to {@link MetricQueryCompiler#MAX_SERIES})
 * @param rollup true when a 1-minute rollup answers the query (exactly, or the counter rollup's statement stops)
 */
record ResolvedMetricQuery(String metricName, List<AttributeMatcher> matchers, MetricShape shape,
    EvaluationGrid grid, TemporalFunction function, SeriesAggregation aggregation, List<AttributeRef> groupBy,
    HistogramStatistic statistic, double quantile, int maxSeries, RankBy rankBy, boolean ascending,
    boolean rollup) {

  boolean aggregated() {
    return aggregation != SeriesAggregation.NONE;
  }

  boolean histogram() {
    return shape.kind().histogram();
  }

  /** Rate or increase over a cumulative series: needs the previous point of each series (a look-back). */
  boolean needsPrevious() {
    return !rollup && (function == TemporalFunction.RATE || function == TemporalFunction.INCREASE)
        && shape.cumulative();
  }

  /** Rate or increase over a cumulative sum read from the counter rollup. */
  boolean counterRollup() {
    return rollup && (function == TemporalFunction.RATE || function == TemporalFunction.INCREASE)
        && shape.cumulative();
  }

  /** Histogram statistics computed after the bucket counts, sums and counts are combined across series. */
  boolean distributionStatistic() {
    return statistic == HistogramStatistic.QUANTILE || statistic == HistogramStatistic.MEAN;
  }
}
