/** Graceful shutdown order, readiness flips, and start-up refusals (auth not implemented). */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.config.ServerConfig;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpStatus;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShutdownAndReadinessTest {
  @RegisterExtension
  final TestServer server = TestServer.create(RecordingBackend::new);

  private RecordingIngest ingest() {
    return RecordingBackend.recording(server.backend().ingest());
  }

  @Test
  void inFlightExportCompletesBeforeBackendCloses() {
    RecordingIngest.Hold hold = ingest().holdResponses();
    TraceServiceGrpc.TraceServiceFutureStub stub = GrpcClients.newClient(
        "http://127.0.0.1:" + server.otlpGrpcPort(), TraceServiceGrpc.TraceServiceFutureStub.class);
    var call = stub.export(GrpcTransportTest.traces("in-flight"));
    hold.arrived().join();

    CompletableFuture<Void> notReady = server.server().whenNotReady();
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(server::stop);
    notReady.join();
    assertThat(shutdown).isNotDone();
    assertThat(ingest().events()).doesNotContain("backend closed");

    hold.release().complete(null);
    shutdown.join();
    ExportTraceServiceResponse response = CompletableFuture.supplyAsync(() -> {
      try {
        return call.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).join();
    assertThat(response).isNotNull();
    assertThat(ingest().events()).containsExactly("traces acknowledged", "backend closed");
  }

  @Test
  void readinessFollowsTheStoreAndShutdown() {
    WebClient web = WebClient.of(server.uri());
    assertThat(web.get("/readyz").aggregate().join().status()).isEqualTo(HttpStatus.OK);
    assertThat(server.server().isReady()).isTrue();
    server.backend().store().close();
    assertThat(web.get("/readyz").aggregate().join().status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(web.get("/healthz").aggregate().join().status()).isEqualTo(HttpStatus.OK);
    assertThat(server.server().isReady()).isFalse();
  }

  @Test
  void markNotReadyTurnsProbesAndGrpcHealthOff() {
    server.server().markNotReady();
    WebClient web = WebClient.of(server.uri());
    assertThat(web.get("/readyz").aggregate().join().status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(web.get("/healthz").aggregate().join().status()).isEqualTo(HttpStatus.OK);
    HealthGrpc.HealthBlockingStub health = GrpcClients.newClient(server.uri(), HealthGrpc.HealthBlockingStub.class);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
  }

  @Test
  void authEnabledRefusesToStart() {
    ServerConfig config = server.config().withAuth(new ServerConfig.AuthSection(true, "default"));
    assertThatThrownBy(() -> new TelemetryServer(config, server.backend()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("auth is not implemented yet");
  }
}
