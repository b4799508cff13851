/** telemetry.v1.QueryService over gRPC: structured queries (whole or streamed) and Explain for every read request. */
package com.kubetelemetry.structured;

import com.kubetelemetry.api.v1.Column;
import com.kubetelemetry.api.v1.ExplainRequest;
import com.kubetelemetry.api.v1.ExplainResponse;
import com.kubetelemetry.api.v1.QueryRequest;
import com.kubetelemetry.api.v1.QueryResponse;
import com.kubetelemetry.api.v1.QueryServiceGrpc;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.Row;
import com.kubetelemetry.api.v1.StreamQueryRequest;
import com.kubetelemetry.api.v1.StreamQueryResponse;
import com.kubetelemetry.api.v1.ValueType;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.structured.CompiledQuery;
import com.kubetelemetry.query.structured.OutputColumn;
import com.kubetelemetry.query.structured.RowBudget;
import com.kubetelemetry.query.structured.StructuredQueryCompiler;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadCalls;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.read.ReadErrors;
import com.kubetelemetry.storage.QueryResult;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Structured queries compile with {@link StructuredQueryCompiler} for the caller's tenant and run as
 * JSONCompactEachRow. Explain plans structured queries itself and every other kind through {@link ExplainPlanners}.
 */
public final class QueryGrpcService extends QueryServiceGrpc.QueryServiceImplBase {
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  public static final int MAX_BATCH_SIZE = 10_000;
  /** Streams hold an engine connection while the client reads: at most this many run at once. */
  public static final int MAX_CONCURRENT_STREAMS = 2;
  private static final String FORMAT = "JSONCompactEachRow";

  private final ReadContext context;
  private final ReadCalls calls;
  private final StructuredQueryCompiler compiler;
  private final ExplainPlanners planners;
  private final Semaphore streams = new Semaphore(MAX_CONCURRENT_STREAMS);

