/** Turns TracesService requests into query-builder requests and compiles them: the statements each call runs. */
package com.kubetelemetry.traces;

import com.kubetelemetry.api.v1.GetServiceGraphRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetTraceRequest;
import com.kubetelemetry.api.v1.ListOperationsRequest;
import com.kubetelemetry.api.v1.ListServicesRequest;
import com.kubetelemetry.api.v1.SpanMetricsGrouping;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.traces.CompiledSpanMetrics;
import com.kubetelemetry.query.traces.OperationListing;
import com.kubetelemetry.query.traces.ServiceCatalogCompiler;
import com.kubetelemetry.query.traces.ServiceGraphCompiler;
import com.kubetelemetry.query.traces.ServiceGraphQuery;
import com.kubetelemetry.query.traces.ServiceListing;
import com.kubetelemetry.query.traces.SpanKind;
import com.kubetelemetry.query.traces.SpanMetricsCompiler;
import com.kubetelemetry.query.traces.SpanMetricsQuery;
import com.kubetelemetry.query.traces.TraceFetch;
import com.kubetelemetry.query.traces.TraceFetchCompiler;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import java.util.List;

/**
 * Stateless after construction. The {@code plan*} methods give exactly the statements the service runs, so
 * QueryService.Explain can show them; they throw {@link QueryException} naming the request field on bad input.
 */
public final class TraceReadPlanner {
  private final ReadContext context;
  private final TraceFetchCompiler fetchCompiler;
  private final ServiceCatalogCompiler catalogCompiler;
  private final ServiceGraphCompiler graphCompiler;
  private final SpanMetricsCompiler metricsCompiler;

  public TraceReadPlanner(ReadContext context) {
    this.context = context;
    this.fetchCompiler = new TraceFetchCompiler(context.schema(), context.ranges(), context.limits());
    this.catalogCompiler = new ServiceCatalogCompiler(context.schema(), context.ranges(), context.limits());
    this.graphCompiler = new ServiceGraphCompiler(context.schema(), context.ranges(), context.limits());
    this.metricsCompiler = new SpanMetricsCompiler(context.schema(), context.ranges(), context.limits(),
        Math.min(context.settings().maxPoints(), StepGrid.MAX_STEPS));
  }

  /** GetTrace: one statement reading the trace's spans (the trace-id lookup runs inside it). */
  public List<PlannedStatement> planGetTrace(TenantId tenant, GetTraceRequest request) {
    return List.of(new PlannedStatement("find the trace's period in the trace-id lookup and read all its spans",
        fetchCompiler.compile(tenant, fetch(request))));
  }

  /** GetSpanMetrics: one statement aggregating per group and step. */
  public List<PlannedStatement> planSpanMetrics(TenantId tenant, GetSpanMetricsRequest request) {
    return List.of(new PlannedStatement("count requests and errors and compute latency quantiles per series and "
        + "step", spanMetrics(tenant, request).sql()));
  }

  /** GetServiceGraph: one statement joining spans to their parents and finding calls to uninstrumented peers. */
  public List<PlannedStatement> planServiceGraph(TenantId tenant, GetServiceGraphRequest request) {
    return List.of(new PlannedStatement("join spans to their parent spans and aggregate calls per edge",
        graphCompiler.compile(tenant, new ServiceGraphQuery(range(request.getTimeRange()),
            request.getServiceNamesList()))));
  }

  /** ListServices: one statement counting spans per service. */
  public List<PlannedStatement> planListServices(TenantId tenant, ListServicesRequest request) {
    return List.of(new PlannedStatement("count spans per service", catalogCompiler.services(tenant,
        new ServiceListing(range(request.getTimeRange()), request.getPrefix()))));
  }

  /** ListOperations: one statement counting the service's spans per name and kind. */
  public List<PlannedStatement> planListOperations(TenantId tenant, ListOperationsRequest request) {
    return List.of(new PlannedStatement("count the service's spans per name and kind", catalogCompiler.operations(
        tenant, new OperationListing(request.getServiceName(), range(request.getTimeRange()),
            kind(request.getKind(), "kind")))));
  }

  /** The query-builder form of a GetTrace request (the id is validated when compiled). */
  TraceFetch fetch(GetTraceRequest request) {
    TimeRange hint = null;
    if (request.hasTimeHint()) {
      try {
        hint = ProtoQueries.timeRange(request.getTimeHint(), context.clock());
      } catch (QueryException e) {
        throw new QueryException(e.kind(), e.field().replace("time_range", TraceFetchCompiler.HINT_FIELD),
            e.getMessage().replace("time_range", TraceFetchCompiler.HINT_FIELD));
      }
    }
    return new TraceFetch(request.getTraceId(), hint, request.getSpanLimit());
  }

  /** The compiled span-metrics query with its grid and quantiles. */
  CompiledSpanMetrics spanMetrics(TenantId tenant, GetSpanMetricsRequest request) {
    SpanMetricsQuery.Grouping grouping = switch (request.getGroupBy()) {
      case SPAN_METRICS_GROUPING_SERVICE -> SpanMetricsQuery.Grouping.SERVICE;
      case SPAN_METRICS_GROUPING_UNSPECIFIED, SPAN_METRICS_GROUPING_OPERATION -> SpanMetricsQuery.Grouping.OPERATION;
      case UNRECOGNIZED -> throw invalid("group_by", "`group_by` is not a known grouping: use "
          + SpanMetricsGrouping.SPAN_METRICS_GROUPING_SERVICE + " or "
          + SpanMetricsGrouping.SPAN_METRICS_GROUPING_OPERATION);
    };
    SpanMetricsQuery query = new SpanMetricsQuery(range(request.getTimeRange()),
        ProtoQueries.step(request.getTimeRange()), request.getServiceName(), request.getSpanName(),
        kind(request.getKind(), "kind"), ProtoQueries.matchers(request.getMatchersList(), "matchers"), grouping,
        request.getQuantilesList(), request.getMaxSeries());
    return metricsCompiler.compile(tenant, query);
  }

  /** The stored span kind for an API kind; null for unspecified. */
  static SpanKind kind(com.kubetelemetry.api.v1.SpanKind kind, String field) {
    return switch (kind) {
      case SPAN_KIND_UNSPECIFIED -> null;
      case SPAN_KIND_INTERNAL -> SpanKind.INTERNAL;
      case SPAN_KIND_SERVER -> SpanKind.SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
      case UNRECOGNIZED -> throw invalid(field, "`" + field + "` is not a known span kind");
    };
  }

  private TimeRange range(com.kubetelemetry.api.v1.TimeRange range) {
    return ProtoQueries.timeRange(range, context.clock());
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
