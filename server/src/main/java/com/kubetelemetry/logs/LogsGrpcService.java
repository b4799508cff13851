/** telemetry.v1.LogsService over gRPC: search log records page by page, count them per step, follow new ones live. */
package com.kubetelemetry.logs;

import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.LogHistogramBucket;
import com.kubetelemetry.api.v1.LogsServiceGrpc;
import com.kubetelemetry.api.v1.PageResponse;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.SearchLogsRequest;
import com.kubetelemetry.api.v1.SearchLogsResponse;
import com.kubetelemetry.api.v1.Severity;
import com.kubetelemetry.api.v1.SeverityCount;
import com.kubetelemetry.api.v1.TailLogsRequest;
import com.kubetelemetry.api.v1.TailLogsResponse;
import com.kubetelemetry.cache.LogHistogramCache;
import com.kubetelemetry.cache.QueryCache;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.logs.LogCursor;
import com.kubetelemetry.query.logs.LogFilter;
import com.kubetelemetry.query.logs.LogHistogramBuckets;
import com.kubetelemetry.query.logs.LogHistogramCompiler;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.query.logs.LogTailCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.PageTokens;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadCalls;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.read.ReadErrors;
import com.kubetelemetry.sql.Sql;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Thin translator: requests go through {@link LogsPlanner} (or {@link LogTailCompiler}), rows come back as messages. */
public final class LogsGrpcService extends LogsServiceGrpc.LogsServiceImplBase implements AutoCloseable {
  private final ReadContext context;
  private final ReadCalls calls;
  private final LogsPlanner planner;
  private final LogTailCompiler tailCompiler;
  private final TailSettings tailSettings;
  private final LogTails tails;
  private final LogHistogramCache histograms;

  public LogsGrpcService(ReadContext context) {
    this(context, TailSettings.defaults());
  }

  public LogsGrpcService(ReadContext context, TailSettings tailSettings) {
    this(context, tailSettings, QueryCache.disabled());
  }

