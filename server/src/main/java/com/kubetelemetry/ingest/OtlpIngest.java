/** The ingest seam: OTLP export requests in, acknowledgements out once their rows are committed. */
package com.kubetelemetry.ingest;

import com.kubetelemetry.ingest.mapping.WriteScope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts OTLP exports for the tenant(s) a {@link WriteScope} allows. Each future completes after the valid items
 * are committed to storage (the response carries partial-success counts for invalid ones) or fails with an {@link io.grpc.StatusException}:
 * RESOURCE_EXHAUSTED when the ingest buffer is full (clients retry), UNAVAILABLE when storage failed or the server
 * is shutting down, INVALID_ARGUMENT when the request as a whole is unusable.
 */
public interface OtlpIngest {
  CompletableFuture<ExportTraceServiceResponse> exportTraces(WriteScope scope, ExportTraceServiceRequest request);

  CompletableFuture<ExportMetricsServiceResponse> exportMetrics(WriteScope scope, ExportMetricsServiceRequest request);

  CompletableFuture<ExportLogsServiceResponse> exportLogs(WriteScope scope, ExportLogsServiceRequest request);
}
