/** A test sink for OTLP exports: records every request and acknowledges it at once, or fails as configured. */
package com.kubetelemetry.demo;

import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.ingest.mapping.WriteScope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Only a sink: stores what it was given. {@code tracesFailure}, when set, fails every trace export with it;
 * {@link #holdTraces()} makes the next trace export wait for a future the test completes;
 * {@link #throwOnLogs} makes log exports throw instead of returning a future.
 */
final class RecordingIngest implements OtlpIngest {
  final List<WriteScope> scopes = new CopyOnWriteArrayList<>();
  final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  final List<Thread> callers = new CopyOnWriteArrayList<>();
  final CountDownLatch firstCall = new CountDownLatch(1);
  private final Throwable tracesFailure;
  private volatile CompletableFuture<ExportTraceServiceResponse> heldTraces;
  private volatile RuntimeException logsThrow;

  RecordingIngest() {
    this(null);
  }

  RecordingIngest(Throwable tracesFailure) {
    this.tracesFailure = tracesFailure;
  }

  /** The next trace export returns this future instead of an acknowledged one. */
  CompletableFuture<ExportTraceServiceResponse> holdTraces() {
    CompletableFuture<ExportTraceServiceResponse> held = new CompletableFuture<>();
    heldTraces = held;
    return held;
  }

  /** Log exports throw {@code failure} synchronously instead of returning a future. */
  RecordingIngest throwOnLogs(RuntimeException failure) {
    logsThrow = failure;
    return this;
  }

  @Override
  public CompletableFuture<ExportTraceServiceResponse> exportTraces(
      WriteScope scope, ExportTraceServiceRequest request) {
    record(scope);
    traces.add(request);
    CompletableFuture<ExportTraceServiceResponse> held = heldTraces;
    if (held != null) {
      heldTraces = null;
      return held;
    }
    return tracesFailure == null
        ? CompletableFuture.completedFuture(ExportTraceServiceResponse.getDefaultInstance())
        : CompletableFuture.failedFuture(tracesFailure);
  }

  @Override
  public CompletableFuture<ExportMetricsServiceResponse> exportMetrics(
      WriteScope scope, ExportMetricsServiceRequest request) {
    record(scope);
    metrics.add(request);
    return CompletableFuture.completedFuture(ExportMetricsServiceResponse.getDefaultInstance());
  }

  @Override
  public CompletableFuture<ExportLogsServiceResponse> exportLogs(WriteScope scope, ExportLogsServiceRequest request) {
    record(scope);
    if (logsThrow != null) {
      throw logsThrow;
    }
    logs.add(request);
    return CompletableFuture.completedFuture(ExportLogsServiceResponse.getDefaultInstance());
  }

  private void record(WriteScope scope) {
    scopes.add(scope);
    callers.add(Thread.currentThread());
    firstCall.countDown();
  }
}