  /** GetLogHistogram answers go through {@code cache}. */
  public LogsGrpcService(ReadContext context, TailSettings tailSettings, QueryCache cache) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.planner = new LogsPlanner(context);
    this.tailCompiler = new LogTailCompiler(context.schema(), context.limits());
    this.tailSettings = tailSettings;
    this.tails = new LogTails(tailSettings);
    this.histograms = new LogHistogramCache(cache, context, (tenant, r) -> planner.histogram(tenant, r).grid(),
        (tenant, r) -> histogram(tenant, r, cache::paced));
  }

  /** What Explain shows for SearchLogs and GetLogHistogram. */
  public LogsPlanner planner() {
    return planner;
  }

  @Override
  public void searchLogs(SearchLogsRequest request, StreamObserver<SearchLogsResponse> response) {
    calls.unary(response, "SearchLogs", () -> search(context.tenant(), request));
  }

  @Override
  public void getLogHistogram(GetLogHistogramRequest request, StreamObserver<GetLogHistogramResponse> response) {
    calls.unary(response, "GetLogHistogram", () -> histograms.histogram(context.tenant(), request));
  }

  @Override
  public void tailLogs(TailLogsRequest request, StreamObserver<TailLogsResponse> response) {
    ServerCallStreamObserver<TailLogsResponse> stream = (ServerCallStreamObserver<TailLogsResponse>) response;
    LogTail tail;
    try {
      TenantId tenant = context.tenant();
      LogFilter filter = LogsPlanner.filter(request.getFilter());
      // compile once up front so a bad filter fails the call before it starts streaming
      Instant now = context.clock().instant();
      Instant since = request.hasSince() ? ProtoQueries.instant(request.getSince(), "since") : null;
      Instant start = LogTailCompiler.start(since, now);
      tailCompiler.compile(tenant, filter, null, start, now, 1);
      tail = new LogTail(tenant, filter, start, rate(request.getMaxRecordsPerSecond()), stream, tailCompiler,
          context.store(), context.clock(), tailSettings, context.limits());
    } catch (RuntimeException e) {
      response.onError(ReadErrors.status("TailLogs", e, context.limits()));
      return;
    }
    stream.setOnCancelHandler(tail::cancelled);
    if (!tails.start(tail)) {
      response.onError(Status.UNAVAILABLE.withDescription("the server is shutting down: open the tail again")
          .asRuntimeException());
    }
  }

  /** Tails currently open (a test hook: 0 once every client has gone). */
  public int openTails() {
    return tails.openCount();
  }

  /** Completes once no tail is open (a test hook to await the server side of a cancel). */
  public java.util.concurrent.CompletableFuture<Void> whenNoTailsOpen() {
    return tails.whenIdle();
  }

  /** Poll tasks still scheduled (a test hook: 0 once every tail has stopped). */
  public int scheduledTailTasks() {
    return tails.scheduledTasks();
  }

  /** Ends every open tail with UNAVAILABLE and stops the poller threads. */
  @Override
  public void close() {
    tails.close();
  }

  private int rate(int requested) {
    if (requested < 0 || requested > tailSettings.maxRate()) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "max_records_per_second",
          "`max_records_per_second` is " + requested + "; use 1 to " + tailSettings.maxRate() + " (0 for "
          + tailSettings.defaultRate() + ")");
    }
    return requested == 0 ? tailSettings.defaultRate() : requested;
  }

  private SearchLogsResponse search(TenantId tenant, SearchLogsRequest request) {
    long started = System.nanoTime();
    LogsPlanner.CompiledSearch compiled = planner.search(tenant, request);
    EngineRows.EngineResult result = EngineRows.run(context.store(), compiled.statement().sql());
    int pageSize = compiled.statement().pageSize();
    List<EngineRow> rows = result.rows();
    List<EngineRow> page = rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
    SearchLogsResponse.Builder out = SearchLogsResponse.newBuilder();
    for (EngineRow row : page) {
      out.addRecords(LogRecordRows.record(row));
    }
    PageResponse.Builder next = PageResponse.newBuilder();
    if (rows.size() > pageSize) {
      LogCursor cursor = LogCursor.after(compiled.cursor(), LogRecordRows.keys(page));
      next.setNextPageToken(PageTokens.encode(LogsPlanner.withoutToken(request), cursor.position()));
    }
    return out.setPage(next).setStats(stats(result, started)).build();
  }

  /** The histogram, its statement passed through {@code pacing} first (the cache's, for background loads). */
  private GetLogHistogramResponse histogram(TenantId tenant, GetLogHistogramRequest request,
      UnaryOperator<Sql> pacing) {
    long started = System.nanoTime();
    LogHistogramCompiler.Statement st = planner.histogram(tenant, request);
    EngineRows.EngineResult result = EngineRows.run(context.store(), pacing.apply(st.sql()));
    List<LogHistogramBuckets.Row> rows = new ArrayList<>(result.rows().size());
    for (EngineRow row : result.rows()) {
      rows.add(new LogHistogramBuckets.Row(row.int64(0), (int) row.int64(1), row.int64(2)));
    }
    GetLogHistogramResponse.Builder out = GetLogHistogramResponse.newBuilder()
        .setStep(ProtoQueries.duration(st.grid().step().toNanos()));
    for (LogHistogramBuckets.Bucket b : LogHistogramBuckets.fill(st.grid(), rows)) {
      LogHistogramBucket.Builder bucket = LogHistogramBucket.newBuilder()
          .setStartTime(ProtoQueries.timestamp(b.start().getEpochSecond() * 1_000_000_000L + b.start().getNano()))
          .setTotal(b.total());
      for (LogSeverity level : b.levels()) {
        bucket.addCounts(SeverityCount.newBuilder().setSeverity(Severity.forNumber(level.ordinal()))
            .setCount(b.counts()[level.ordinal()]));
      }
      out.addBuckets(bucket);
    }
    return out.setStats(stats(result, started)).build();
  }

  private static QueryStats stats(EngineRows.EngineResult result, long started) {
    return QueryStats.newBuilder().setRowsRead(result.rowsRead())
        .setElapsed(ProtoQueries.duration(System.nanoTime() - started)).build();
  }
}
