/** StreamQuery through the real server: large results arrive whole and in order; a leaving client stops the query. */
package com.kubetelemetry.structured;

import static com.kubetelemetry.structured.QueryServiceEndToEndTest.field;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.resource;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.select;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.kubetelemetry.api.v1.AggregateFunction;
import com.kubetelemetry.api.v1.Column;
import com.kubetelemetry.api.v1.OrderBy;
import com.kubetelemetry.api.v1.QueryRequest;
import com.kubetelemetry.api.v1.QueryServiceGrpc;
import com.kubetelemetry.api.v1.SelectExpression;
import com.kubetelemetry.api.v1.Signal;
import com.kubetelemetry.api.v1.StreamQueryRequest;
import com.kubetelemetry.api.v1.StreamQueryResponse;
import com.kubetelemetry.api.v1.StructuredQuery;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamQueryEndToEndTest {
  private static final int SPANS = 60_000;
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;
  /** Makes each row ~150 bytes, so the whole result (~9 MB) is far beyond any transport buffer. */
  private static final String PAYLOAD = "p".repeat(120);

  /** One engine connection: a stream that kept its connection would make every later call wait and fail. */
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withStorage(
      new ServerConfig.StorageSection(config.storage().url(), config.storage().chdbLibrary(),
          config.storage().database(), 1)));

  @BeforeAll
  static void sendSpans() {
    var stub = GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    for (int batch = 0; batch < SPANS; batch += 3000) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (int i = batch; i < batch + 3000; i++) {
        long start = NOW - 30 * 60_000_000_000L + i * 1000L;
        scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1L).array()))
            .setName(name(i)).setStartTimeUnixNano(start).setEndTimeUnixNano(start + i));
      }
      stub.export(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "bulk"))
              .addAttributes(text("tenant.id", "bulk")).addAttributes(text("payload", PAYLOAD)))
          .addScopeSpans(scope)).build());
    }
  }

  @Test
  void deliversEveryRowOfALargeResultInOrderInBatches() {
    List<StreamQueryResponse> messages = stream(60_000, 1000);
    assertThat(messages.getFirst().getColumnsList()).extracting(Column::getName)
        .containsExactly("field.span_name", "resource.payload");
    assertThat(messages.subList(1, messages.size())).allMatch(m -> m.getColumnsCount() == 0);
    assertThat(messages).allMatch(m -> m.getRowsCount() <= 1000);
    assertThat(messages.size()).isGreaterThan(SPANS / 1000);
    StreamQueryResponse last = messages.getLast();
    assertThat(last.hasStats()).isTrue();
    assertThat(last.getTruncated()).isFalse();
    List<String> names = new ArrayList<>();
    messages.forEach(m -> m.getRowsList().forEach(r -> {
      names.add(r.getValues(0).getStringValue());
      assertThat(r.getValues(1).getStringValue()).isEqualTo(PAYLOAD);
    }));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < SPANS; i++) {
      expected.add(name(i));
    }
    assertThat(names).containsExactlyElementsOf(expected);
  }

  @Test
  void aLimitBelowTheResultMarksTheLastMessageTruncated() {
    List<StreamQueryResponse> messages = stream(SPANS - 1, 7000);
    assertThat(messages.stream().mapToInt(StreamQueryResponse::getRowsCount).sum()).isEqualTo(SPANS - 1);
    assertThat(messages.getLast().getTruncated()).isTrue();
    List<String> names = messages.stream().flatMap(m -> m.getRowsList().stream())
        .map(r -> r.getValues(0).getStringValue()).toList();
    assertThat(names.getLast()).isEqualTo(name(SPANS - 2));
    assertThat(messages).allMatch(m -> m.getRowsCount() <= 7000);
  }

  /** A stream whose client reads one message and then stops asking for more. */
  static final class PausedClient implements ClientResponseObserver<StreamQueryRequest, StreamQueryResponse> {
    final CompletableFuture<StreamQueryResponse> first = new CompletableFuture<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    ClientCallStreamObserver<StreamQueryRequest> call;

    static PausedClient start() {
      PausedClient client = new PausedClient();
      GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, "bulk")
          .build(QueryServiceGrpc.QueryServiceStub.class).streamQuery(request(SPANS, 100), client);
      return client;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamQueryRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(StreamQueryResponse value) {
      first.complete(value);
    }

    @Override
    public void onError(Throwable t) {
      first.completeExceptionally(t);
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }

    Status cancel() throws Exception {
      call.cancel("the client leaves", null);
      return end.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientLeavingMidStreamCancelsTheEngineQuery() throws Exception {
    PausedClient client = PausedClient.start();
    assertThat(client.first.get(60, TimeUnit.SECONDS).getRowsCount()).isEqualTo(100);
    assertThat(client.cancel().getCode()).isEqualTo(Status.Code.CANCELLED);
    // The server holds its only engine connection while the stream runs; had it not cancelled the engine query
    // on the client's departure, this call would wait for that connection and fail after the acquire timeout.
    assertThat(countSpans()).isEqualTo(SPANS);
  }

  @Test
  void concurrentStreamsAreCappedAndTheirSlotsFreedWhenClientsLeave() throws Exception {
    // With one engine connection the first stream holds it; the others wait for it (each holding a slot).
    List<PausedClient> running = new ArrayList<>();
    running.add(PausedClient.start());
    assertThat(running.getFirst().first.get(60, TimeUnit.SECONDS).getRowsCount()).isEqualTo(100);
    // One more client than there are slots left: whichever request arrives last is refused at once, while the
    // others wait for the connection and cannot end, so the first call to end is the refused one.
    List<PausedClient> waiting = new ArrayList<>();
    for (int i = 0; i < QueryGrpcService.MAX_CONCURRENT_STREAMS; i++) {
      waiting.add(PausedClient.start());
    }
    CompletableFuture<Object> firstEnd = CompletableFuture.anyOf(waiting.stream().map(c -> c.end)
        .toArray(CompletableFuture[]::new));
    assertThat(((Status) firstEnd.get(60, TimeUnit.SECONDS)).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    waiting.stream().filter(c -> !c.end.isDone()).forEach(running::add);
    assertThat(running).hasSize(QueryGrpcService.MAX_CONCURRENT_STREAMS);
    for (PausedClient client : running) {
      assertThat(client.first.get(60, TimeUnit.SECONDS).getRowsCount()).isEqualTo(100);
      assertThat(client.cancel().getCode()).isEqualTo(Status.Code.CANCELLED);
    }
    assertThat(stream(5, 5).stream().mapToInt(StreamQueryResponse::getRowsCount).sum()).isEqualTo(5);
    assertThat(countSpans()).isEqualTo(SPANS);
  }

  private static long countSpans() {
    var blocking = GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, "bulk")
        .build(QueryServiceGrpc.QueryServiceBlockingStub.class);
    StructuredQuery count = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT)).build();
    return blocking.query(QueryRequest.newBuilder().setQuery(count).setTimeRange(lastHour()).build())
        .getRows(0).getValues(0).getIntValue();
  }

  @Test
  void badBatchSizeAndLimitAreRejectedBeforeStreaming() {
    assertThatThrownBy(() -> stream(10, 10_001)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("batch_size");
    });
    assertThatThrownBy(() -> stream(1_000_001, 10)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).contains("query.limit");
    });
  }

  private static List<StreamQueryResponse> stream(int limit, int batchSize) {
    var stub = GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, "bulk")
        .build(QueryServiceGrpc.QueryServiceBlockingStub.class);
    List<StreamQueryResponse> out = new ArrayList<>();
    stub.streamQuery(request(limit, batchSize)).forEachRemaining(out::add);
    return out;
  }

  private static StreamQueryRequest request(int limit, int batchSize) {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(select(field("span_name"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(select(resource("payload"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addOrderBy(OrderBy.newBuilder().setColumn("field.span_name"))
        .setLimit(limit).build();
    return StreamQueryRequest.newBuilder().setQuery(query).setTimeRange(lastHour()).setBatchSize(batchSize)
        .build();
  }

  private static TimeRange lastHour() {
    return TimeRange.newBuilder().setRelative("1h").build();
  }

  private static String name(int i) {
    return String.format("op-%05d", i);
  }
}
