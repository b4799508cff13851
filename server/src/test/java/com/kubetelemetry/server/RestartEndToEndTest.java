/** Data acknowledged before a graceful shutdown, including an export still in flight, is there after a restart. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.demo.SpanBatchFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartEndToEndTest {
  @TempDir
  Path dataDir;

  /** A server and its backend, stopped through the real shutdown sequence. */
  private record Running(TelemetryServer server, StorageBackend backend, ShutdownSequence shutdown) {}

  private Running start(Duration flushInterval) {
    ServerConfig base = TestServer.baseConfig(dataDir);
    ServerConfig.IngestSection i = base.ingest();
    ServerConfig config = base.withIngest(new ServerConfig.IngestSection(i.maxMessageBytes(),
        i.maxAttributeValueLength(), i.bufferBytes(), i.maxBatchRows(), flushInterval));
    StorageBackend backend = (StorageBackend) new StorageBackendFactory().open(config);
    TelemetryServer server = new TelemetryServer(config, backend).start();
    return new Running(server, backend, new ShutdownSequence(server, new DemoHook(config.demo(), backend), backend));
  }

  @Test
  void acknowledgedDataSurvivesARestart() throws Exception {
    SpanBatchFactory spans = new SpanBatchFactory(5);
    Running first = start(Duration.ofSeconds(2));
    var stub = GrpcClients.newClient("http://127.0.0.1:" + first.server().port(),
        TraceServiceGrpc.TraceServiceBlockingStub.class);
    stub.export(spans.create(300, Instant.now()));
    var async = GrpcClients.newClient("http://127.0.0.1:" + first.server().port(),
        TraceServiceGrpc.TraceServiceFutureStub.class);
    ExportTraceServiceRequest lastOne = spans.create(45, Instant.now());
    CompletableFuture<ExportTraceServiceResponse> inFlight = new CompletableFuture<>();
    Futures.addCallback(async.export(lastOne),
        new FutureCallback<>() {
          @Override
          public void onSuccess(ExportTraceServiceResponse result) {
            inFlight.complete(result);
          }

          @Override
          public void onFailure(Throwable t) {
            inFlight.completeExceptionally(t);
          }
        }, Runnable::run);
    // Shut down while the export waits in the buffer (the flush interval is 2 s): it must still be committed.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (first.backend().bufferedIngest().bufferedBytes() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(first.backend().bufferedIngest().bufferedBytes()).as("export is buffered").isPositive();
    first.shutdown().run();
    assertThat(inFlight.get(30, TimeUnit.SECONDS).hasPartialSuccess()).isFalse();

    Running second = start(Duration.ofMillis(100));
    try {
      long stored = StoredRows.count(second.backend().store(),
          "SELECT count() FROM otel.otel_traces WHERE TenantId = {key:String}", "default");
      assertThat(stored).isEqualTo(345);
    } finally {
      second.shutdown().run();
    }
  }
}
