/** Turns LogsService requests into compiled statements: what SearchLogs and GetLogHistogram run, and Explain shows. */
package com.kubetelemetry.logs;

import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.SearchLogsRequest;
import com.kubetelemetry.api.v1.SortOrder;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.logs.LogCursor;
import com.kubetelemetry.query.logs.LogFilter;
import com.kubetelemetry.query.logs.LogHistogram;
import com.kubetelemetry.query.logs.LogHistogramCompiler;
import com.kubetelemetry.query.logs.LogSearch;
import com.kubetelemetry.query.logs.LogSearchCompiler;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.read.PageTokens;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import java.util.List;

/** Stateless apart from its compilers; thread-safe. */
public final class LogsPlanner {
  static final String PAGE_TOKEN_FIELD = "page.page_token";

  private final LogSearchCompiler search;
  private final LogHistogramCompiler histogram;
  private final java.time.Clock clock;

  public LogsPlanner(ReadContext ctx) {
    this.search = new LogSearchCompiler(ctx.schema(), ctx.ranges(), ctx.limits());
    this.histogram = new LogHistogramCompiler(ctx.schema(), ctx.ranges(), ctx.limits(),
        Math.min(ctx.settings().maxPoints(), StepGrid.MAX_STEPS));
    this.clock = ctx.clock();
  }

  /** The one statement SearchLogs runs for {@code request}. */
  public List<PlannedStatement> plan(TenantId tenant, SearchLogsRequest request) {
    return List.of(new PlannedStatement("log records of one page, in (Timestamp, RowHash) order",
        search(tenant, request).statement().sql()));
  }

  /** The one statement GetLogHistogram runs for {@code request}. */
  public List<PlannedStatement> plan(TenantId tenant, GetLogHistogramRequest request) {
    return List.of(new PlannedStatement("log records counted per step and severity level",
        histogram(tenant, request).sql()));
  }

  /** A compiled search with the cursor it started at (null on the first page). */
  record CompiledSearch(LogSearchCompiler.Statement statement, LogCursor cursor) {}

  CompiledSearch search(TenantId tenant, SearchLogsRequest request) {
    SearchLogsRequest withoutToken = withoutToken(request);
    List<String> position = PageTokens.decode(request.getPage().getPageToken(), withoutToken, PAGE_TOKEN_FIELD);
    LogCursor cursor = position.isEmpty() ? null : LogCursor.parse(position, PAGE_TOKEN_FIELD);
    LogSearch query = new LogSearch(ProtoQueries.timeRange(request.getTimeRange(), clock),
        filter(request.getFilter()),
        request.getOrder() == SortOrder.SORT_ORDER_ASCENDING, request.getPage().getPageSize(), cursor);
    return new CompiledSearch(search.compile(tenant, query), cursor);
  }

  LogHistogramCompiler.Statement histogram(TenantId tenant, GetLogHistogramRequest request) {
    return histogram.compile(tenant, new LogHistogram(ProtoQueries.timeRange(request.getTimeRange(), clock),
        ProtoQueries.step(request.getTimeRange()), filter(request.getFilter())));
  }

  /** The request as its page tokens are bound to: every field but the token. */
  static SearchLogsRequest withoutToken(SearchLogsRequest request) {
    return request.toBuilder().setPage(request.getPage().toBuilder().clearPageToken()).build();
  }

  /** The query-builder filter of a proto filter; bad fields fail naming {@code filter.<field>}. */
  static LogFilter filter(com.kubetelemetry.api.v1.LogFilter in) {
    return new LogFilter(in.getTermsList(),
        LogSeverity.ofOrdinal(in.getMinSeverityValue(), "filter.min_severity"), in.getServiceName(),
        ProtoQueries.matchers(in.getMatchersList(), "filter.matchers"), in.getTraceId(), in.getSpanId());
  }
}
