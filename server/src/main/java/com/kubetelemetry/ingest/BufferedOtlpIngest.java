/** The OTLP ingest path: map in the caller's thread, hold rows in a bounded buffer, acknowledge after group commit. */
package com.kubetelemetry.ingest;

import com.kubetelemetry.ingest.mapping.MappedExport;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.kubetelemetry.storage.Store;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implements {@link OtlpIngest}. Each export is validated and encoded where it arrives; its encoded bytes must fit
 * the buffer or the export is refused with RESOURCE_EXHAUSTED (nothing stored, the client retries). Accepted
 * exports wait for the {@link GroupCommitter} and are acknowledged, with partial-success counts for rejected
 * items, only after their rows are committed. {@link #close()} stops intake and commits what is buffered.
 */
public final class BufferedOtlpIngest implements OtlpIngest, IngestStats, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BufferedOtlpIngest.class);

  private final ExportMapper<ExportTraceServiceRequest> traceMapper;
  private final ExportMapper<ExportMetricsServiceRequest> metricMapper;
  private final ExportMapper<ExportLogsServiceRequest> logMapper;
  private final IngestBuffer buffer;
  private final GroupCommitter committer;
  private final Map<Signal, Counters> counters = new EnumMap<>(Signal.class);

  public BufferedOtlpIngest(
      Store store,
      IngestSettings settings,
      ExportMapper<ExportTraceServiceRequest> traceMapper,
      ExportMapper<ExportMetricsServiceRequest> metricMapper,
      ExportMapper<ExportLogsServiceRequest> logMapper) {
    this.traceMapper = traceMapper;
    this.metricMapper = metricMapper;
    this.logMapper = logMapper;
    this.buffer = new IngestBuffer(settings.bufferBytes());
    this.committer = new GroupCommitter(store, settings, buffer);
    for (Signal signal : Signal.values()) {
      counters.put(signal, new Counters());
    }
  }

  @Override
  public CompletableFuture<ExportTraceServiceResponse> exportTraces(WriteScope scope, ExportTraceServiceRequest r) {
    return submit(Signal.TRACES, () -> traceMapper.map(scope, r)).thenApply(rows -> {
      var response = ExportTraceServiceResponse.newBuilder();
      if (rows.rejectedItems() > 0) {
        response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
            .setRejectedSpans(rows.rejectedItems()).setErrorMessage(rows.rejectionMessage()));
      }
      return response.build();
    });
  }

  @Override
  public CompletableFuture<ExportMetricsServiceResponse> exportMetrics(
      WriteScope scope, ExportMetricsServiceRequest r) {
    return submit(Signal.METRICS, () -> metricMapper.map(scope, r)).thenApply(rows -> {
      var response = ExportMetricsServiceResponse.newBuilder();
      if (rows.rejectedItems() > 0) {
        response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
            .setRejectedDataPoints(rows.rejectedItems()).setErrorMessage(rows.rejectionMessage()));
      }
      return response.build();
    });
  }

  @Override
  public CompletableFuture<ExportLogsServiceResponse> exportLogs(WriteScope scope, ExportLogsServiceRequest r) {
    return submit(Signal.LOGS, () -> logMapper.map(scope, r)).thenApply(rows -> {
      var response = ExportLogsServiceResponse.newBuilder();
      if (rows.rejectedItems() > 0) {
        response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
            .setRejectedLogRecords(rows.rejectedItems()).setErrorMessage(rows.rejectionMessage()));
      }
      return response.build();
    });
  }

  private CompletableFuture<MappedExport> submit(Signal signal, Supplier<MappedExport> mapping) {
    Counters count = counters.get(signal);
    MappedExport rows;
    try {
      rows = mapping.get();
    } catch (RuntimeException e) {
      LOG.error("could not map an OTLP {} export", signal.label, e);
      count.failedRequests.increment();
      return CompletableFuture.failedFuture(Status.INTERNAL
          .withDescription("the server could not process this " + signal.label + " export").asException());
    }
    count.rejectedItems.add(rows.rejectedItems());
    if (rows.blocksByTable().isEmpty()) {
      return CompletableFuture.completedFuture(rows);
    }
    long bytes = rows.encodedBytes();
    if (!buffer.tryReserve(bytes)) {
      count.throttledRequests.increment();
      return CompletableFuture.failedFuture(Status.RESOURCE_EXHAUSTED.withDescription(
          "ingest buffer is full (" + buffer.capacity() + " bytes); retry with backoff").asException());
    }
    PendingWrite write = new PendingWrite(signal, rows, new CompletableFuture<>());
    if (!committer.submit(write)) {
      buffer.release(bytes);
      count.failedRequests.increment();
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE.withDescription("server is shutting down; retry against another instance").asException());
    }
    return write.committed().handle((ok, failure) -> {
      if (failure != null) {
        count.failedRequests.increment();
        throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
      }
      count.acceptedItems.add(rows.acceptedItems());
      return rows;
    });
  }

  /** Encoded bytes currently waiting for commit. */
  public long bufferedBytes() {
    return buffer.held();
  }

  @Override
  public List<SignalCounts> snapshot() {
    return Arrays.stream(Signal.values()).map(signal -> {
      Counters c = counters.get(signal);
      return new SignalCounts(signal.label, c.acceptedItems.sum(), c.rejectedItems.sum(),
          c.throttledRequests.sum(), c.failedRequests.sum());
    }).toList();
  }

  /** Refuses new exports and commits everything already buffered (waits up to the close timeout). */
  @Override
  public void close() {
    committer.close();
  }

  private static final class Counters {
    final LongAdder acceptedItems = new LongAdder();
    final LongAdder rejectedItems = new LongAdder();
    final LongAdder throttledRequests = new LongAdder();
    final LongAdder failedRequests = new LongAdder();
  }
}
