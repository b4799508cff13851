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
 * Edges come from client/server and producer/consumer pairs, each call counted once:
 * <ul>
 *   <li>service to service: a SERVER or CONSUMER span whose parent span (same trace) belongs to another service.
 *       The latency is the parent's duration when the parent is a CLIENT or PRODUCER span (what the caller saw),
 *       else the child's (the server side, when the caller recorded no client span). The call failed when either
 *       span has status Error.
 *   <li>service to peer: a CLIENT or PRODUCER span that no SERVER or CONSUMER span names as its parent, so the
 *       callee sent no spans. The peer is a database when the span has {@code db.system.name} or
 *       {@code db.system} (named by {@code server.address}, else the system), a broker when it has
 *       {@code messaging.system} (named by it), else an external peer named by {@code peer.service} or
 *       {@code server.address}; spans with none of these are not edges.
 * </ul>
 * One scan of the period streams every span as a possible parent through a LEFT JOIN against a hash table of the
 * period's SERVER and CONSUMER spans, keyed by {@code cityHash64(TraceId, span id)} (a 64-bit key keeps the table
 * small; a collision needs two of the period's spans to share a 64-bit hash). Both sides are bounded by tenant and
 * period; a parent that started before the period is not seen, so its child's call is not counted (and a client
 * span whose server child started after the period counts as a call to a peer only if it has peer attributes).
 * Latencies are exact quantiles ({@code quantilesExact}: the value at index floor(q * n) of the sorted durations).
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
        .line("    SELECT p.ServiceName AS Caller, c.Matched AS Matched,")
        .line("        if(Matched, c.ServiceName, p.PeerName) AS Callee,")
        .line("        if(Matched, 'service', p.PeerKind) AS CalleeKind,")
        .line("        p.Failed OR c.Failed AS Failed,")
        .line("        if(p.Outgoing OR NOT Matched, p.Duration, c.Duration) AS Latency")
        .line("    FROM (")
        .line("        SELECT cityHash64(TraceId, SpanId) AS Key, ServiceName, Duration,")
        .line("            SpanKind IN ('Client', 'Producer') AS Outgoing, StatusCode = 'Error' AS Failed,")
        .line("            if(SpanAttributes['db.system.name'] != '', SpanAttributes['db.system.name'],")
        .line("                SpanAttributes['db.system']) AS DbSystem,")
        .line("            SpanAttributes['server.address'] AS Address, SpanAttributes['messaging.system'] AS Broker,")
        .line("            multiIf(DbSystem != '', if(Address != '', Address, DbSystem), Broker != '', Broker,")
        .line("                SpanAttributes['peer.service'] != '', SpanAttributes['peer.service'],")
        .line("                Address) AS PeerName,")
        .line("            multiIf(DbSystem != '', 'database', Broker != '', 'messaging', 'external') AS PeerKind")
        .line("        FROM " + table)
        .line("        " + bounds)
        .line("    ) AS p")
        .line("    LEFT JOIN (")
        .line("        SELECT cityHash64(TraceId, ParentSpanId) AS Key, ServiceName, Duration,")
        .line("            StatusCode = 'Error' AS Failed, true AS Matched")
        .line("        FROM " + table)
        .line("        " + bounds)
        .line("            AND SpanKind IN ('Server', 'Consumer') AND ParentSpanId != ''")
        .line("    ) AS c ON p.Key = c.Key")
        .line("    WHERE (Matched AND c.ServiceName != p.ServiceName)")
        .line("        OR (NOT Matched AND p.Outgoing AND p.PeerName != '')")
        .line(")");
    if (!services.isEmpty()) {
      String names = sql.param("Array(String)", services);
      sql.line("WHERE has(" + names + ", Caller) OR has(" + names + ", Callee)");
    }
    return sql.line("GROUP BY Caller, Callee, CalleeKind")
        .line("ORDER BY Calls DESC, Caller, Callee, CalleeKind")
        .line("LIMIT " + sql.param("UInt32", MAX_EDGES))
        .build(limits)
        .withSetting("join_use_nulls", "0");
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
