/** Many concurrent exporters against a small ingest buffer: refusals, bounded memory, and no acknowledged span lost. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.demo.SpanBatchFactory;
import com.kubetelemetry.ingest.IngestStats;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OverloadEndToEndTest {
  private static final long BUFFER_BYTES = 1 << 20;
  private static final int CLIENTS = 10;
  private static final int EXPORTS_PER_CLIENT = 20;
  private static final int SPANS_PER_EXPORT = 200;

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(),
      config -> config.withIngest(new ServerConfig.IngestSection(BUFFER_BYTES, 16384, BUFFER_BYTES, 2_000,
          Duration.ofMillis(200))));

  @Test
  void everyAcknowledgedSpanIsStoredWhileOverloadIsRefused() throws Exception {
    SpanBatchFactory factory = new SpanBatchFactory(11);
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    for (int i = 0; i < CLIENTS * EXPORTS_PER_CLIENT; i++) {
      requests.add(factory.create(SPANS_PER_EXPORT, Instant.now()));
    }
    var ingest = ((StorageBackend) server.backend()).bufferedIngest();
    AtomicLong acknowledgedSpans = new AtomicLong();
    AtomicLong refusals = new AtomicLong();
    AtomicLong maxBuffered = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread watcher = Thread.ofPlatform().start(() -> {
      while (running.get()) {
        maxBuffered.accumulateAndGet(ingest.bufferedBytes(), Math::max);
        Thread.onSpinWait();
      }
    });
    try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        List<ExportTraceServiceRequest> mine =
            requests.subList(c * EXPORTS_PER_CLIENT, (c + 1) * EXPORTS_PER_CLIENT);
        done.add(clients.submit(() -> {
          var stub = GrpcClients.newClient("http://127.0.0.1:" + server.otlpGrpcPort(),
              TraceServiceGrpc.TraceServiceBlockingStub.class);
          for (ExportTraceServiceRequest request : mine) {
            while (true) {
              try {
                stub.export(request);
                acknowledgedSpans.addAndGet(SPANS_PER_EXPORT);
                break;
              } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                refusals.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // back off as OTLP exporters do
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      running.set(false);
      watcher.join();
    }
    long stored = StoredRows.count(server.backend().store(),
        "SELECT count() FROM otel.otel_traces WHERE TenantId = {key:String}", "default");
    IngestStats.SignalCounts traces = server.backend().stats().snapshot().getFirst();
    assertThat(acknowledgedSpans.get()).isEqualTo((long) CLIENTS * EXPORTS_PER_CLIENT * SPANS_PER_EXPORT);
    assertThat(stored).isEqualTo(acknowledgedSpans.get());
    assertThat(traces.acceptedItems()).isEqualTo(acknowledgedSpans.get());
    assertThat(refusals.get()).isPositive().isEqualTo(traces.throttledRequests());
    assertThat(maxBuffered.get()).isPositive().isLessThanOrEqualTo(BUFFER_BYTES);
    assertThat(ingest.bufferedBytes()).isZero();
  }
}
