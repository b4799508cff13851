/** The main port over the wire: reflection, health, probes, admin, OTLP/gRPC on both ports, gRPC-Web, errors. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.kubetelemetry.api.v1.AdminServiceGrpc;
import com.kubetelemetry.api.v1.GetServerInfoRequest;
import com.kubetelemetry.api.v1.GetServerInfoResponse;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GrpcTransportTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(RecordingBackend::new,
      c -> c.withIngest(new com.kubetelemetry.config.ServerConfig.IngestSection(64 * 1024,
          c.ingest().maxAttributeValueLength(), c.ingest().bufferBytes(), c.ingest().maxBatchRows(),
          c.ingest().flushInterval())));

  private RecordingIngest ingest() {
    return RecordingBackend.recording(server.backend().ingest());
  }

  @BeforeEach
  void reset() {
    ingest().reset();
  }

  static ExportTraceServiceRequest traces(String spanName) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName(spanName)
            .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])))))
        .build();
  }

  private static TraceServiceGrpc.TraceServiceBlockingStub traceStub(int port) {
    return GrpcClients.newClient("http://127.0.0.1:" + port, TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  @Test
  void reflectionListsEveryService() {
    ServerReflectionGrpc.ServerReflectionStub stub =
        GrpcClients.newClient(server.uri(), ServerReflectionGrpc.ServerReflectionStub.class);
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = stub.serverReflectionInfo(new StreamObserver<>() {
      @Override
      public void onNext(ServerReflectionResponse value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> names = answer.join().getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName).toList();
    requests.onCompleted();
    assertThat(names).contains("telemetry.v1.AdminService", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection", "opentelemetry.proto.collector.trace.v1.TraceService",
        "opentelemetry.proto.collector.metrics.v1.MetricsService",
        "opentelemetry.proto.collector.logs.v1.LogsService");
  }

  @Test
  void grpcHealthIsServing() {
    HealthGrpc.HealthBlockingStub health = GrpcClients.newClient(server.uri(), HealthGrpc.HealthBlockingStub.class);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void probesAnswer() {
    WebClient web = WebClient.of(server.uri());
    assertThat(web.get("/healthz").aggregate().join().status()).isEqualTo(HttpStatus.OK);
    assertThat(web.get("/readyz").aggregate().join().status()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void adminServiceDescribesTheServer() {
    traceStub(server.port()).export(traces("counted"));
    GetServerInfoResponse info = GrpcClients.newClient(server.uri(), AdminServiceGrpc.AdminServiceBlockingStub.class)
        .getServerInfo(GetServerInfoRequest.getDefaultInstance());
    assertThat(info.getVersion()).isNotBlank();
    assertThat(info.getStorage()).isEqualTo("embedded");
    assertThat(info.getEngineVersion()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(info.getUptimeSeconds()).isNotNegative();
    assertThat(info.getIngestList()).extracting(s -> s.getSignal()).containsExactly("traces", "metrics", "logs");
    assertThat(info.getIngest(0).getAcceptedItems()).isPositive();
  }

  @Test
  void otlpGrpcOnMainPortAndOtlpPort() {
    traceStub(server.port()).export(traces("via-main"));
    traceStub(server.otlpGrpcPort()).export(traces("via-4317"));
    assertThat(ingest().exports()).extracting(e -> ((ExportTraceServiceRequest) e.request())
        .getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).containsExactly("via-main", "via-4317");
    assertThat(ingest().exports()).allSatisfy(e -> {
      assertThat(e.scope().tenant()).isEqualTo("default");
      assertThat(e.scope().mayWriteForOtherTenants()).isTrue();
    });
    assertThat(server.otlpGrpcPort()).isNotEqualTo(server.port());
  }

  @Test
  void ingestStatusPassesThrough() {
    ingest().failWith(new StatusException(Status.RESOURCE_EXHAUSTED.withDescription("ingest buffer is full")));
    assertThatThrownBy(() -> traceStub(server.port()).export(traces("x")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).isEqualTo("ingest buffer is full");
        });
  }

  @Test
  void unexpectedFailureBecomesGenericInternal() {
    ingest().failWith(new IllegalStateException("secret detail at /var/lib/x"));
    assertThatThrownBy(() -> traceStub(server.otlpGrpcPort()).export(traces("x")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getDescription()).doesNotContain("secret").contains("server log");
        });
  }

  @Test
  void oversizedGrpcMessageIsResourceExhausted() {
    ExportTraceServiceRequest big = traces("x".repeat(100 * 1024));
    assertThatThrownBy(() -> traceStub(server.port()).export(big))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(ingest().exports()).isEmpty();
  }

  @Test
  void grpcWebCallOverPlainHttp() {
    byte[] message = traces("from-browser").toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
    RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST,
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
        .contentType(MediaType.parse("application/grpc-web+proto")).add("x-grpc-web", "1").build();
    AggregatedHttpResponse response = WebClient.of(server.uri())
        .execute(headers, HttpData.wrap(frame.array())).aggregate().join();
    assertThat(response.status()).isEqualTo(HttpStatus.OK);
    byte[] body = response.content().array();
    // A data frame (flag 0) with the empty response, then a trailers frame (flag 0x80) with grpc-status 0.
    assertThat(body[0]).isEqualTo((byte) 0);
    int dataLength = ByteBuffer.wrap(body, 1, 4).getInt();
    int trailerAt = 5 + dataLength;
    assertThat(body[trailerAt]).isEqualTo((byte) 0x80);
    String trailers = new String(body, trailerAt + 5, body.length - trailerAt - 5, StandardCharsets.US_ASCII);
    assertThat(trailers).containsPattern("grpc-status: ?0\\r?\\n");
    assertThat(ingest().exports()).singleElement().satisfies(e -> assertThat(((ExportTraceServiceRequest) e.request())
        .getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("from-browser"));
  }

  @Test
  void grpcWebTextCallIsBase64Framed() {
    byte[] message = GetServerInfoRequest.getDefaultInstance().toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
    RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/telemetry.v1.AdminService/GetServerInfo")
        .contentType(MediaType.parse("application/grpc-web-text+proto")).add("x-grpc-web", "1").build();
    AggregatedHttpResponse response = WebClient.of(server.uri())
        .execute(headers, HttpData.ofAscii(java.util.Base64.getEncoder().encodeToString(frame.array())))
        .aggregate().join();
    assertThat(response.status()).isEqualTo(HttpStatus.OK);
    // The body is base64 text chunks; the first decodes to a data frame holding a GetServerInfoResponse.
    String text = response.contentAscii();
    int firstChunkEnd = text.indexOf('=') < 0 ? text.length() : text.indexOf('=');
    while (firstChunkEnd < text.length() && text.charAt(firstChunkEnd) == '=') {
      firstChunkEnd++;
    }
    byte[] data = java.util.Base64.getDecoder().decode(text.substring(0, firstChunkEnd));
    assertThat(data[0]).isEqualTo((byte) 0);
    int length = ByteBuffer.wrap(data, 1, 4).getInt();
    GetServerInfoResponse info;
    try {
      info = GetServerInfoResponse.parseFrom(java.util.Arrays.copyOfRange(data, 5, 5 + length));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    assertThat(info.getStorage()).isEqualTo("embedded");
  }
}
