/** Compiles a {@link SpanMetricsQuery} into one query returning one row per series with its per-step points. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One scan: the inner query aggregates spans per group and step bucket (count, errors and an exact-quantile
 * state of the durations); the outer one merges the buckets of each group into its totals and an array of points,
 * keeps the busiest groups and returns one more when more matched. Buckets are whole steps counted from the grid
 * start; only buckets with spans appear (the caller fills the gaps). Spans are read from the requested window,
 * so the first and last buckets may cover less than a step. Quantiles are exact ({@code quantilesExact}: the value
 * at index floor(q * n) of the sorted durations, the largest for q = 1).
 *
 * <p>Result columns, busiest first: 0 GroupService, 1 GroupSpan ('' per service), 2 GroupKind ('' per service),
 * 3 Requests, 4 Errors, 5 Latencies (Array(UInt64), nanos, in quantile order), 6 Points: Array(Tuple(bucket index
 * Int64, requests, errors, latencies)) sorted by bucket.
 */
public final class SpanMetricsCompiler {
  public static final int DEFAULT_MAX_SERIES = 100;
  public static final int MAX_SERIES = 1000;
  public static final int MAX_QUANTILES = 10;
  public static final int MAX_MATCHERS = 32;
  public static final int TARGET_POINTS = 300;
  public static final long DEFAULT_MAX_POINTS = 11_000;
  public static final List<Double> DEFAULT_QUANTILES = List.of(0.5, 0.95, 0.99);
  private static final long[] NICE_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
      21600, 43200, 86400};

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;
  private final long maxPoints;

  public SpanMetricsCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits, long maxPoints) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
    if (maxPoints <= 0) {
      throw new IllegalArgumentException("maxPoints must be positive: " + maxPoints);
    }
    this.maxPoints = maxPoints;
  }

  public CompiledSpanMetrics compile(TenantId tenant, SpanMetricsQuery query) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(query.timeRange());
    Duration step = query.step() == null ? autoStep(window) : query.step();
    StepGrid grid = StepGrid.align(window, step, maxPoints, "time_range.step");
    List<Double> quantiles = quantiles(query.quantiles());
    int maxSeries = RequestChecks.limit(query.maxSeries(), DEFAULT_MAX_SERIES, MAX_SERIES, "max_series");
    boolean perService = query.grouping() == SpanMetricsQuery.Grouping.SERVICE;
    SqlBuilder sql = new SqlBuilder();
    String tenantParam = sql.param("String", tenant.tenant());
    String startParam = sql.param("DateTime64(9)", window.start());
    String endParam = sql.param("DateTime64(9)", window.end());
    List<String> levels = new ArrayList<>();
    for (double q : quantiles) {
      levels.add(sql.param("Float64", q));
    }
    String levelList = String.join(", ", levels);
    sql.line("SELECT GroupService, GroupSpan, GroupKind, sum(BucketRequests) AS Requests,")
        .line("    sum(BucketErrors) AS Errors, quantilesExactMerge(" + levelList + ")(BucketState) AS Latencies,")
        .line("    arraySort(p -> p.1, groupArray((Bucket, BucketRequests, BucketErrors,")
        .line("        finalizeAggregation(BucketState)))) AS Points")
        .line("FROM (")
        .line(perService ? "    SELECT ServiceName AS GroupService, '' AS GroupSpan, '' AS GroupKind,"
            : "    SELECT ServiceName AS GroupService, SpanName AS GroupSpan, SpanKind AS GroupKind,")
        .line("        intDiv(toInt64(toUnixTimestamp(Timestamp)) - "
            + sql.param("Int64", grid.start().getEpochSecond()) + ", " + sql.param("Int64", grid.step().toSeconds())
            + ") AS Bucket,")
        .line("        count() AS BucketRequests, countIf(StatusCode = 'Error') AS BucketErrors,")
        .line("        quantilesExactState(" + levelList + ")(Duration) AS BucketState")
        .line("    FROM " + schema.qualified(SignalTable.TRACES.table()))
        .line("    WHERE TenantId = " + tenantParam)
        .line("      AND Timestamp >= " + startParam)
        .line("      AND Timestamp < " + endParam);
    for (String predicate : filters(query, sql)) {
      sql.line("      AND " + predicate);
    }
    return new CompiledSpanMetrics(sql.line("    GROUP BY GroupService, GroupSpan, GroupKind, Bucket")
        .line(")")
        .line("GROUP BY GroupService, GroupSpan, GroupKind")
        .line("ORDER BY Requests DESC, GroupService, GroupSpan, GroupKind")
        .line("LIMIT " + sql.param("UInt32", maxSeries + 1))
        .build(limits), window, grid, quantiles, maxSeries);
  }

  /** The step giving about {@link #TARGET_POINTS} points over {@code window}, rounded up to a common width. */
  public static Duration autoStep(TimeWindow window) {
    long wanted = Math.ceilDiv(Math.max(1, window.span().toSeconds()), TARGET_POINTS);
    for (long nice : NICE_STEPS) {
      if (nice >= wanted) {
        return Duration.ofSeconds(nice);
      }
    }
    return Duration.ofDays(Math.ceilDiv(wanted, 86_400));
  }

  private static List<String> filters(SpanMetricsQuery query, SqlBuilder sql) {
    List<String> out = new ArrayList<>();
    if (query.service() != null && !query.service().isEmpty()) {
      out.add("ServiceName = " + sql.param("String", RequestChecks.name(query.service(), "service_name")));
    }
    if (query.spanName() != null && !query.spanName().isEmpty()) {
      out.add("SpanName = " + sql.param("String", RequestChecks.name(query.spanName(), "span_name")));
    }
    out.add(query.kind() == null ? "SpanKind IN ('Server', 'Consumer')"
        : "SpanKind = " + sql.param("String", query.kind().stored()));
    List<AttributeMatcher> matchers = query.matchers();
    if (matchers.size() > MAX_MATCHERS) {
      throw RequestChecks.invalid("matchers", "request has " + matchers.size() + " matchers; the maximum is "
          + MAX_MATCHERS);
    }
    for (int i = 0; i < matchers.size(); i++) {
      out.add(MatcherPredicate.render(matchers.get(i), SignalTable.TRACES, "matchers[" + i + "]", sql));
    }
    return out;
  }

  private static List<Double> quantiles(List<Double> requested) {
    if (requested.isEmpty()) {
      return DEFAULT_QUANTILES;
    }
    if (requested.size() > MAX_QUANTILES) {
      throw RequestChecks.invalid("quantiles", "request has " + requested.size() + " quantiles; the maximum is "
          + MAX_QUANTILES);
    }
    for (int i = 0; i < requested.size(); i++) {
      double q = requested.get(i);
      if (!(q >= 0 && q <= 1)) {
        throw RequestChecks.invalid("quantiles[" + i + "]", "`quantiles[" + i + "]` is " + q
            + "; a quantile is between 0 and 1, e.g. 0.99");
      }
    }
    return requested;
  }
}
