/** telemetry.v1.TracesService over gRPC: trace search, trace detail, services, operations, graph and span metrics. */
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
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.SearchTracesResponse;
import com.kubetelemetry.api.v1.TraceSummary;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.cache.QueryCache;
import com.kubetelemetry.cache.SpanMetricsCache;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TraceSearch;
import com.kubetelemetry.query.TraceSearchCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadCalls;
import com.kubetelemetry.read.ReadContext;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Translates requests to query-builder values, runs the compiled SQL and maps rows to responses. */
public final class TracesGrpcService extends TracesServiceGrpc.TracesServiceImplBase {
  private final ReadContext context;
  private final ReadCalls calls;
  private final TraceSearches searches;
  private final TraceReadPlanner planner;
  private final TraceReads reads;
  private final SpanMetricsCache spanMetrics;

  public TracesGrpcService(ReadContext context) {
    this(context, QueryCache.disabled());
  }

  /** GetSpanMetrics answers go through {@code cache}. */
  public TracesGrpcService(ReadContext context, QueryCache cache) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.searches = new TraceSearches(context.store(),
        new TraceSearchCompiler(context.schema(), context.ranges(), context.limits()));
    this.planner = new TraceReadPlanner(context);
    this.reads = new TraceReads(context, planner, TraceReads.MAX_SPAN_METRICS_POINTS);
    this.spanMetrics = new SpanMetricsCache(cache, context, (tenant, r) -> reads.spanMetrics(tenant, r, cache::paced),
        TraceReads.MAX_SPAN_METRICS_POINTS);
  }

  /** Compiles the other TracesService calls: its plan* methods give the statements Explain shows. */
  public TraceReadPlanner planner() {
    return planner;
  }

  @Override
  public void getTrace(GetTraceRequest request, StreamObserver<GetTraceResponse> response) {
    calls.unary(response, "GetTrace", () -> reads.getTrace(context.tenant(), request));
  }

  @Override
  public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
    calls.unary(response, "ListServices", () -> reads.listServices(context.tenant(), request));
  }

  @Override
  public void listOperations(ListOperationsRequest request, StreamObserver<ListOperationsResponse> response) {
    calls.unary(response, "ListOperations", () -> reads.listOperations(context.tenant(), request));
  }

  @Override
  public void getServiceGraph(GetServiceGraphRequest request, StreamObserver<GetServiceGraphResponse> response) {
    calls.unary(response, "GetServiceGraph", () -> reads.serviceGraph(context.tenant(), request));
  }

  @Override
  public void getSpanMetrics(GetSpanMetricsRequest request, StreamObserver<GetSpanMetricsResponse> response) {
    calls.unary(response, "GetSpanMetrics", () -> spanMetrics.spanMetrics(context.tenant(), request));
  }

  @Override
  public void searchTraces(SearchTracesRequest request, StreamObserver<SearchTracesResponse> response) {
    calls.unary(response, "SearchTraces", () -> search(context.tenant(), request));
  }

  /** The statements SearchTraces runs for {@code request} (what Explain shows). */
  public List<PlannedStatement> planSearch(TenantId tenant, SearchTracesRequest request) {
    return searches.plan(tenant, traceSearch(request));
  }

  private SearchTracesResponse search(TenantId tenant, SearchTracesRequest request) {
    long started = System.nanoTime();
    TraceSearches.Result result = searches.run(tenant, traceSearch(request));
    SearchTracesResponse.Builder out = SearchTracesResponse.newBuilder();
    for (EngineRow row : result.rows()) {
      out.addTraces(TraceSummary.newBuilder()
          .setTraceId(row.string(0))
          .setRootServiceName(row.string(1))
          .setRootSpanName(row.string(2))
          .setStartTime(ProtoQueries.timestamp(row.int64(3)))
          .setDuration(ProtoQueries.duration(row.int64(4)))
          .setSpanCount((int) row.int64(5))
          .setErrorCount((int) row.int64(6))
          .addAllServiceNames(row.strings(7)));
    }
    out.setStats(QueryStats.newBuilder().setRowsRead(result.rowsRead())
        .setElapsed(ProtoQueries.duration(System.nanoTime() - started)));
    return out.build();
  }

  // Not yet mapped: order direction (always newest/longest first), page tokens, matched_span_ids.
  private TraceSearch traceSearch(SearchTracesRequest r) {
    List<AttributeMatcher> matchers = new ArrayList<>(ProtoQueries.matchers(r.getMatchersList(), "matchers"));
    if (r.getKindValue() != 0) {
      matchers.add(AttributeMatcher.of(AttributeMatcher.Target.COLUMN, "span_kind", AttributeMatcher.Op.EQ,
          TraceReadPlanner.kind(r.getKind(), "kind").stored()));
    }
    Duration min = r.hasMinDuration() ? ProtoQueries.duration(r.getMinDuration(), "min_duration") : null;
    Duration max = r.hasMaxDuration() ? ProtoQueries.duration(r.getMaxDuration(), "max_duration") : null;
    TraceSearch.SpanStatus status = switch (r.getStatus()) {
      case SPAN_STATUS_UNSET -> TraceSearch.SpanStatus.UNSET;
      case SPAN_STATUS_OK -> TraceSearch.SpanStatus.OK;
      case SPAN_STATUS_ERROR -> TraceSearch.SpanStatus.ERROR;
      default -> null;
    };
    TraceSearch.TraceOrder order = r.getOrderBy() == com.kubetelemetry.api.v1.TraceOrderBy.TRACE_ORDER_BY_DURATION
        ? TraceSearch.TraceOrder.DURATION : TraceSearch.TraceOrder.START_TIME;
    return new TraceSearch(emptyToNull(r.getServiceName()), emptyToNull(r.getSpanName()), matchers, min, max, status,
        ProtoQueries.timeRange(r.getTimeRange(), context.clock()), r.getPage().getPageSize(), order);
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
