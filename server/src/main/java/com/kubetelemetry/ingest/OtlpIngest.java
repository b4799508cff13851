/** The ingest seam: OTLP export requests in, acknowledgements out once their rows are committed. */
package com.kubetelemetry.ingest;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts OTLP exports for a tenant. Each future completes after the valid items are committed to storage (the
 * response carries partial-success counts for invalid ones) or fails with an {@link io.grpc.StatusException}:
 * RESOURCE_EXHAUSTED when the ingest buffer is full (clients retry), UNAVAILABLE when storage failed or the server
 * is shutting down, INVALID_ARGUMENT when the request as a whole is unusable.
 */
public interface OtlpIngest {
  CompletableFuture<ExportTraceServiceResponse> exportTraces(String tenant, ExportTraceServiceRequest request);

  CompletableFuture<ExportMetricsServiceResponse> exportMetrics(String tenant, ExportMetricsServiceRequest request);

  CompletableFuture<ExportLogsServiceResponse> exportLogs(String tenant, ExportLogsServiceRequest request);
}
