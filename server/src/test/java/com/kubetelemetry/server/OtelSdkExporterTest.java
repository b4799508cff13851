/** The real OpenTelemetry Java SDK exporters (OTLP/gRPC and OTLP/HTTP) deliver spans to the server. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OtelSdkExporterTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(RecordingBackend::new);

  private RecordingIngest ingest() {
    return RecordingBackend.recording(server.backend().ingest());
  }

  @BeforeEach
  void reset() {
    ingest().reset();
  }

  private void sendOneSpan(SpanExporter exporter, String name) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "sdk-test")));
    SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Tracer tracer = provider.get("sdk-test");
    Span span = tracer.spanBuilder(name).startSpan();
    String traceId = span.getSpanContext().getTraceId();
    span.end();
    CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
    provider.shutdown().join(30, TimeUnit.SECONDS);
    assertThat(flushed.isSuccess()).as("exporter reported success").isTrue();
    assertThat(ingest().exports()).singleElement().satisfies(e -> {
      var received = ((ExportTraceServiceRequest) e.request()).getResourceSpans(0);
      assertThat(received.getScopeSpans(0).getSpans(0).getName()).isEqualTo(name);
      assertThat(HexFormat.of().formatHex(received.getScopeSpans(0).getSpans(0).getTraceId().toByteArray()))
          .isEqualTo(traceId);
      assertThat(received.getResource().getAttributesList())
          .anySatisfy(a -> assertThat(a.getValue().getStringValue()).isEqualTo("sdk-test"));
    });
  }

  @Test
  void grpcExporterOnOtlpPort() {
    sendOneSpan(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
        .setTimeout(30, TimeUnit.SECONDS).build(), "grpc-export");
  }

  @Test
  void grpcExporterOnMainPort() {
    sendOneSpan(OtlpGrpcSpanExporter.builder().setEndpoint(server.uri()).setTimeout(30, TimeUnit.SECONDS)
        .build(), "grpc-main-export");
  }

  @Test
  void httpProtobufExporter() {
    sendOneSpan(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces")
        .setTimeout(30, TimeUnit.SECONDS).build(), "http-export");
  }

  @Test
  void httpExporterWithGzip() {
    sendOneSpan(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").setCompression("gzip")
        .setTimeout(30, TimeUnit.SECONDS).build(), "http-gzip-export");
  }
}
