/** Compiles a {@link ServiceGraphQuery} into one query returning one row per caller-callee edge. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.Objects;

/**
 * Two kinds of edges, each call counted once:
 * <ul>
 *   <li>service to service: a span whose parent span (same trace) belongs to another service. Its latency is the
 *       parent's duration when the parent is a CLIENT or PRODUCER span (what the caller saw), else the child's
 *       (the server side, when the caller recorded no client span). It failed when either span has status Error.
 *   <li>service to peer: a CLIENT or PRODUCER span that no SERVER or CONSUMER span names as its parent, so the
 *       callee sent no spans. The peer is a database when the span has {@code db.system.name} or
 *       {@code db.system} (named by {@code server.address}, else the system), a broker when it has
 *       {@code messaging.system} (named by it), else an external peer named by {@code peer.service} or
 *       {@code server.address}; spans with none of these are not edges.
 * </ul>
 * Both sides of the parent/child join and the anti-join set are bounded by tenant and period; a parent that
 * started before the period is not seen, so its child's call is not counted. Latencies are exact quantiles
 * ({@code quantilesExact}: the value at index floor(q * n) of the sorted durations).
 *
 * <p>Result columns, sorted by calls descending then caller and callee, at most {@link #MAX_EDGES} rows:
 * 0 Caller, 1 Callee, 2 CalleeKind ('service', 'database', 'messaging' or 'external'), 3 Calls, 4 Errors,
 * 5 P50Nanos, 6 P95Nanos, 7 Latencies.
 */
public final class ServiceGraphCompiler {
  public static final int MAX_EDGES = 10_000;
  public static final int MAX_SERVICES = 100;
  public static final String SERVICES_FIELD = "service_names";

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public ServiceGraphCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public Sql compile(TenantId tenant, ServiceGraphQuery query) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(query.timeRange());
    List<String> services = services(query.services());
    String table = schema.qualified(SignalTable.TRACES.table());
    SqlBuilder sql = new SqlBuilder();
    String bounds = "WHERE TenantId = " + sql.param("String", tenant.tenant())
        + " AND Timestamp >= " + sql.param("DateTime64(9)", window.start())
        + " AND Timestamp < " + sql.param("DateTime64(9)", window.end());
    sql.line("SELECT Caller, Callee, CalleeKind, count() AS Calls, countIf(Failed) AS Errors,")
        .line("    Latencies[1] AS P50Nanos, Latencies[2] AS P95Nanos,")
        .line("    quantilesExact(0.5, 0.95)(Latency) AS Latencies")
        .line("FROM (")
        .line("    SELECT p.ServiceName AS Caller, c.ServiceName AS Callee, 'service' AS CalleeKind,")
        .line("        p.StatusCode = 'Error' OR c.StatusCode = 'Error' AS Failed,")
        .line("        if(p.SpanKind IN ('Client', 'Producer'), p.Duration, c.Duration) AS Latency")
        .line("    FROM (SELECT TraceId, ParentSpanId, ServiceName, StatusCode, Duration FROM " + table)
        .line("        " + bounds)
        .line("        AND ParentSpanId != '') AS c")
        .line("    INNER JOIN (SELECT TraceId, SpanId, ServiceName, SpanKind, StatusCode, Duration FROM " + table)
        .line("        " + bounds + ") AS p")
        .line("    ON c.TraceId = p.TraceId AND c.ParentSpanId = p.SpanId")
        .line("    WHERE c.ServiceName != p.ServiceName")
        .line("    UNION ALL")
        .line("    SELECT Caller, Callee, CalleeKind, Failed, Latency FROM (")
        .line("        SELECT ServiceName AS Caller, StatusCode = 'Error' AS Failed, Duration AS Latency,")
        .line("            if(SpanAttributes['db.system.name'] != '', SpanAttributes['db.system.name'],")
        .line("                SpanAttributes['db.system']) AS DbSystem,")
        .line("            SpanAttributes['server.address'] AS Address, SpanAttributes['messaging.system'] AS Broker,")
        .line("            multiIf(DbSystem != '', if(Address != '', Address, DbSystem), Broker != '', Broker,")
        .line("                SpanAttributes['peer.service'] != '', SpanAttributes['peer.service'],")
        .line("                Address) AS Callee,")
        .line("            multiIf(DbSystem != '', 'database', Broker != '', 'messaging', 'external') AS CalleeKind")
        .line("        FROM " + table)
        .line("        " + bounds)
        .line("            AND SpanKind IN ('Client', 'Producer')")
        .line("            AND (TraceId, SpanId) NOT IN (SELECT TraceId, ParentSpanId FROM " + table)
        .line("                " + bounds)
        .line("                AND SpanKind IN ('Server', 'Consumer') AND ParentSpanId != '')")
        .line("    )")
        .line("    WHERE Callee != ''")
        .line(")");
    if (!services.isEmpty()) {
      String names = sql.param("Array(String)", services);
      sql.line("WHERE has(" + names + ", Caller) OR has(" + names + ", Callee)");
    }
    return sql.line("GROUP BY Caller, Callee, CalleeKind")
        .line("ORDER BY Calls DESC, Caller, Callee, CalleeKind")
        .line("LIMIT " + sql.param("UInt32", MAX_EDGES))
        .build(limits);
  }

  private static List<String> services(List<String> services) {
    if (services.size() > MAX_SERVICES) {
      throw RequestChecks.invalid(SERVICES_FIELD, "`" + SERVICES_FIELD + "` has " + services.size()
          + " names; the maximum is " + MAX_SERVICES);
    }
    for (int i = 0; i < services.size(); i++) {
      String field = SERVICES_FIELD + "[" + i + "]";
      String name = services.get(i);
      if (name == null || name.isEmpty()) {
        throw RequestChecks.invalid(field, "`" + field + "` is empty: name a service or remove the entry");
      }
      RequestChecks.name(name, field);
    }
    return services;
  }
}
