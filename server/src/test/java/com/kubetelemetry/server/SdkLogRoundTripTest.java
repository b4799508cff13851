/** Log records exported by the real SDK over OTLP/gRPC and OTLP/HTTP are stored with every field; bodies of every kind. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SdkLogRoundTripTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  @Test
  void grpcExportStoresEveryFieldAndBodyKind() {
    exportAndCheck(OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
        .setTimeout(30, TimeUnit.SECONDS).build(), "payments-grpc");
  }

  @Test
  void httpExportStoresEveryFieldAndBodyKind() {
    exportAndCheck(OtlpHttpLogRecordExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/logs")
        .setTimeout(30, TimeUnit.SECONDS).build(), "payments-http");
  }

  private void exportAndCheck(LogRecordExporter exporter, String service) {
    SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(Resource.create(Attributes.builder().put("service.name", service)
            .put("k8s.pod.name", "payments-0").build(), "https://opentelemetry.io/schemas/1.30.0"))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
    Logger logger = provider.loggerBuilder("shop.payments").setInstrumentationVersion("3.2.1")
        .setSchemaUrl("https://opentelemetry.io/schemas/1.29.0").build();
    SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        TraceFlags.getSampled(), TraceState.getDefault());
    Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Map<String, Value<?>> bodies = new LinkedHashMap<>();
    bodies.put("string", Value.of("payment accepted"));
    bodies.put("bool", Value.of(true));
    bodies.put("int", Value.of(42L));
    bodies.put("double", Value.of(3.5));
    bodies.put("bytes", Value.of("raw".getBytes(StandardCharsets.UTF_8)));
    bodies.put("array", Value.of(Value.of("a"), Value.of(1L)));
    bodies.put("kvlist", Value.of(KeyValue.of("order", Value.of("o-1")), KeyValue.of("amount", Value.of(12L))));
    int i = 0;
    for (Map.Entry<String, Value<?>> body : bodies.entrySet()) {
      logger.logRecordBuilder().setTimestamp(time.plusMillis(i++)).setObservedTimestamp(time.plusSeconds(1))
          .setSeverity(Severity.WARN).setSeverityText("WARN").setBody(body.getValue())
          .setAttribute(AttributeKey.stringKey("body.kind"), body.getKey())
          .setAttribute(AttributeKey.longKey("attempt"), 2L)
          .setEventName("payment.result")
          .setContext(Context.root().with(Span.wrap(span))).emit();
    }
    assertThat(provider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).as("export acknowledged").isTrue();
    provider.close();

    List<JsonNode> rows = StoredRows.select(server.backend().store(), """
        SELECT toUnixTimestamp64Nano(Timestamp) AS T, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber,
          ServiceName, Body, ResourceSchemaUrl, ResourceAttributes, ScopeSchemaUrl, ScopeName, ScopeVersion,
          LogAttributes, EventName, TenantId
        FROM otel.otel_logs WHERE ServiceName = {key:String} ORDER BY Timestamp""", service);
    assertThat(rows).hasSize(bodies.size());
    Map<String, String> bodyByKind = new LinkedHashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      JsonNode row = rows.get(r);
      assertThat(row.get("T").asLong()).isEqualTo(nanos(time.plusMillis(r)));
      assertThat(row.get("TraceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(row.get("SpanId").asText()).isEqualTo("00f067aa0ba902b7");
      assertThat(row.get("TraceFlags").asInt()).isEqualTo(1);
      assertThat(row.get("SeverityText").asText()).isEqualTo("WARN");
      assertThat(row.get("SeverityNumber").asInt()).isEqualTo(13);
      assertThat(row.get("ResourceSchemaUrl").asText()).isEqualTo("https://opentelemetry.io/schemas/1.30.0");
      assertThat(row.get("ResourceAttributes").get("k8s.pod.name").asText()).isEqualTo("payments-0");
      assertThat(row.get("ScopeSchemaUrl").asText()).isEqualTo("https://opentelemetry.io/schemas/1.29.0");
      assertThat(row.get("ScopeName").asText()).isEqualTo("shop.payments");
      assertThat(row.get("ScopeVersion").asText()).isEqualTo("3.2.1");
      assertThat(row.get("LogAttributes").get("attempt").asText()).isEqualTo("2");
      assertThat(row.get("EventName").asText()).isEqualTo("payment.result");
      assertThat(row.get("TenantId").asText()).isEqualTo("default");
      bodyByKind.put(row.get("LogAttributes").get("body.kind").asText(), row.get("Body").asText());
    }
    assertThat(bodyByKind).containsExactlyInAnyOrderEntriesOf(Map.of(
        "string", "payment accepted", "bool", "true", "int", "42", "double", "3.5",
        "bytes", Base64.getEncoder().encodeToString("raw".getBytes(StandardCharsets.UTF_8)),
        "array", "[\"a\",1]", "kvlist", "{\"amount\":12,\"order\":\"o-1\"}"));
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
