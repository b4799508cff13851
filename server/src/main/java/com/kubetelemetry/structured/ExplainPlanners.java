/** The planners Explain asks for the statements of each kind of read request, supplied by the owning services. */
package com.kubetelemetry.structured;

import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetTraceRequest;
import com.kubetelemetry.api.v1.QueryInstantRequest;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.SearchLogsRequest;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import java.util.List;

/**
 * Each planner must return exactly the statements its RPC runs for the request (the service's own
 * {@code plan...} method). A null planner means the kind is not wired yet: Explain answers UNIMPLEMENTED.
 * Structured queries (QueryRequest) are planned by QueryService itself.
 */
public record ExplainPlanners(
    Planner<SearchTracesRequest> searchTraces,
    Planner<GetTraceRequest> getTrace,
    Planner<GetSpanMetricsRequest> spanMetrics,
    Planner<QueryRangeRequest> metricsQueryRange,
    Planner<QueryInstantRequest> metricsQueryInstant,
    Planner<SearchLogsRequest> searchLogs,
    Planner<GetLogHistogramRequest> logHistogram) {

  /** Plans one kind of request for a tenant. */
  @FunctionalInterface
  public interface Planner<R> {
    List<PlannedStatement> plan(TenantId tenant, R request);
  }

  /** No planner wired: every kind but structured queries answers UNIMPLEMENTED. */
  public static ExplainPlanners none() {
    return new ExplainPlanners(null, null, null, null, null, null, null);
  }

  public ExplainPlanners withSearchTraces(Planner<SearchTracesRequest> p) {
    return new ExplainPlanners(p, getTrace, spanMetrics, metricsQueryRange, metricsQueryInstant, searchLogs,
        logHistogram);
  }

  public ExplainPlanners withGetTrace(Planner<GetTraceRequest> p) {
    return new ExplainPlanners(searchTraces, p, spanMetrics, metricsQueryRange, metricsQueryInstant, searchLogs,
        logHistogram);
  }

  public ExplainPlanners withSpanMetrics(Planner<GetSpanMetricsRequest> p) {
    return new ExplainPlanners(searchTraces, getTrace, p, metricsQueryRange, metricsQueryInstant, searchLogs,
        logHistogram);
  }

  public ExplainPlanners withMetricsQueryRange(Planner<QueryRangeRequest> p) {
    return new ExplainPlanners(searchTraces, getTrace, spanMetrics, p, metricsQueryInstant, searchLogs,
        logHistogram);
  }

  public ExplainPlanners withMetricsQueryInstant(Planner<QueryInstantRequest> p) {
    return new ExplainPlanners(searchTraces, getTrace, spanMetrics, metricsQueryRange, p, searchLogs,
        logHistogram);
  }

  public ExplainPlanners withSearchLogs(Planner<SearchLogsRequest> p) {
    return new ExplainPlanners(searchTraces, getTrace, spanMetrics, metricsQueryRange, metricsQueryInstant, p,
        logHistogram);
  }

  public ExplainPlanners withLogHistogram(Planner<GetLogHistogramRequest> p) {
    return new ExplainPlanners(searchTraces, getTrace, spanMetrics, metricsQueryRange, metricsQueryInstant,
        searchLogs, p);
  }
}
