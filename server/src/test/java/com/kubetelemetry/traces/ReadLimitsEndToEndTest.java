/** Engine limits configured under `query.*` stop reads with RESOURCE_EXHAUSTED naming the limit and how to narrow. */
package com.kubetelemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.kubetelemetry.api.v1.PageRequest;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadLimitsEndToEndTest {
  private static final int SPANS = 200;

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withQuery(
      new ServerConfig.QuerySection(Duration.ofHours(1), Duration.ofDays(1), Duration.ofSeconds(30), 50, 100_000,
          1000, 11000)));

  @BeforeAll
  static void sendSpans() {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < SPANS; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, i + 1).array()))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1).array()))
          .setName("op").setStartTimeUnixNano(now - i * 1_000_000L).setEndTimeUnixNano(now - i * 1_000_000L + 10));
    }
    GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class).export(
        ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("limited"))))
            .addScopeSpans(scope)).build());
  }

  @Test
  void readingMoreRowsThanAllowedIsResourceExhaustedNamingTheSetting() {
    var stub = GrpcClients.newClient(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class);
    assertThatThrownBy(() -> stub.searchTraces(SearchTracesRequest.newBuilder()
        .setPage(PageRequest.newBuilder().setPageSize(1000)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("query.maxRowsToRead").contains("narrow")
              .doesNotContain("DB::Exception");
        });
  }

  @Test
  void rangesWiderThanTheConfiguredMaximumAreRefused() {
    var stub = GrpcClients.newClient(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class);
    assertThatThrownBy(() -> stub.searchTraces(SearchTracesRequest.newBuilder()
        .setTimeRange(TimeRange.newBuilder().setRelative("2d")).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("1 day").contains("time_range");
        });
  }
}
