/** Validates a {@link MetricQuery} against the metric's shape and compiles it into one statement returning series. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.SchemaOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Field names in errors are request paths under {@code query.}. Temporal functions: RATE and INCREASE apply to
 * monotonic sums (cumulative ones corrected for resets: a drop means the counter restarted, so the increase is
 * the new value), to delta sums (summed) and to histograms (bucket counts); the other functions apply to gauges
 * and sums. Histograms need a statistic. The rollup is read when {@link #rollupAnswers} says it is exact.
 */
public final class MetricQueryCompiler {
  public static final int DEFAULT_SERIES = 100;
  public static final int MAX_SERIES = 10_000;
  public static final int MAX_MATCHERS = 32;
  public static final int MAX_GROUP_KEYS = 16;
  public static final int MAX_NAME_LENGTH = 1024;
  /** How long before the first window a cumulative series' previous point is looked for. */
  public static final Duration PREVIOUS_POINT_LOOKBACK = Duration.ofMinutes(5);
  public static final Duration ROLLUP_RESOLUTION = Duration.ofMinutes(1);
  /**
   * The message a counter-rollup statement stops with when a counter fell without a new start time in the range:
   * the rollup cannot place that reset inside its minute, so the caller compiles the query again on raw points.
   */
  public static final String COUNTER_FALL = "counter fell without a new start time: read raw points";

  private final SchemaOptions schema;
  private final QueryLimits limits;

  public MetricQueryCompiler(SchemaOptions schema, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * The statement evaluating {@code query} at the steps of {@code grid} over the tenant's points of a metric of
   * {@code shape}. {@code allowRollup} false forces raw points (tests compare both).
   */
  public CompiledMetricQuery compile(TenantId tenant, MetricQuery query, MetricShape shape, EvaluationGrid grid,
      boolean allowRollup) {
    Objects.requireNonNull(tenant, "tenant");
    ResolvedMetricQuery resolved = resolve(query, shape, grid, allowRollup);
    var sql = new MetricStages(schema, tenant, resolved).render().build(limits);
    List<String> keys = query.groupBy().stream().map(AttributeRef::key).toList();
    return new CompiledMetricQuery(sql, grid, resolved.aggregated(), resolved.aggregated() ? keys : List.of(),
        resolved.rollup(), shape, resolved.function() == TemporalFunction.RATE
        && resolved.statistic() != HistogramStatistic.QUANTILE && resolved.statistic() != HistogramStatistic.MEAN,
        resolved.maxSeries());
  }

  /** Checks the parts of {@code query} that do not depend on the metric (before looking it up). */
  public static void checkRequest(MetricQuery query) {
    checkName(query.metricName());
    if (query.matchers().size() > MAX_MATCHERS) {
      throw MetricErrors.invalid("query.matchers", "the query has " + query.matchers().size()
          + " matchers; the maximum is " + MAX_MATCHERS);
    }
    int max = query.limit().maxSeries();
    if (max < 0 || max > MAX_SERIES) {
      throw MetricErrors.invalid("query.limit.max_series", "`query.limit.max_series` is " + max + "; use 1 to "
          + MAX_SERIES + " (0 for the default of " + DEFAULT_SERIES + ")");
    }
    if (query.window() != null && (query.window().isNegative() || query.window().isZero())) {
      throw MetricErrors.invalid("query.window", "`query.window` must be positive");
    }
    Double q = query.quantile();
    if (q != null && (q.isNaN() || q < 0 || q > 1)) {
      throw MetricErrors.invalid("query.quantile", "`query.quantile` is " + q + "; use a number from 0 to 1 "
          + "(0.5 for p50, 0.99 for p99)");
    }
    checkGroupBy(query);
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw MetricErrors.invalid("query.metric_name", "`query.metric_name` is empty: name the metric to query");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw MetricErrors.invalid("query.metric_name", "`query.metric_name` is " + name.length()
          + " characters; the maximum is " + MAX_NAME_LENGTH);
    }
  }

