/** What one tick of the demo generator produced: one OTLP export request per signal. */
package com.kubetelemetry.demo;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Objects;

/** The traces, metrics and logs covering one tick's window, ready to hand to the ingest path. */
public record DemoBatch(
    ExportTraceServiceRequest traces, ExportMetricsServiceRequest metrics, ExportLogsServiceRequest logs) {
  public DemoBatch {
    Objects.requireNonNull(traces, "traces");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(logs, "logs");
  }

  /** Spans in {@link #traces()}. */
  public int spanCount() {
    return traces.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .mapToInt(s -> s.getSpansCount())
        .sum();
  }

  /** Log records in {@link #logs()}. */
  public int logRecordCount() {
    return logs.getResourceLogsList().stream()
        .flatMap(r -> r.getScopeLogsList().stream())
        .mapToInt(s -> s.getLogRecordsCount())
        .sum();
  }
}