  public QueryGrpcService(ReadContext context, ExplainPlanners planners) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.compiler = new StructuredQueryCompiler(context.schema(), context.ranges(), context.limits());
    this.planners = planners;
  }

  @Override
  public void query(QueryRequest request, StreamObserver<QueryResponse> response) {
    calls.unary(response, "Query", () -> run(context.tenant(), request));
  }

  @Override
  public void streamQuery(StreamQueryRequest request, StreamObserver<StreamQueryResponse> response) {
    ServerCallStreamObserver<StreamQueryResponse> out = (ServerCallStreamObserver<StreamQueryResponse>) response;
    CompiledQuery compiled;
    int batchSize;
    try {
      batchSize = batchSize(request.getBatchSize());
      compiled = compile(context.tenant(), request.getQuery(), request.getTimeRange(), RowBudget.STREAM);
    } catch (RuntimeException e) {
      out.onError(ReadErrors.status("StreamQuery", e, context.limits()));
      return;
    }
    if (!streams.tryAcquire()) {
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription(MAX_CONCURRENT_STREAMS + " streaming queries are "
          + "already running (the maximum): retry when one ends, or use Query for up to 10000 rows")
          .asRuntimeException());
      return;
    }
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    Executor executor = ctx != null ? ctx.blockingTaskExecutor() : Runnable::run;
    new RowStreamer(out, () -> context.store().stream(compiled.sql(), FORMAT), new RowDecoder(compiled.columns()),
        columns(compiled), compiled.limit(), batchSize, executor,
        e -> ReadErrors.status("StreamQuery", e, context.limits()), System::nanoTime, streams::release).start();
  }

  @Override
  public void explain(ExplainRequest request, StreamObserver<ExplainResponse> response) {
    calls.unary(response, "Explain", () -> {
      ExplainResponse.Builder out = ExplainResponse.newBuilder();
      for (PlannedStatement p : plan(context.tenant(), request)) {
        out.addStatements(ExplainedStatements.of(p));
      }
      return out.build();
    });
  }

  /** The statements {@code request} compiles to for tenant {@code t}, exactly as its RPC would run them. */
  public List<PlannedStatement> plan(TenantId t, ExplainRequest request) {
    return switch (request.getRequestCase()) {
      case QUERY -> planQuery(t, request.getQuery());
      case SEARCH_TRACES -> wired(planners.searchTraces(), "search_traces").plan(t, request.getSearchTraces());
      case GET_TRACE -> wired(planners.getTrace(), "get_trace").plan(t, request.getGetTrace());
      case SPAN_METRICS -> wired(planners.spanMetrics(), "span_metrics").plan(t, request.getSpanMetrics());
      case METRICS_QUERY_RANGE -> wired(planners.metricsQueryRange(), "metrics_query_range")
          .plan(t, request.getMetricsQueryRange());
      case METRICS_QUERY_INSTANT -> wired(planners.metricsQueryInstant(), "metrics_query_instant")
          .plan(t, request.getMetricsQueryInstant());
      case SEARCH_LOGS -> wired(planners.searchLogs(), "search_logs").plan(t, request.getSearchLogs());
      case LOG_HISTOGRAM -> wired(planners.logHistogram(), "log_histogram").plan(t, request.getLogHistogram());
      case REQUEST_NOT_SET -> throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "request",
          "`request` is not set: put the request to explain in one of its fields (query, search_traces, ...)");
    };
  }

  /**
   * The statement of a structured query. The row budget is Query's, or StreamQuery's when the limit is above
   * Query's maximum (only StreamQuery could run it).
   */
  public List<PlannedStatement> planQuery(TenantId tenant, QueryRequest request) {
    RowBudget budget = request.getQuery().getLimit() > RowBudget.QUERY.maxLimit() ? RowBudget.STREAM
        : RowBudget.QUERY;
    CompiledQuery c = compile(tenant, request.getQuery(), request.getTimeRange(), budget);
    return List.of(new PlannedStatement("run the structured query", c.sql()));
  }

  private QueryResponse run(TenantId tenant, QueryRequest request) {
    long started = System.nanoTime();
    CompiledQuery compiled = compile(tenant, request.getQuery(), request.getTimeRange(), RowBudget.QUERY);
    QueryResult result = context.store().query(compiled.sql(), FORMAT);
    List<Row> rows = new RowDecoder(compiled.columns()).decodeAll(result.data());
    boolean truncated = rows.size() > compiled.limit();
    return QueryResponse.newBuilder()
        .addAllColumns(columns(compiled))
        .addAllRows(truncated ? rows.subList(0, compiled.limit()) : rows)
        .setTruncated(truncated)
        .setStats(QueryStats.newBuilder().setRowsRead(result.rowsScanned())
            .setElapsed(ProtoQueries.duration(System.nanoTime() - started)))
        .build();
  }

  private CompiledQuery compile(TenantId tenant, com.kubetelemetry.api.v1.StructuredQuery query,
      com.kubetelemetry.api.v1.TimeRange range, RowBudget budget) {
    return compiler.compile(tenant, StructuredRequests.query(query),
        ProtoQueries.timeRange(range, context.clock()), budget);
  }

  private static <R> ExplainPlanners.Planner<R> wired(ExplainPlanners.Planner<R> planner, String kind) {
    if (planner == null) {
      throw Status.UNIMPLEMENTED.withDescription("Explain does not support `" + kind + "` requests on this "
          + "server yet: explain a `query` or another wired request kind").asRuntimeException();
    }
    return planner;
  }

  private static int batchSize(int requested) {
    if (requested < 0 || requested > MAX_BATCH_SIZE) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "batch_size", "`batch_size` is "
          + requested + "; use 1 to " + MAX_BATCH_SIZE + " (0 for " + DEFAULT_BATCH_SIZE + ")");
    }
    return requested == 0 ? DEFAULT_BATCH_SIZE : requested;
  }

  private static List<Column> columns(CompiledQuery compiled) {
    return compiled.columns().stream().map(QueryGrpcService::column).toList();
  }

  private static Column column(OutputColumn c) {
    ValueType type = switch (c.type()) {
      case STRING -> ValueType.VALUE_TYPE_STRING;
      case INT64 -> ValueType.VALUE_TYPE_INT64;
      case DOUBLE -> ValueType.VALUE_TYPE_DOUBLE;
      case BOOL -> ValueType.VALUE_TYPE_BOOL;
      case TIMESTAMP -> ValueType.VALUE_TYPE_TIMESTAMP;
    };
    return Column.newBuilder().setName(c.name()).setType(type).build();
  }
}
