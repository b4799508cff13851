/** Compiles a {@link TraceFetch} into one query that reads every span of one trace of one tenant. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.util.Objects;

/**
 * Without a hint, the trace's period comes from {@code otel_traces_trace_id_ts} (sorted by tenant and trace id, so
 * the lookup reads one granule) in scalar subqueries the engine runs first; the span read is then bounded by
 * tenant, trace id and that period, which prunes partitions and lets the trace-id bloom filter skip granules. The
 * lookup stores whole seconds (Start rounded down, End rounded down), so the read ends one second after End; both
 * are converted to DateTime64 first (comparing the spans' DateTime64 with the lookup's DateTime plus a number
 * silently matches nothing on the engine). A trace the lookup does not know yields an empty period and no rows.
 *
 * <p>Result columns, one row per span ordered by start then span id, at most {@link #limit}+1 rows (the extra
 * one tells the caller the trace was truncated): 0 TraceId, 1 SpanId, 2 ParentSpanId, 3 TraceState, 4 SpanName,
 * 5 SpanKind, 6 ServiceName, 7 StartNanos (Int64), 8 Duration (UInt64 nanos), 9 StatusCode, 10 StatusMessage,
 * 11 SpanAttributes, 12 ResourceAttributes, 13 ScopeName, 14 ScopeVersion, 15 EventNanos (Array(Int64)),
 * 16 EventNames, 17 EventAttributes (Array(Map)), 18 LinkTraceIds, 19 LinkSpanIds, 20 LinkTraceStates,
 * 21 LinkAttributes (Array(Map)).
 */
public final class TraceFetchCompiler {
  public static final int DEFAULT_SPAN_LIMIT = 10_000;
  public static final int MAX_SPAN_LIMIT = 100_000;
  public static final String TRACE_ID_FIELD = "trace_id";
  public static final String HINT_FIELD = "time_hint";
  public static final String LIMIT_FIELD = "span_limit";

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public TraceFetchCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The span limit {@code fetch} asks for, defaults applied (the query returns up to one row more). */
  public static int limit(TraceFetch fetch) {
    return RequestChecks.limit(fetch.spanLimit(), DEFAULT_SPAN_LIMIT, MAX_SPAN_LIMIT, LIMIT_FIELD);
  }

  public Sql compile(TenantId tenant, TraceFetch fetch) {
    Objects.requireNonNull(tenant, "tenant");
    String traceId = TraceIdText.normalize(fetch.traceId(), TRACE_ID_FIELD);
    int limit = limit(fetch);
    TimeWindow hint = fetch.hint() == null ? null : RequestChecks.window(ranges, fetch.hint(), HINT_FIELD);
    SqlBuilder sql = new SqlBuilder();
    String tenantParam = sql.param("String", tenant.tenant());
    String traceParam = sql.param("String", traceId);
    String start;
    String end;
    if (hint == null) {
      String lookup = schema.qualified(OtelSchema.TRACE_ID_TS);
      String where = " WHERE TenantId = " + tenantParam + " AND TraceId = " + traceParam + ")";
      // One scalar subquery for both bounds: each subquery is a separate read of the lookup table (~4 ms).
      sql.line("WITH")
          .line("    (SELECT (toDateTime64(min(Start), 9), toDateTime64(max(End), 9) + toIntervalSecond(1))")
          .line("     FROM " + lookup + where + " AS TraceBounds");
      start = "TraceBounds.1";
      end = "TraceBounds.2";
    } else {
      start = sql.param("DateTime64(9)", hint.start());
      end = sql.param("DateTime64(9)", hint.end());
    }
    sql.line("SELECT")
        .line("    TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,")
        .line("    toUnixTimestamp64Nano(Timestamp) AS StartNanos, Duration, StatusCode, StatusMessage,")
        .line("    SpanAttributes, ResourceAttributes, ScopeName, ScopeVersion,")
        .line("    arrayMap(t -> toUnixTimestamp64Nano(t), Events.Timestamp) AS EventNanos, Events.Name,")
        .line("    Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes")
        .line("FROM " + schema.qualified(SignalTable.TRACES.table()))
        .line("WHERE TenantId = " + tenantParam)
        .line("  AND TraceId = " + traceParam)
        .line("  AND Timestamp >= " + start)
        .line("  AND Timestamp < " + end)
        .line("ORDER BY Timestamp, SpanId")
        .line("LIMIT " + sql.param("UInt32", limit + 1));
    return sql.build(limits);
  }
}
