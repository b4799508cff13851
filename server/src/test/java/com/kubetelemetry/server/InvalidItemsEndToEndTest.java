/** Invalid OTLP items are rejected with partial-success counts while the rest is stored; bad payloads don't hurt. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.storage.Store;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InvalidItemsEndToEndTest {
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;
  private static final ByteString TRACE = bytes(16, 1);
  private static final ByteString SPAN = bytes(8, 2);

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(),
      config -> config.withIngest(new ServerConfig.IngestSection(64 * 1024, 256, 1 << 20, 100_000,
          config.ingest().flushInterval())));

  @Test
  void invalidSpansAreCountedAndTheRestIsStored() {
    var stub = GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    ExportTraceServiceResponse response = stub.export(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("spans-mixed")).addScopeSpans(
            ScopeSpans.newBuilder()
                .addSpans(span("ok-1", TRACE, SPAN, NOW))
                .addSpans(span("short-trace-id", bytes(5, 3), SPAN, NOW))
                .addSpans(span("no-span-id", TRACE, ByteString.EMPTY, NOW))
                .addSpans(span("no-start", TRACE, SPAN, 0))
                .addSpans(span("ok-2", TRACE, bytes(8, 4), NOW)))).build());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("3 spans rejected").contains("5 bytes");
    assertThat(names("SELECT SpanName AS n FROM otel.otel_traces WHERE ServiceName = {key:String} ORDER BY n",
        "spans-mixed")).containsExactly("ok-1", "ok-2");
  }

  @Test
  void invalidMetricPointsAreCountedAndTheRestIsStored() {
    var stub = GrpcClients.newClient(server.uri(), MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    NumberDataPoint point = NumberDataPoint.newBuilder().setTimeUnixNano(NOW).setAsDouble(1).build();
    ExportMetricsServiceResponse response = stub.export(ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("metrics-mixed")).addScopeMetrics(
            ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("").setGauge(Gauge.newBuilder()
                    .addDataPoints(point).addDataPoints(point)))
                .addMetrics(Metric.newBuilder().setName("kept").setGauge(Gauge.newBuilder()
                    .addDataPoints(point).addDataPoints(point.toBuilder().setTimeUnixNano(0))))
                .addMetrics(Metric.newBuilder().setName("bad.buckets").setHistogram(Histogram.newBuilder()
                    .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(NOW).setCount(3)
                        .addExplicitBounds(1).addExplicitBounds(2).addBucketCounts(1).addBucketCounts(2))))))
        .build());
    assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(4);
    assertThat(response.getPartialSuccess().getErrorMessage()).isNotBlank();
    assertThat(names("SELECT MetricName AS n FROM otel.otel_metrics_gauge WHERE ServiceName = {key:String}",
        "metrics-mixed")).containsExactly("kept");
    assertThat(names("SELECT MetricName AS n FROM otel.otel_metrics_histogram WHERE ServiceName = {key:String}",
        "metrics-mixed")).isEmpty();
  }

  @Test
  void invalidLogRecordsAreCountedAndTheRestIsStored() {
    var stub = GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceBlockingStub.class);
    ExportLogsServiceResponse response = stub.export(ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource("logs-mixed")).addScopeLogs(
            ScopeLogs.newBuilder()
                .addLogRecords(log("kept").setTimeUnixNano(NOW))
                .addLogRecords(log("observed only").setObservedTimeUnixNano(NOW))
                .addLogRecords(log("no time at all"))
                .addLogRecords(log("bad trace").setTimeUnixNano(NOW).setTraceId(bytes(3, 9))))).build());
    assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
    assertThat(names("SELECT Body AS n FROM otel.otel_logs WHERE ServiceName = {key:String} ORDER BY n",
        "logs-mixed")).containsExactly("kept", "observed only");
  }

  @Test
  void garbageAndOversizedPayloadsAreRefusedAndTheServerKeepsServing() {
    WebClient http = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
    var garbage = http.prepare().post("/v1/logs").content(MediaType.PROTOBUF, new byte[] {(byte) 0xff, 0x7f, 0x01})
        .execute().aggregate().join();
    assertThat(garbage.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    var oversized = http.prepare().post("/v1/logs").content(MediaType.PROTOBUF, new byte[128 * 1024])
        .execute().aggregate().join();
    assertThat(oversized.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    var stub = GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceBlockingStub.class);
    ExportLogsServiceRequest huge = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(resource("logs-after")).addScopeLogs(ScopeLogs.newBuilder()
            .addLogRecords(log("x".repeat(100 * 1024)).setTimeUnixNano(NOW)))).build();
    assertThatThrownBy(() -> stub.export(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

    ExportLogsServiceResponse ok = stub.export(ExportLogsServiceRequest.newBuilder().addResourceLogs(
        ResourceLogs.newBuilder().setResource(resource("logs-after")).addScopeLogs(ScopeLogs.newBuilder()
            .addLogRecords(log("still serving").setTimeUnixNano(NOW)))).build());
    assertThat(ok.hasPartialSuccess()).isFalse();
    assertThat(names("SELECT Body AS n FROM otel.otel_logs WHERE ServiceName = {key:String}", "logs-after"))
        .containsExactly("still serving");
  }

  @Test
  void longAttributeValuesAreTruncatedToTheConfiguredLength() {
    var stub = GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceBlockingStub.class);
    stub.export(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(resource("logs-long")).addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log("long attr")
            .setTimeUnixNano(NOW).addAttributes(KeyValue.newBuilder().setKey("payload")
                .setValue(AnyValue.newBuilder().setStringValue("y".repeat(1000))))))).build());
    assertThat(names("SELECT toString(length(LogAttributes['payload'])) AS n FROM otel.otel_logs"
        + " WHERE ServiceName = {key:String}", "logs-long")).containsExactly("256");
  }

  private static List<String> names(String sql, String service) {
    Store store = server.backend().store();
    return StoredRows.select(store, sql, service).stream().map(row -> row.get("n").asText()).toList();
  }

  private static Span span(String name, ByteString traceId, ByteString spanId, long start) {
    return Span.newBuilder().setName(name).setTraceId(traceId).setSpanId(spanId).setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start == 0 ? 0 : start + 1000).build();
  }

  private static LogRecord.Builder log(String body) {
    return LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue(body));
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
        .setValue(AnyValue.newBuilder().setStringValue(service))).build();
  }

  private static ByteString bytes(int length, int fill) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) fill);
    return ByteString.copyFrom(b);
  }
}
