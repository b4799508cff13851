/** Compiles a {@link TraceSearch} into one parameterized query returning a summary row per matching trace. */
package com.kubetelemetry.query;

import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Result columns: TraceId, RootServiceName, RootSpanName (the span without a parent, else the earliest),
 * StartTime (Int64 nanoseconds since the epoch), DurationNano (UInt64, last span end minus first span start),
 * SpanCount, ErrorCount,
 * ServiceNames (sorted). Spans outside the time range are not counted.
 */
public final class TraceSearchCompiler {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_MATCHERS = 32;
  public static final int MAX_NAME_LENGTH = 1024;

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public TraceSearchCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public Sql compile(TenantId tenant, TraceSearch search) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(search, "search");
    TimeWindow window = ranges.resolve(search.timeRange());
    int limit = limit(search.limit());
    String table = schema.qualified(SignalTable.TRACES.table());
    SqlBuilder sql = new SqlBuilder();
    String tenantParam = sql.param("String", tenant.tenant());
    String startParam = sql.param("DateTime64(9)", window.start());
    String endParam = sql.param("DateTime64(9)", window.end());
    sql.line("SELECT")
        .line("    TraceId,")
        .line("    argMin(ServiceName, (ParentSpanId != '', Timestamp)) AS RootServiceName,")
        .line("    argMin(SpanName, (ParentSpanId != '', Timestamp)) AS RootSpanName,")
        .line("    toUnixTimestamp64Nano(min(Timestamp)) AS StartTime,")
        .line("    toUInt64(greatest(max(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration))"
            + " - min(toUnixTimestamp64Nano(Timestamp)), 0)) AS DurationNano,")
        .line("    count() AS SpanCount,")
        .line("    countIf(StatusCode = 'Error') AS ErrorCount,")
        .line("    arraySort(groupUniqArray(ServiceName)) AS ServiceNames")
        .line("FROM " + table)
        .line("WHERE TenantId = " + tenantParam)
        .line("  AND Timestamp >= " + startParam)
        .line("  AND Timestamp < " + endParam)
        .line("  AND TraceId IN (")
        .line("    SELECT TraceId")
        .line("    FROM " + table)
        .line("    WHERE TenantId = " + tenantParam)
        .line("      AND Timestamp >= " + startParam)
        .line("      AND Timestamp < " + endParam);
    for (String predicate : spanFilters(search, sql)) {
      sql.line("      AND " + predicate);
    }
    sql.line("  )")
        .line("GROUP BY TraceId")
        .line(switch (search.order()) {
          case START_TIME -> "ORDER BY StartTime DESC, TraceId";
          case DURATION -> "ORDER BY DurationNano DESC, TraceId";
        })
        .line("LIMIT " + sql.param("UInt32", limit));
    return sql.build(limits);
  }

  private static List<String> spanFilters(TraceSearch search, SqlBuilder sql) {
    var out = new java.util.ArrayList<String>();
    if (search.service() != null) {
      out.add("ServiceName = " + sql.param("String", name(search.service(), "service")));
    }
    if (search.spanName() != null) {
      out.add("SpanName = " + sql.param("String", name(search.spanName(), "span_name")));
    }
    Duration min = search.minDuration();
    Duration max = search.maxDuration();
    if (min != null) {
      out.add("Duration >= " + sql.param("UInt64", nanos(min, "min_duration")));
    }
    if (max != null) {
      out.add("Duration <= " + sql.param("UInt64", nanos(max, "max_duration")));
    }
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw QueryException.invalid("min_duration", "min_duration " + min + " is above max_duration " + max
          + ": lower `min_duration` or raise `max_duration`");
    }
    if (search.status() != null) {
      out.add("StatusCode = " + sql.param("String", search.status().stored()));
    }
    List<AttributeMatcher> matchers = search.matchers();
    if (matchers.size() > MAX_MATCHERS) {
      throw QueryException.invalid("matchers", "request has " + matchers.size() + " matchers; the maximum is "
          + MAX_MATCHERS);
    }
    for (int i = 0; i < matchers.size(); i++) {
      out.add(MatcherPredicate.render(matchers.get(i), SignalTable.TRACES, "matchers[" + i + "]", sql));
    }
    return out;
  }

  private static String name(String value, String field) {
    if (value.length() > MAX_NAME_LENGTH) {
      throw QueryException.invalid(field, "`" + field + "` is " + value.length() + " characters; the maximum is "
          + MAX_NAME_LENGTH);
    }
    return value;
  }

  private static long nanos(Duration d, String field) {
    if (d.isNegative()) {
      throw QueryException.invalid(field, "`" + field + "` is negative: use a duration >= 0");
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw QueryException.invalid(field, "`" + field + "` is too large: use at most 292 years");
    }
  }

  private static int limit(int requested) {
    if (requested < 0 || requested > MAX_LIMIT) {
      throw QueryException.invalid("limit", "limit is " + requested + "; use 1 to " + MAX_LIMIT
          + " (0 for the default of " + DEFAULT_LIMIT + ")");
    }
    return requested == 0 ? DEFAULT_LIMIT : requested;
  }
}
