/** TEST STAND-IN for transport tests only: an OtlpIngest that records each export and acknowledges it at once. */
package com.kubetelemetry.server;

import com.google.protobuf.Message;
import com.kubetelemetry.ingest.IngestStats;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Stores nothing: it lets the transport tests see exactly what arrived (signal, write scope, request) and make
 * ingest fail ({@link #failWith}) or hold its acknowledgements ({@link #holdResponses}). The real ingest path is
 * tested on its own against the embedded engine.
 */
public final class RecordingIngest implements OtlpIngest, IngestStats {
  /** One export as received. */
  public record Export(String signal, WriteScope scope, Message request) {}

  /** Acknowledgements held back: {@link #arrived} completes when an export comes in, {@link #release} lets it go. */
  public record Hold(CompletableFuture<Void> arrived, CompletableFuture<Void> release) {}

  private final List<Export> exports = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicReference<Hold> hold = new AtomicReference<>();
  private final AtomicLong spans = new AtomicLong();

  public List<Export> exports() {
    return List.copyOf(exports);
  }

  /** "traces acknowledged", "backend closed", ... in the order they happened. */
  public List<String> events() {
    return List.copyOf(events);
  }

  void event(String what) {
    events.add(what);
  }

  /** Every following export fails with {@code error} (a StatusException, or anything to test the fallback). */
  public void failWith(Throwable error) {
    failure.set(error);
  }

  /** Holds every following acknowledgement until {@code release} completes. */
  public Hold holdResponses() {
    Hold h = new Hold(new CompletableFuture<>(), new CompletableFuture<>());
    hold.set(h);
    return h;
  }

  public void reset() {
    exports.clear();
    events.clear();
    failure.set(null);
    hold.set(null);
  }

  @Override
  public CompletableFuture<ExportTraceServiceResponse> exportTraces(WriteScope scope,
      ExportTraceServiceRequest request) {
    request.getResourceSpansList().forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAndGet(s.getSpansCount())));
    return record("traces", scope, request, ExportTraceServiceResponse::getDefaultInstance);
  }

  @Override
  public CompletableFuture<ExportMetricsServiceResponse> exportMetrics(WriteScope scope,
      ExportMetricsServiceRequest request) {
    return record("metrics", scope, request, ExportMetricsServiceResponse::getDefaultInstance);
  }

  @Override
  public CompletableFuture<ExportLogsServiceResponse> exportLogs(WriteScope scope, ExportLogsServiceRequest request) {
    return record("logs", scope, request, ExportLogsServiceResponse::getDefaultInstance);
  }

  private <R> CompletableFuture<R> record(String signal, WriteScope scope, Message request, Supplier<R> response) {
    exports.add(new Export(signal, scope, request));
    Throwable error = failure.get();
    if (error != null) {
      return CompletableFuture.failedFuture(error);
    }
    Hold h = hold.get();
    if (h == null) {
      events.add(signal + " acknowledged");
      return CompletableFuture.completedFuture(response.get());
    }
    h.arrived().complete(null);
    return h.release().thenApply(ignored -> {
      events.add(signal + " acknowledged");
      return response.get();
    });
  }

  @Override
  public List<SignalCounts> snapshot() {
    return List.of(new SignalCounts("traces", spans.get(), 0, 0, 0), new SignalCounts("metrics", 0, 0, 0, 0),
        new SignalCounts("logs", 0, 0, 0, 0));
  }
}
