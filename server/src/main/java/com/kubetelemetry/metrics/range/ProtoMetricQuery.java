/** Converts a telemetry.v1.MetricQuery into the compiler's {@link MetricQuery}, naming request fields in errors. */
package com.kubetelemetry.metrics.range;

import com.kubetelemetry.api.v1.SortOrder;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.metrics.MetricQuery;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricQuery.RankBy;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesLimit;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

final class ProtoMetricQuery {
  private ProtoMetricQuery() {}

  static MetricQuery convert(com.kubetelemetry.api.v1.MetricQuery in) {
    Duration window = in.hasWindow() ? duration(in.getWindow(), "query.window") : null;
    List<AttributeRef> keys = new ArrayList<>();
    for (int i = 0; i < in.getGroupByCount(); i++) {
      keys.add(ProtoQueries.ref(in.getGroupBy(i), "query.group_by[" + i + "]"));
    }
    return new MetricQuery(in.getMetricName(), ProtoQueries.matchers(in.getMatchersList(), "query.matchers"),
        function(in.getTemporalFunction()), window, aggregation(in.getAggregation()), keys,
        statistic(in.getHistogramStatistic()), in.hasQuantile() ? in.getQuantile() : null, limit(in.getLimit()));
  }

  /** A positive duration at {@code field}. */
  static Duration duration(com.google.protobuf.Duration d, String field) {
    Duration out = ProtoQueries.duration(d, field);
    if (out.isZero()) {
      throw invalid(field, "`" + field + "` must be positive");
    }
    return out;
  }

  private static TemporalFunction function(com.kubetelemetry.api.v1.TemporalFunction f) {
    return switch (f) {
      case TEMPORAL_FUNCTION_RATE -> TemporalFunction.RATE;
      case TEMPORAL_FUNCTION_INCREASE -> TemporalFunction.INCREASE;
      case TEMPORAL_FUNCTION_AVG_OVER_TIME -> TemporalFunction.AVG;
      case TEMPORAL_FUNCTION_MIN_OVER_TIME -> TemporalFunction.MIN;
      case TEMPORAL_FUNCTION_MAX_OVER_TIME -> TemporalFunction.MAX;
      case TEMPORAL_FUNCTION_LAST_OVER_TIME -> TemporalFunction.LAST;
      case TEMPORAL_FUNCTION_SUM_OVER_TIME -> TemporalFunction.SUM;
      case TEMPORAL_FUNCTION_COUNT_OVER_TIME -> TemporalFunction.COUNT;
      case TEMPORAL_FUNCTION_UNSPECIFIED -> TemporalFunction.DEFAULT;
      case UNRECOGNIZED -> throw invalid("query.temporal_function", "unknown `query.temporal_function`");
    };
  }

  private static SeriesAggregation aggregation(com.kubetelemetry.api.v1.SeriesAggregation a) {
    return switch (a) {
      case SERIES_AGGREGATION_SUM -> SeriesAggregation.SUM;
      case SERIES_AGGREGATION_AVG -> SeriesAggregation.AVG;
      case SERIES_AGGREGATION_MIN -> SeriesAggregation.MIN;
      case SERIES_AGGREGATION_MAX -> SeriesAggregation.MAX;
      case SERIES_AGGREGATION_COUNT -> SeriesAggregation.COUNT;
      case SERIES_AGGREGATION_UNSPECIFIED -> SeriesAggregation.NONE;
      case UNRECOGNIZED -> throw invalid("query.aggregation", "unknown `query.aggregation`");
    };
  }

  private static HistogramStatistic statistic(com.kubetelemetry.api.v1.HistogramStatistic s) {
    return switch (s) {
      case HISTOGRAM_STATISTIC_QUANTILE -> HistogramStatistic.QUANTILE;
      case HISTOGRAM_STATISTIC_COUNT -> HistogramStatistic.COUNT;
      case HISTOGRAM_STATISTIC_SUM -> HistogramStatistic.SUM;
      case HISTOGRAM_STATISTIC_MEAN -> HistogramStatistic.MEAN;
      case HISTOGRAM_STATISTIC_UNSPECIFIED -> HistogramStatistic.UNSPECIFIED;
      case UNRECOGNIZED -> throw invalid("query.histogram_statistic", "unknown `query.histogram_statistic`");
    };
  }

  private static SeriesLimit limit(com.kubetelemetry.api.v1.SeriesLimit l) {
    RankBy by = switch (l.getBy()) {
      case TOP_K_VALUE_MIN -> RankBy.MIN;
      case TOP_K_VALUE_AVG -> RankBy.AVG;
      case TOP_K_VALUE_SUM -> RankBy.SUM;
      case TOP_K_VALUE_LAST -> RankBy.LAST;
      case TOP_K_VALUE_MAX, TOP_K_VALUE_UNSPECIFIED -> RankBy.MAX;
      case UNRECOGNIZED -> throw invalid("query.limit.by", "unknown `query.limit.by`");
    };
    if (l.getOrder() == SortOrder.UNRECOGNIZED) {
      throw invalid("query.limit.order", "unknown `query.limit.order`");
    }
    return new SeriesLimit(l.getMaxSeries(), by, l.getOrder() == SortOrder.SORT_ORDER_ASCENDING);
  }

  static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
