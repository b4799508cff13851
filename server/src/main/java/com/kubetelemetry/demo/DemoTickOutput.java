/** Collects what one demo tick produced (spans and logs per pod, observations for metrics) before it is exported. */
package com.kubetelemetry.demo;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable, single-threaded accumulator for one tick; insertion order is kept so output is deterministic. */
final class DemoTickOutput {
  static final String SCOPE_VERSION = "1.0.0";

  /** One request a server span handled, as its RED metrics see it. */
  record Request(DemoPod pod, String method, String route, int status, double seconds) {}

  /** One query a service sent to the database. */
  record Query(DemoPod caller, DemoPod database, String operation, double seconds) {}

  private final Map<DemoPod, List<Span>> spans = new LinkedHashMap<>();
  private final Map<DemoPod, List<LogRecord>> logs = new LinkedHashMap<>();
  final List<Request> requests = new ArrayList<>();
  final List<Query> queries = new ArrayList<>();
  final Map<DemoPod, Long> ordersPlaced = new LinkedHashMap<>();

  void span(DemoPod pod, Span span) {
    spans.computeIfAbsent(pod, p -> new ArrayList<>()).add(span);
  }

  void log(DemoPod pod, LogRecord record) {
    logs.computeIfAbsent(pod, p -> new ArrayList<>()).add(record);
  }

  void orderPlaced(DemoPod pod) {
    ordersPlaced.merge(pod, 1L, Long::sum);
  }

  ExportTraceServiceRequest traceRequest() {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    spans.forEach((pod, list) -> request.addResourceSpans(ResourceSpans.newBuilder()
        .setResource(pod.resource())
        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope(pod)).addAllSpans(list))));
    return request.build();
  }

  ExportLogsServiceRequest logRequest() {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    logs.forEach((pod, list) -> request.addResourceLogs(ResourceLogs.newBuilder()
        .setResource(pod.resource())
        .addScopeLogs(ScopeLogs.newBuilder().setScope(scope(pod)).addAllLogRecords(list))));
    return request.build();
  }

  /** The instrumentation scope the demo uses for a pod's signals. */
  static InstrumentationScope scope(DemoPod pod) {
    return InstrumentationScope.newBuilder().setName("shop." + pod.service()).setVersion(SCOPE_VERSION).build();
  }
}