  private static void checkGroupBy(MetricQuery query) {
    List<AttributeRef> keys = query.groupBy();
    if (!keys.isEmpty() && query.aggregation() == SeriesAggregation.NONE) {
      throw MetricErrors.invalid("query.group_by", "`query.group_by` needs an aggregation: set "
          + "`query.aggregation` (SUM, AVG, MIN, MAX or COUNT) or remove `query.group_by`");
    }
    if (keys.size() > MAX_GROUP_KEYS) {
      throw MetricErrors.invalid("query.group_by", "`query.group_by` has " + keys.size() + " keys; the maximum is "
          + MAX_GROUP_KEYS);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i).key();
      String field = "query.group_by[" + i + "].key";
      if (key == null || key.isEmpty()) {
        throw MetricErrors.invalid(field, "`" + field + "` is empty: name the attribute to group by");
      }
      if (key.length() > com.kubetelemetry.query.MatcherPredicate.MAX_KEY_LENGTH) {
        throw MetricErrors.invalid(field, "`" + field + "` is " + key.length() + " characters; the maximum is "
            + com.kubetelemetry.query.MatcherPredicate.MAX_KEY_LENGTH);
      }
      if (!seen.add(key)) {
        throw MetricErrors.invalid(field, "`" + field + "` repeats the key `" + MetricErrors.shorten(key)
            + "`: each group_by key may appear once");
      }
    }
  }

  ResolvedMetricQuery resolve(MetricQuery query, MetricShape shape, EvaluationGrid grid, boolean allowRollup) {
    checkRequest(query);
    MetricKind kind = shape.kind();
    HistogramStatistic statistic = kind == MetricKind.SUMMARY ? summaryStatistic(query) : statistic(query, shape);
    if (kind == MetricKind.SUMMARY) {
      // A summary is read as one series of values per point: a stored quantile (a gauge), or its cumulative
      // count or sum (a counter, so RATE and INCREASE apply with reset handling).
      boolean counter = statistic != HistogramStatistic.QUANTILE;
      shape = new MetricShape(MetricKind.SUMMARY, counter, counter, shape.unit());
    }
    TemporalFunction function = function(query.function(), shape);
    if (kind != MetricKind.SUMMARY
        && (statistic == HistogramStatistic.QUANTILE || statistic == HistogramStatistic.MEAN)) {
      SeriesAggregation a = query.aggregation();
      if (a != SeriesAggregation.NONE && a != SeriesAggregation.SUM) {
        throw MetricErrors.invalid("query.aggregation", statistic + " combines the histograms of a group, so "
            + "`query.aggregation` must be SUM or unspecified, not " + a);
      }
    }
    int maxSeries = query.limit().maxSeries() == 0 ? DEFAULT_SERIES : query.limit().maxSeries();
    double q = statistic == HistogramStatistic.QUANTILE ? query.quantile() : 0;
    ResolvedMetricQuery raw = new ResolvedMetricQuery(query.metricName(), query.matchers(), shape, grid, function,
        query.aggregation(), query.groupBy(), statistic, q, maxSeries, query.limit().by(),
        query.limit().ascending(), false);
    if (allowRollup && rollupAnswers(raw)) {
      return new ResolvedMetricQuery(query.metricName(), query.matchers(), shape, grid, function,
          query.aggregation(), query.groupBy(), statistic, q, maxSeries, query.limit().by(),
          query.limit().ascending(), true);
    }
    return raw;
  }

  private static TemporalFunction function(TemporalFunction requested, MetricShape shape) {
    boolean histogram = shape.kind().histogram();
    boolean increasing = histogram || (shape.kind() == MetricKind.SUM && (shape.monotonic() || !shape.cumulative()))
        || (shape.kind() == MetricKind.SUMMARY && shape.monotonic());
    if (requested == TemporalFunction.DEFAULT) {
      return increasing && (histogram || shape.monotonic()) ? TemporalFunction.RATE : TemporalFunction.LAST;
    }
    boolean rateLike = requested == TemporalFunction.RATE || requested == TemporalFunction.INCREASE;
    if (rateLike && !increasing) {
      throw MetricErrors.invalid("query.temporal_function", requested + " needs a counter (a monotonic or delta "
          + "sum) or a histogram; this metric is a " + describe(shape) + ": use AVG, MIN, MAX, LAST, SUM or COUNT"
          + " over time");
    }
    if (!rateLike && histogram) {
      throw MetricErrors.invalid("query.temporal_function", "histograms take RATE or INCREASE (of their bucket "
          + "counts), not " + requested);
    }
    return requested;
  }

  private static HistogramStatistic statistic(MetricQuery query, MetricShape shape) {
    HistogramStatistic s = query.statistic();
    if (!shape.kind().histogram()) {
      if (s != HistogramStatistic.UNSPECIFIED || query.quantile() != null) {
        throw MetricErrors.invalid(s != HistogramStatistic.UNSPECIFIED ? "query.histogram_statistic"
            : "query.quantile", "this metric is a " + describe(shape) + ": leave `query.histogram_statistic` "
            + "and `query.quantile` unset (they apply to histograms)");
      }
      return s;
    }
    if (s == HistogramStatistic.UNSPECIFIED) {
      if (query.quantile() == null) {
        throw MetricErrors.invalid("query.histogram_statistic", "this metric is a histogram: set "
            + "`query.histogram_statistic` (QUANTILE with `query.quantile`, COUNT, SUM or MEAN)");
      }
      return HistogramStatistic.QUANTILE;
    }
    if (s == HistogramStatistic.QUANTILE && query.quantile() == null) {
      throw MetricErrors.invalid("query.quantile", "QUANTILE needs `query.quantile` (0.5 for p50, 0.99 for p99)");
    }
    return s;
  }

  /** What a summary is read as: a stored quantile, its count or its sum (a summary has no buckets for a mean). */
  private static HistogramStatistic summaryStatistic(MetricQuery query) {
    HistogramStatistic s = query.statistic();
    if (s == HistogramStatistic.UNSPECIFIED) {
      if (query.quantile() == null) {
        throw MetricErrors.invalid("query.histogram_statistic", "this metric is a summary: set "
            + "`query.histogram_statistic` (QUANTILE with `query.quantile` set to one of its stored quantiles, COUNT "
            + "or SUM)");
      }
      return HistogramStatistic.QUANTILE;
    }
    if (s == HistogramStatistic.MEAN) {
      throw MetricErrors.invalid("query.histogram_statistic", "a summary's mean is not stored: ask for SUM and "
          + "COUNT (their rates divide to the mean)");
    }
    if (s == HistogramStatistic.QUANTILE && query.quantile() == null) {
      throw MetricErrors.invalid("query.quantile", "QUANTILE needs `query.quantile`, one of the quantiles the "
          + "summary stores (e.g. 0.5 or 0.99)");
    }
    return s;
  }

  private static String describe(MetricShape shape) {
    return switch (shape.kind()) {
      case GAUGE -> "gauge";
      case SUM -> (shape.cumulative() ? "cumulative " : "delta ") + (shape.monotonic() ? "monotonic" : "non-monotonic")
          + " sum";
      case HISTOGRAM -> "histogram";
      case EXP_HISTOGRAM -> "exponential histogram";
      case SUMMARY -> shape.monotonic() ? "summary count or sum" : "summary quantile";
    };
  }

  /**
   * True when a 1-minute rollup gives exactly the raw answer: a gauge or sum, steps and window whole minutes on
   * minute boundaries, matchers and group keys only on resource and point attributes. RATE/INCREASE of a cumulative
   * sum read the counter rollup, whose statement stops with {@link #COUNTER_FALL} when a drop inside one minute and
   * start time makes it inexact.
   */
  static boolean rollupAnswers(ResolvedMetricQuery q) {
    MetricKind kind = q.shape().kind();
    if (kind != MetricKind.GAUGE && kind != MetricKind.SUM) {
      return false;
    }
    long minute = ROLLUP_RESOLUTION.toNanos();
    EvaluationGrid g = q.grid();
    boolean aligned = g.step().toNanos() % minute == 0 && g.window().toNanos() % minute == 0
        && (g.start().getEpochSecond() % 60 == 0 && g.start().getNano() == 0);
    boolean attributesOnly = q.matchers().stream().allMatch(m -> m.target() == AttributeMatcher.Target.RESOURCE
        || m.target() == AttributeMatcher.Target.ITEM)
        && q.groupBy().stream().allMatch(k -> k.target() == AttributeMatcher.Target.RESOURCE
        || k.target() == AttributeMatcher.Target.ITEM);
    return aligned && attributesOnly;
  }
}
