/** The server on the remote store when ClickHouse goes down or its pool is exhausted: fast UNAVAILABLE, recovery. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.SearchTracesResponse;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.remote.ClickHouseHttpEndpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpStatus;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RemoteStoreFailuresEndToEndTest {
  /** One pooled connection, so one held stream exhausts the pool; a short wait for a connection. */
  @RegisterExtension
  final TestServer server = TestServer.remote(config -> config.withStorage(config.storage().withPoolSize(1)
      .withConnectionTimeout(Duration.ofSeconds(1))));

  private final AtomicLong nextId = new AtomicLong(1);

  @Test
  void serverDownFailsFastWithUnavailableAndRecoversWhenItIsBack() {
    ClickHouseHttpEndpoint endpoint = server.endpoint().orElseThrow();
    WebClient web = WebClient.of(server.uri());
    export("before");
    assertThat(search().getTracesCount()).isEqualTo(1);

    endpoint.stop();
    assertThatThrownBy(this::search).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("storage is unavailable").doesNotContain("127.0.0.1");
    });
    assertThatThrownBy(() -> export("while-down")).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(web.get("/readyz").aggregate().join().status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

    endpoint.start();
    assertThat(web.get("/readyz").aggregate().join().status()).isEqualTo(HttpStatus.OK);
    export("after");
    assertThat(search().getTracesCount()).as("the refused export was not stored, the later one was").isEqualTo(2);
  }

  @Test
  void exhaustedPoolFailsWithUnavailableAndRecoversWhenAConnectionIsFree() {
    export("one");
    ResultStream held = server.backend().store().stream(Sql.of("SELECT number FROM numbers(10)"), "TSV");
    try {
      assertThatThrownBy(this::search).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      held.close();
    }
    assertThat(search().getTracesCount()).isEqualTo(1);
  }

  @Test
  void driverRequestsAreWhatTheEndpointRecords() {
    export("recorded");
    search();
    var requests = server.endpoint().orElseThrow().requests();
    assertThat(requests).anySatisfy(r -> {
      assertThat(r.statement()).startsWith("INSERT INTO `otel`.`otel_traces`").endsWith("FORMAT Native");
      assertThat(r.bodyBytes()).isPositive();
    });
    assertThat(requests).anySatisfy(r -> {
      assertThat(r.headers()).containsKey("x-clickhouse-format");
      assertThat(r.parameters().keySet()).anyMatch(k -> k.startsWith("param_"));
    });
  }

  private SearchTracesResponse search() {
    return GrpcClients.newClient(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class)
        .searchTraces(SearchTracesRequest.getDefaultInstance());
  }

  private void export(String name) {
    long id = nextId.getAndIncrement();
    long now = System.currentTimeMillis() * 1_000_000L;
    GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class).export(
        ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("remote"))))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id).array()))
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
                .setName(name).setStartTimeUnixNano(now - 1000).setEndTimeUnixNano(now)))).build());
  }
}
