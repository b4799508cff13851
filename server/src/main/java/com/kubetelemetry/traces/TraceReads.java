/** Runs the TracesService reads other than search: compiles through the planner, queries, maps rows to responses. */
package com.kubetelemetry.traces;

import com.kubetelemetry.api.v1.GetServiceGraphRequest;
import com.kubetelemetry.api.v1.GetServiceGraphResponse;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsResponse;
import com.kubetelemetry.api.v1.GetTraceRequest;
import com.kubetelemetry.api.v1.GetTraceResponse;
import com.kubetelemetry.api.v1.ListOperationsRequest;
import com.kubetelemetry.api.v1.ListOperationsResponse;
import com.kubetelemetry.api.v1.ListServicesRequest;
import com.kubetelemetry.api.v1.ListServicesResponse;
import com.kubetelemetry.api.v1.Operation;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.ServiceGraphEdge;
import com.kubetelemetry.api.v1.ServiceGraphNode;
import com.kubetelemetry.api.v1.ServiceGraphNodeKind;
import com.kubetelemetry.api.v1.ServiceSummary;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.traces.CompiledSpanMetrics;
import com.kubetelemetry.query.traces.TraceFetch;
import com.kubetelemetry.query.traces.TraceFetchCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.sql.Sql;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Thread-safe; one instance per service. Each call runs exactly the statements its planner method returns. */
final class TraceReads {
  /** Most points (series times steps) one GetSpanMetrics answer carries, which keeps it to a few megabytes. */
  static final long MAX_SPAN_METRICS_POINTS = 100_000;

  private final ReadContext context;
  private final TraceReadPlanner planner;
  private final long maxSpanMetricsPoints;

  TraceReads(ReadContext context, TraceReadPlanner planner, long maxSpanMetricsPoints) {
    this.context = context;
    this.planner = planner;
    this.maxSpanMetricsPoints = maxSpanMetricsPoints;
  }

  GetTraceResponse getTrace(TenantId tenant, GetTraceRequest request) {
    TraceFetch fetch = planner.fetch(request);
    int limit = TraceFetchCompiler.limit(fetch);
    List<EngineRow> rows = run(planner.planGetTrace(tenant, request).getFirst().sql()).rows();
    if (rows.isEmpty()) {
      throw Status.NOT_FOUND.withDescription("trace " + request.getTraceId().toLowerCase() + " has no spans "
          + (request.hasTimeHint() ? "in `time_hint`: widen the hint or leave it unset"
              : "for this tenant within the retention period")).asRuntimeException();
    }
    GetTraceResponse.Builder out = GetTraceResponse.newBuilder().setTraceId(rows.getFirst().string(0))
        .setTruncated(rows.size() > limit);
    for (EngineRow row : rows.subList(0, Math.min(rows.size(), limit))) {
      out.addSpans(SpanRows.span(row));
    }
    return out.build();
  }

  ListServicesResponse listServices(TenantId tenant, ListServicesRequest request) {
    ListServicesResponse.Builder out = ListServicesResponse.newBuilder();
    for (EngineRow row : run(planner.planListServices(tenant, request).getFirst().sql()).rows()) {
      out.addServices(ServiceSummary.newBuilder().setName(row.string(0)).setSpanCount(row.int64(1))
          .setLastSeen(ProtoQueries.timestamp(row.int64(2))));
    }
    return out.build();
  }

  ListOperationsResponse listOperations(TenantId tenant, ListOperationsRequest request) {
    ListOperationsResponse.Builder out = ListOperationsResponse.newBuilder();
    for (EngineRow row : run(planner.planListOperations(tenant, request).getFirst().sql()).rows()) {
      out.addOperations(Operation.newBuilder().setSpanName(row.string(0)).setKind(SpanRows.kind(row.string(1)))
          .setSpanCount(row.int64(2)));
    }
    return out.build();
  }

  /** Edges as the engine ordered them; nodes are the ends of the edges, sorted by name. */
  GetServiceGraphResponse serviceGraph(TenantId tenant, GetServiceGraphRequest request) {
    GetServiceGraphResponse.Builder out = GetServiceGraphResponse.newBuilder();
    Map<String, ServiceGraphNodeKind> nodes = new TreeMap<>();
    for (EngineRow row : run(planner.planServiceGraph(tenant, request).getFirst().sql()).rows()) {
      String caller = row.string(0);
      String callee = row.string(1);
      nodes.put(caller, ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_SERVICE);
      ServiceGraphNodeKind kind = switch (row.string(2)) {
        case "service" -> ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_SERVICE;
        case "database" -> ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_DATABASE;
        case "messaging" -> ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_MESSAGING;
        default -> ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_EXTERNAL;
      };
      nodes.merge(callee, kind, (a, b) -> a == ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_SERVICE ? a : b);
      out.addEdges(ServiceGraphEdge.newBuilder().setCaller(caller).setCallee(callee).setCallCount(row.int64(3))
          .setErrorCount(row.int64(4)).setP50Latency(ProtoQueries.duration(row.int64(5)))
          .setP95Latency(ProtoQueries.duration(row.int64(6))));
    }
    nodes.forEach((name, kind) -> out.addNodes(ServiceGraphNode.newBuilder().setName(name).setKind(kind)));
    return out.build();
  }

  /** Span metrics, the statement passed through {@code pacing} first (the cache's, for background loads). */
  GetSpanMetricsResponse spanMetrics(TenantId tenant, GetSpanMetricsRequest request, UnaryOperator<Sql> pacing) {
    long started = System.nanoTime();
    CompiledSpanMetrics compiled = planner.spanMetrics(tenant, request);
    EngineRows.EngineResult result = run(pacing.apply(compiled.sql()));
    long series = Math.min(result.rows().size(), compiled.maxSeries());
    if (series * compiled.grid().points() > maxSpanMetricsPoints) {
      throw new QueryException(QueryException.Kind.RESOURCE_EXHAUSTED, "time_range.step", series + " series of "
          + compiled.grid().points() + " steps make " + series * compiled.grid().points() + " points; the maximum is "
          + maxSpanMetricsPoints + ": use a larger `time_range.step`, a lower `max_series` or more filters");
    }
    return GetSpanMetricsResponse.newBuilder()
        .addAllSeries(SpanMetricsRows.series(compiled, result.rows()))
        .setStep(ProtoQueries.duration(compiled.grid().step().toNanos()))
        .setTruncated(result.rows().size() > compiled.maxSeries())
        .setStats(QueryStats.newBuilder().setRowsRead(result.rowsRead())
            .setElapsed(ProtoQueries.duration(System.nanoTime() - started)))
        .build();
  }

  private EngineRows.EngineResult run(Sql sql) {
    return EngineRows.run(context.store(), sql);
  }
}
