/** The read services the main port serves, all built on one {@link ReadContext}. */
package com.kubetelemetry.read;

import com.kubetelemetry.structured.ExplainPlanners;
import com.kubetelemetry.structured.QueryGrpcService;
import com.kubetelemetry.traces.TracesGrpcService;
import io.grpc.BindableService;
import java.util.List;

/** One place that lists every read service, so the server and tests serve the same set. */
public final class ReadServices {
  private final ReadContext context;

  public ReadServices(ReadContext context) {
    this.context = context;
  }

  public List<BindableService> services() {
    TracesGrpcService traces = new TracesGrpcService(context);
    ExplainPlanners planners = ExplainPlanners.none().withSearchTraces(traces::planSearch);
    return List.of(
        traces,
        new QueryGrpcService(context, planners));
  }
}
