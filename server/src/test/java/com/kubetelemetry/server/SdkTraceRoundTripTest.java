/** Spans exported by the real OpenTelemetry SDK over OTLP/gRPC and OTLP/HTTP are stored with every field intact. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SdkTraceRoundTripTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  @Test
  void grpcExportStoresEveryField() {
    exportAndCheck(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
        .setTimeout(30, TimeUnit.SECONDS).build(), "grpc");
  }

  @Test
  void grpcExportOnTheMainPortStoresEveryField() {
    exportAndCheck(OtlpGrpcSpanExporter.builder().setEndpoint(server.uri()).setTimeout(30, TimeUnit.SECONDS)
        .build(), "grpc-main");
  }

  @Test
  void httpProtobufExportStoresEveryField() {
    exportAndCheck(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").setCompression("gzip")
        .setTimeout(30, TimeUnit.SECONDS).build(), "http");
  }

  private void exportAndCheck(SpanExporter exporter, String transport) {
    String service = "checkout-" + transport;
    Resource resource = Resource.create(Attributes.builder().put("service.name", service)
        .put("k8s.pod.name", "checkout-7d9f-abc").put("k8s.namespace.name", "shop").build());
    SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Tracer tracer = provider.tracerBuilder("shop.checkout").setInstrumentationVersion("2.1.0").build();
    SpanContext linked = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.builder().put("vendor", "x").build());
    Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Span parent = tracer.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start).startSpan();
    Span child = tracer.spanBuilder("charge card").setParent(Context.current().with(parent))
        .setSpanKind(SpanKind.CLIENT).setStartTimestamp(start.plusMillis(5))
        .addLink(linked, Attributes.of(AttributeKey.stringKey("link.reason"), "retry-of"))
        .setAttribute("http.request.method", "POST").setAttribute("retry.count", 3L)
        .setAttribute("amount", 12.5).setAttribute("card.present", true)
        .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b")).startSpan();
    child.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"), "CardDeclined"),
        start.plusMillis(7));
    child.setStatus(StatusCode.ERROR, "card declined");
    child.end(start.plusMillis(25));
    parent.end(start.plusMillis(40));
    CompletableResultCode flushed = provider.forceFlush().join(60, TimeUnit.SECONDS);
    provider.shutdown().join(60, TimeUnit.SECONDS);
    assertThat(flushed.isSuccess()).as("export acknowledged").isTrue();

    List<JsonNode> rows = StoredRows.select(server.backend().store(), """
        SELECT TenantId, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
          ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage,
          toUnixTimestamp64Nano(Timestamp) AS StartNanos, Events.Name AS EventNames,
          arrayMap(t -> toUnixTimestamp64Nano(t), Events.Timestamp) AS EventNanos, Events.Attributes AS EventAttrs,
          Links.TraceId AS LinkTraceIds, Links.SpanId AS LinkSpanIds, Links.TraceState AS LinkStates,
          Links.Attributes AS LinkAttrs
        FROM otel.otel_traces WHERE ServiceName = {key:String} ORDER BY Timestamp""", service);
    assertThat(rows).hasSize(2);
    JsonNode serverSpan = rows.get(0);
    JsonNode client = rows.get(1);
    String traceId = parent.getSpanContext().getTraceId();
    assertThat(serverSpan.get("TenantId").asText()).isEqualTo("default");
    assertThat(serverSpan.get("TraceId").asText()).isEqualTo(traceId);
    assertThat(serverSpan.get("SpanId").asText()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(serverSpan.get("ParentSpanId").asText()).isEmpty();
    assertThat(serverSpan.get("SpanName").asText()).isEqualTo("POST /checkout");
    assertThat(serverSpan.get("SpanKind").asText()).isEqualTo("Server");
    assertThat(serverSpan.get("StatusCode").asText()).isEqualTo("Unset");
    assertThat(serverSpan.get("Duration").asLong()).isEqualTo(40_000_000L);
    assertThat(serverSpan.get("StartNanos").asLong()).isEqualTo(nanos(start));

    assertThat(client.get("TraceId").asText()).isEqualTo(traceId);
    assertThat(client.get("SpanId").asText()).isEqualTo(child.getSpanContext().getSpanId());
    assertThat(client.get("ParentSpanId").asText()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(client.get("TraceState").asText()).isEmpty();
    assertThat(client.get("SpanKind").asText()).isEqualTo("Client");
    assertThat(client.get("ServiceName").asText()).isEqualTo(service);
    assertThat(map(client.get("ResourceAttributes"))).containsEntry("k8s.pod.name", "checkout-7d9f-abc")
        .containsEntry("k8s.namespace.name", "shop").containsEntry("service.name", service);
    assertThat(client.get("ScopeName").asText()).isEqualTo("shop.checkout");
    assertThat(client.get("ScopeVersion").asText()).isEqualTo("2.1.0");
    assertThat(map(client.get("SpanAttributes"))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http.request.method", "POST", "retry.count", "3", "amount", "12.5", "card.present", "true",
        "tags", "[\"a\",\"b\"]"));
    assertThat(client.get("Duration").asLong()).isEqualTo(20_000_000L);
    assertThat(client.get("StatusCode").asText()).isEqualTo("Error");
    assertThat(client.get("StatusMessage").asText()).isEqualTo("card declined");
    assertThat(client.get("StartNanos").asLong()).isEqualTo(nanos(start.plusMillis(5)));
    assertThat(client.get("EventNames").get(0).asText()).isEqualTo("exception");
    assertThat(client.get("EventNanos").get(0).asLong()).isEqualTo(nanos(start.plusMillis(7)));
    assertThat(map(client.get("EventAttrs").get(0))).containsEntry("exception.type", "CardDeclined");
    assertThat(client.get("LinkTraceIds").get(0).asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(client.get("LinkSpanIds").get(0).asText()).isEqualTo("b7ad6b7169203331");
    assertThat(client.get("LinkStates").get(0).asText()).isEqualTo("vendor=x");
    assertThat(map(client.get("LinkAttrs").get(0))).containsEntry("link.reason", "retry-of");

    assertThat(StoredRows.count(server.backend().store(),
        "SELECT toUnixTimestamp(max(End)) - toUnixTimestamp(min(Start)) FROM otel.otel_traces_trace_id_ts"
            + " WHERE TraceId = {key:String} HAVING count() > 0", traceId))
        .as("the trace-id lookup covers the trace").isBetween(0L, 1L);
  }

  private static Map<String, String> map(JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
