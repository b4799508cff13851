/** Compiles a {@link TraceSearch} into one parameterized query returning a summary row per matching trace. */
package com.kubetelemetry.query;

import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A search runs in three statements, so the expensive filter scan happens once and the summaries read only the
 * few traces of the page: (1) {@link #candidates}: ids of the traces with a span passing every filter, newest
 * (or longest) matching span first, one page; (2) {@link #bounds}: the earliest and latest span start of those
 * traces from {@code otel_traces_trace_id_ts}, to narrow the time scanned next; (3) {@link #summaries}: the
 * summary of each candidate over all its spans in the range. The page is the traces whose matching spans are the
 * newest (or longest); it is then ordered by trace start (or trace duration). With no filter every span matches,
 * so the page is exactly the newest traces by start.
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

  /** The window a search reads: resolve once and pass it to every statement of the search. */
  public TimeWindow window(TraceSearch search) {
    return ranges.resolve(search.timeRange());
  }

  /** Statement 1 over the search's own window. */
  public Sql candidates(TenantId tenant, TraceSearch search) {
    return candidates(tenant, search, window(search));
  }

  /** Statement 1. Result column: TraceId, at most the search's limit rows. */
  public Sql candidates(TenantId tenant, TraceSearch search, TimeWindow window) {
    Objects.requireNonNull(tenant, "tenant");
    int limit = limit(search.limit());
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT TraceId")
        .line("FROM " + schema.qualified(SignalTable.TRACES.table()))
        .line("WHERE TenantId = " + sql.param("String", tenant.tenant()))
        .line("  AND Timestamp >= " + sql.param("DateTime64(9)", window.start()))
        .line("  AND Timestamp < " + sql.param("DateTime64(9)", window.end()));
    for (String predicate : spanFilters(search, sql)) {
      sql.line("  AND " + predicate);
    }
    sql.line("GROUP BY TraceId")
        .line(switch (search.order()) {
          case START_TIME -> "ORDER BY min(Timestamp) DESC, TraceId";
          case DURATION -> "ORDER BY max(Duration) DESC, TraceId";
        })
        .line("LIMIT " + sql.param("UInt32", limit));
    return sql.build(limits);
  }

  /** Statement 2. Result columns: first and last span start (Int64 epoch seconds; 0 when none are known). */
  public Sql bounds(TenantId tenant, List<String> traceIds) {
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT toInt64(toUnixTimestamp(min(Start))), toInt64(toUnixTimestamp(max(End)))")
        .line("FROM " + schema.qualified("otel_traces_trace_id_ts"))
        .line("WHERE TenantId = " + sql.param("String", tenant.tenant()))
        .line("  AND TraceId IN " + sql.param("Array(String)", traceIds));
    return sql.build(limits);
  }

  /**
   * Statement 3. Result columns: TraceId, RootServiceName, RootSpanName (the span without a parent, else the
   * earliest), StartTime (Int64 nanoseconds since the epoch), DurationNano (UInt64, last span end minus first
   * span start), SpanCount, ErrorCount, ServiceNames (sorted). Only spans inside {@code window} and inside
   * {@code [from, to)} (from statement 2, a narrowing of the window) are read.
   */
  public Sql summaries(TenantId tenant, TraceSearch search, TimeWindow window, List<String> traceIds,
      Instant from, Instant to) {
    Instant start = from.isAfter(window.start()) ? from : window.start();
    Instant end = to.isBefore(window.end()) ? to : window.end();
    if (!start.isBefore(end)) {
      start = window.start();
      end = window.end();
    }
    SqlBuilder sql = new SqlBuilder();
    String tenantParam = sql.param("String", tenant.tenant());
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
        .line("FROM " + schema.qualified(SignalTable.TRACES.table()))
        .line("WHERE TenantId = " + tenantParam)
        .line("  AND Timestamp >= " + sql.param("DateTime64(9)", start))
        .line("  AND Timestamp < " + sql.param("DateTime64(9)", end))
        .line("  AND TraceId IN " + sql.param("Array(String)", traceIds))
        .line("GROUP BY TraceId")
        .line(switch (search.order()) {
          case START_TIME -> "ORDER BY StartTime DESC, TraceId";
          case DURATION -> "ORDER BY DurationNano DESC, TraceId";
        });
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
