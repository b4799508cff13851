/** telemetry.v1.TracesService over gRPC: trace search and, later, trace detail, services and span metrics. */
package com.kubetelemetry.traces;

import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.SearchTracesResponse;
import com.kubetelemetry.api.v1.TraceSummary;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TraceSearch;
import com.kubetelemetry.query.TraceSearchCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
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
  private final TraceSearchCompiler searchCompiler;

  public TracesGrpcService(ReadContext context) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.searchCompiler = new TraceSearchCompiler(context.schema(), context.ranges(), context.limits());
  }

  @Override
  public void searchTraces(SearchTracesRequest request, StreamObserver<SearchTracesResponse> response) {
    calls.unary(response, "SearchTraces", () -> search(context.tenant(), request));
  }

  /** The statements SearchTraces runs for {@code request} (what Explain shows). */
  public List<PlannedStatement> planSearch(TenantId tenant, SearchTracesRequest request) {
    return List.of(new PlannedStatement("find matching traces and sum them up",
        searchCompiler.compile(tenant, traceSearch(request))));
  }

  private SearchTracesResponse search(TenantId tenant, SearchTracesRequest request) {
    long started = System.nanoTime();
    PlannedStatement plan = planSearch(tenant, request).getFirst();
    EngineRows.EngineResult result = EngineRows.run(context.store(), plan.sql());
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
          storedKind(r.getKind())));
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

  private static String storedKind(com.kubetelemetry.api.v1.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> "Internal";
      case SPAN_KIND_SERVER -> "Server";
      case SPAN_KIND_CLIENT -> "Client";
      case SPAN_KIND_PRODUCER -> "Producer";
      case SPAN_KIND_CONSUMER -> "Consumer";
      default -> throw new com.kubetelemetry.query.QueryException(
          com.kubetelemetry.query.QueryException.Kind.INVALID_ARGUMENT, "kind", "`kind` is not a known span kind");
    };
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
