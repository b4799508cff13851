/** The read services the main port serves, all built on one {@link ReadContext}. */
package com.kubetelemetry.read;

import com.kubetelemetry.cache.QueryCache;
import com.kubetelemetry.logs.LogsGrpcService;
import com.kubetelemetry.logs.LogsPlanner;
import com.kubetelemetry.logs.TailSettings;
import com.kubetelemetry.metrics.MetricsGrpcService;
import com.kubetelemetry.resources.ResourcesGrpcService;
import com.kubetelemetry.structured.ExplainPlanners;
import com.kubetelemetry.structured.QueryGrpcService;
import com.kubetelemetry.traces.TracesGrpcService;
import io.grpc.BindableService;
import java.util.List;

/**
 * One place that lists every read service, so the server and tests serve the same set. Services that own
 * background work (log tails) are built once here and stopped by {@link #close} when the server stops.
 */
public final class ReadServices implements AutoCloseable {
  private final ReadContext context;
  private final LogsGrpcService logs;
  private final ResourcesGrpcService resources;
  private final QueryCache cache;

  public ReadServices(ReadContext context) {
    this(context, QueryCache.disabled());
  }

  /** Services whose cacheable answers go through {@code cache} (not owned: the caller closes it). */
  public ReadServices(ReadContext context, QueryCache cache) {
    this.context = context;
    this.logs = new LogsGrpcService(context, TailSettings.defaults(), cache);
    this.resources = new ResourcesGrpcService(context);
    this.cache = cache;
  }

  public List<BindableService> services() {
    TracesGrpcService traces = new TracesGrpcService(context, cache);
    LogsPlanner logsPlanner = logs.planner();
    MetricsGrpcService metrics = new MetricsGrpcService(context, cache);
    ExplainPlanners planners = ExplainPlanners.none()
        .withSearchTraces(traces::planSearch)
        .withGetTrace(traces.planner()::planGetTrace)
        .withSpanMetrics(traces.planner()::planSpanMetrics)
        .withSearchLogs(logsPlanner::plan)
        .withLogHistogram(logsPlanner::plan)
        .withMetricsQueryRange(metrics::planQueryRange)
        .withMetricsQueryInstant(metrics::planQueryInstant);
    return List.of(
        traces,
        logs,
        metrics,
        new QueryGrpcService(context, planners),
        resources);
  }

  /** The logs service (its tails are observable for tests). */
  public LogsGrpcService logs() {
    return logs;
  }

  /** Stops the services' background work (ends open log tails); idempotent. */
  @Override
  public void close() {
    logs.close();
    resources.close();
  }
}
