/** OTLP/HTTP over the wire: protobuf and JSON bodies, gzip, and every error the OTLP/HTTP spec defines. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.kubetelemetry.config.ServerConfig;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OtlpHttpTest {
  private static final int MAX_MESSAGE = 64 * 1024;

  @RegisterExtension
  static final TestServer server = TestServer.create(RecordingBackend::new,
      c -> c.withIngest(new ServerConfig.IngestSection(MAX_MESSAGE, c.ingest().maxAttributeValueLength(),
          c.ingest().bufferBytes(), c.ingest().maxBatchRows(), c.ingest().flushInterval())));

  private RecordingIngest ingest() {
    return RecordingBackend.recording(server.backend().ingest());
  }

  @BeforeEach
  void reset() {
    ingest().reset();
  }

  private static AggregatedHttpResponse post(String path, String contentType, byte[] body, String encoding) {
    var headers = RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.parse(contentType));
    if (encoding != null) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
    }
    return WebClient.of("http://127.0.0.1:" + server.otlpHttpPort())
        .execute(headers.build(), HttpData.wrap(body)).aggregate().join();
  }

  private static com.google.rpc.Status protobufStatus(AggregatedHttpResponse response) throws IOException {
    return com.google.rpc.Status.parseFrom(response.content().array());
  }

  @Test
  void protobufTracesAreAcceptedAndAnsweredInProtobuf() throws IOException {
    AggregatedHttpResponse response = post("/v1/traces", "application/x-protobuf",
        GrpcTransportTest.traces("http-span").toByteArray(), null);
    assertThat(response.status()).isEqualTo(HttpStatus.OK);
    assertThat(response.contentType().subtype()).isEqualTo("x-protobuf");
    ExportTraceServiceResponse.parseFrom(response.content().array());
    assertThat(ingest().exports()).singleElement().satisfies(e -> {
      assertThat(e.signal()).isEqualTo("traces");
      assertThat(((ExportTraceServiceRequest) e.request()).getResourceSpans(0).getScopeSpans(0).getSpans(0)
          .getName()).isEqualTo("http-span");
    });
  }

  @Test
  void jsonTracesWithHexIds() {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
          "scopeSpans":[{"scope":{"name":"lib"},"spans":[{
            "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174",
            "parentSpanId":"eee19b7ec3c1b173","name":"GET /cart","kind":"SPAN_KIND_SERVER",
            "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
            "links":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002"}],
            "status":{"code":2},"unknownFutureField":{"x":1}}]}]}]}
        """;
    AggregatedHttpResponse response = post("/v1/traces", "application/json", json.getBytes(), null);
    assertThat(response.status()).isEqualTo(HttpStatus.OK);
    assertThat(response.contentType().subtype()).isEqualTo("json");
    assertThat(response.contentUtf8()).isEqualTo("{}");
    Span span = ((ExportTraceServiceRequest) ingest().exports().getFirst().request())
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    HexFormat hex = HexFormat.of();
    assertThat(span.getTraceId()).isEqualTo(ByteString.copyFrom(hex.parseHex("5b8efff798038103d269b633813fc60c")));
    assertThat(span.getSpanId()).isEqualTo(ByteString.copyFrom(hex.parseHex("eee19b7ec3c1b174")));
    assertThat(span.getParentSpanId()).isEqualTo(ByteString.copyFrom(hex.parseHex("eee19b7ec3c1b173")));
    assertThat(span.getLinks(0).getTraceId()).isEqualTo(ByteString.copyFrom(hex.parseHex(
        "00000000000000000000000000000001")));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
  }

  @Test
  void jsonLogsAndMetricsReachTheirSignals() {
    String logs = """
        {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","severityNumber":9,
          "body":{"stringValue":"hello"},"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}
        """;
    String metrics = """
        {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"requests","sum":{"aggregationTemporality":2,
          "isMonotonic":true,"dataPoints":[{"asInt":"5","timeUnixNano":"2","exemplars":[
          {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","asDouble":1.5}]}]}}]}]}]}
        """;
    assertThat(post("/v1/logs", "application/json", logs.getBytes(), null).status()).isEqualTo(HttpStatus.OK);
    assertThat(post("/v1/metrics", "application/json; charset=utf-8", metrics.getBytes(), null).status())
        .isEqualTo(HttpStatus.OK);
    assertThat(ingest().exports()).extracting(RecordingIngest.Export::signal).containsExactly("logs", "metrics");
    LogRecord log = ((ExportLogsServiceRequest) ingest().exports().get(0).request())
        .getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(HexFormat.of().formatHex(log.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    var exemplar = ((ExportMetricsServiceRequest) ingest().exports().get(1).request()).getResourceMetrics(0)
        .getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0).getExemplars(0);
    assertThat(HexFormat.of().formatHex(exemplar.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
  }

  @Test
  void gzipBodiesAreDecoded() throws IOException {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setSeverityText("WARN")))).build();
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(request.toByteArray());
    }
    AggregatedHttpResponse response = post("/v1/logs", "application/x-protobuf", zipped.toByteArray(), "gzip");
    assertThat(response.status()).isEqualTo(HttpStatus.OK);
    assertThat(ingest().exports()).singleElement().satisfies(e -> assertThat(e.request()).isEqualTo(request));
  }

  @Test
  void wrongContentTypeIs415() {
    AggregatedHttpResponse response = post("/v1/traces", "text/plain", "hello".getBytes(), null);
    assertThat(response.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(response.contentUtf8()).contains("application/x-protobuf");
    assertThat(ingest().exports()).isEmpty();
  }

  @Test
  void garbageProtobufIs400WithStatusBody() throws IOException {
    AggregatedHttpResponse response = post("/v1/traces", "application/x-protobuf",
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02}, null);
    assertThat(response.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    com.google.rpc.Status status = protobufStatus(response);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(status.getMessage()).contains("not a valid OTLP protobuf");
    assertThat(ingest().exports()).isEmpty();
  }

  @Test
  void badJsonAndBadHexAre400InJson() {
    AggregatedHttpResponse notJson = post("/v1/traces", "application/json", "{not json".getBytes(), null);
    assertThat(notJson.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(notJson.contentUtf8()).contains("\"code\":3").contains("not valid JSON");
    String badHex = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz8efff798038103d269b633813fc60c"}]}]}]}
        """;
    AggregatedHttpResponse hex = post("/v1/traces", "application/json", badHex.getBytes(), null);
    assertThat(hex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(hex.contentUtf8()).contains("resourceSpans[0].scopeSpans[0].spans[0].traceId");
    AggregatedHttpResponse shortId = post("/v1/traces", "application/json",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"abcd\"}]}]}]}".getBytes(), null);
    assertThat(shortId.contentUtf8()).contains("expected 16 hex digits");
    assertThat(ingest().exports()).isEmpty();
  }

  @Test
  void oversizedBodyIs413() {
    byte[] big = GrpcTransportTest.traces("y".repeat(MAX_MESSAGE + 10)).toByteArray();
    assertThat(post("/v1/traces", "application/x-protobuf", big, null).status())
        .isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(ingest().exports()).isEmpty();
  }

  @Test
  void oversizedAfterGunzipIs413() throws IOException {
    byte[] big = GrpcTransportTest.traces("z".repeat(MAX_MESSAGE * 4)).toByteArray();
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(big);
    }
    assertThat(zipped.size()).isLessThan(MAX_MESSAGE);
    assertThat(post("/v1/traces", "application/x-protobuf", zipped.toByteArray(), "gzip").status())
        .isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(ingest().exports()).isEmpty();
  }

  @Test
  void throttlingIs429WithRetryAfter() throws IOException {
    ingest().failWith(new StatusException(Status.RESOURCE_EXHAUSTED.withDescription("ingest buffer is full")));
    AggregatedHttpResponse response = post("/v1/traces", "application/x-protobuf",
        GrpcTransportTest.traces("t").toByteArray(), null);
    assertThat(response.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(response.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
    assertThat(protobufStatus(response).getMessage()).isEqualTo("ingest buffer is full");
  }

  @Test
  void unavailableIs503AndUnexpectedIs500WithoutDetails() {
    ingest().failWith(new StatusException(Status.UNAVAILABLE.withDescription("storage is down")));
    AggregatedHttpResponse down = post("/v1/metrics", "application/json", "{}".getBytes(), null);
    assertThat(down.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(down.headers().get(HttpHeaderNames.RETRY_AFTER)).isNotNull();
    assertThat(down.contentUtf8()).contains("storage is down");
    ingest().failWith(new IllegalStateException("password=hunter2"));
    AggregatedHttpResponse broken = post("/v1/metrics", "application/json", "{}".getBytes(), null);
    assertThat(broken.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(broken.contentUtf8()).doesNotContain("hunter2").contains("\"code\":13");
  }

  @Test
  void onlyPostIsAllowed() {
    AggregatedHttpResponse response = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort())
        .get("/v1/traces").aggregate().join();
    assertThat(response.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
  }
}
