/** Every metric point type, exported over OTLP/gRPC and OTLP/HTTP, lands in its table with every field intact. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.kubetelemetry.storage.Store;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SdkMetricRoundTripTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());
  private static final Attributes ROUTE = Attributes.of(AttributeKey.stringKey("http.route"), "/cart");

  @Test
  void grpcExportStoresEveryPointType() {
    exportAndCheck(OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
        .setTimeout(30, TimeUnit.SECONDS).build(), "cart-grpc");
  }

  @Test
  void httpExportStoresEveryPointType() {
    exportAndCheck(OtlpHttpMetricExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/metrics")
        .setTimeout(30, TimeUnit.SECONDS).build(), "cart-http");
  }

  /** The SDK cannot produce summaries (a legacy Prometheus type), so this one goes in as raw OTLP. */
  @Test
  void summaryPointsAreStored() {
    long now = Instant.now().toEpochMilli() * 1_000_000L;
    var stub = GrpcClients.newClient("http://127.0.0.1:" + server.otlpGrpcPort(),
        MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    ExportMetricsServiceResponse response = stub.export(ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("legacy-db"))))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("db.query.time")
                .setUnit("ms").setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
                    .setStartTimeUnixNano(now - 60_000_000_000L).setTimeUnixNano(now).setCount(10).setSum(42.5)
                    .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(3))
                    .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99)
                        .setValue(9.5))))))).build());
    assertThat(response.hasPartialSuccess()).isFalse();
    JsonNode row = only(server.backend().store(), """
        SELECT MetricName, MetricUnit, Count, Sum, ValueAtQuantiles.Quantile AS Q, ValueAtQuantiles.Value AS V,
          toUnixTimestamp64Nano(TimeUnix) AS T
        FROM otel.otel_metrics_summary WHERE ServiceName = {key:String}""", "legacy-db");
    assertThat(row.get("MetricUnit").asText()).isEqualTo("ms");
    assertThat(row.get("Count").asLong()).isEqualTo(10);
    assertThat(row.get("Sum").asDouble()).isEqualTo(42.5);
    assertThat(row.get("Q").toString()).isEqualTo("[0.5,0.99]");
    assertThat(row.get("V").toString()).isEqualTo("[3,9.5]");
    assertThat(row.get("T").asLong()).isEqualTo(now);
  }

  private void exportAndCheck(MetricExporter exporter, String service) {
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
        .registerView(InstrumentSelector.builder().setName("db.latency").build(),
            View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
        .build();
    Meter meter = provider.meterBuilder("shop.metrics").setInstrumentationVersion("1.4.0").build();
    var requests = meter.counterBuilder("http.requests").setUnit("{request}").setDescription("Requests served")
        .build();
    requests.add(5, ROUTE);
    requests.add(2, ROUTE);
    var connections = meter.upDownCounterBuilder("active.connections").build();
    connections.add(3);
    connections.add(-1);
    meter.gaugeBuilder("pod.cpu").setUnit("{cpu}").build().set(0.75, ROUTE);
    var latency = meter.histogramBuilder("http.latency").setUnit("s")
        .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0)).build();
    for (double v : new double[] {0.05, 0.3, 0.7, 2.0}) {
      latency.record(v, ROUTE);
    }
    var db = meter.histogramBuilder("db.latency").setUnit("ms").build();
    for (double v : new double[] {1.0, 2.0, 4.0}) {
      db.record(v);
    }
    assertThat(provider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).as("export acknowledged").isTrue();
    // No shutdown() before the checks: it would export the cumulative points a second time.
    Store store = server.backend().store();

    JsonNode counter = only(store, """
        SELECT MetricName, MetricUnit, MetricDescription, Value, IsMonotonic, AggregationTemporality, Attributes,
          ScopeName, ScopeVersion, TenantId, toUnixTimestamp64Nano(StartTimeUnix) AS S,
          toUnixTimestamp64Nano(TimeUnix) AS T
        FROM otel.otel_metrics_sum WHERE ServiceName = {key:String} AND MetricName = 'http.requests'""", service);
    assertThat(counter.get("Value").asDouble()).isEqualTo(7.0);
    assertThat(counter.get("IsMonotonic").asBoolean()).isTrue();
    assertThat(counter.get("AggregationTemporality").asInt()).isEqualTo(2);
    assertThat(counter.get("MetricUnit").asText()).isEqualTo("{request}");
    assertThat(counter.get("MetricDescription").asText()).isEqualTo("Requests served");
    assertThat(counter.get("Attributes").get("http.route").asText()).isEqualTo("/cart");
    assertThat(counter.get("ScopeName").asText()).isEqualTo("shop.metrics");
    assertThat(counter.get("ScopeVersion").asText()).isEqualTo("1.4.0");
    assertThat(counter.get("TenantId").asText()).isEqualTo("default");
    assertThat(counter.get("S").asLong()).isPositive().isLessThanOrEqualTo(counter.get("T").asLong());

    JsonNode upDown = only(store, "SELECT Value, IsMonotonic FROM otel.otel_metrics_sum"
        + " WHERE ServiceName = {key:String} AND MetricName = 'active.connections'", service);
    assertThat(upDown.get("Value").asDouble()).isEqualTo(2.0);
    assertThat(upDown.get("IsMonotonic").asBoolean()).isFalse();

    JsonNode gauge = only(store, "SELECT Value, MetricUnit, Attributes FROM otel.otel_metrics_gauge"
        + " WHERE ServiceName = {key:String} AND MetricName = 'pod.cpu'", service);
    assertThat(gauge.get("Value").asDouble()).isEqualTo(0.75);
    assertThat(gauge.get("MetricUnit").asText()).isEqualTo("{cpu}");

    JsonNode histogram = only(store, """
        SELECT Count, Sum, BucketCounts, ExplicitBounds, Min, Max, AggregationTemporality, Attributes
        FROM otel.otel_metrics_histogram WHERE ServiceName = {key:String} AND MetricName = 'http.latency'""",
        service);
    assertThat(histogram.get("Count").asLong()).isEqualTo(4);
    assertThat(histogram.get("Sum").asDouble()).isCloseTo(3.05, within(1e-9));
    assertThat(histogram.get("BucketCounts").toString()).isEqualTo("[1,1,1,1]");
    assertThat(histogram.get("ExplicitBounds").toString()).isEqualTo("[0.1,0.5,1]");
    assertThat(histogram.get("Min").asDouble()).isEqualTo(0.05);
    assertThat(histogram.get("Max").asDouble()).isEqualTo(2.0);
    assertThat(histogram.get("AggregationTemporality").asInt()).isEqualTo(2);
    assertThat(histogram.get("Attributes").get("http.route").asText()).isEqualTo("/cart");

    JsonNode exponential = only(store, """
        SELECT Count, Sum, Scale, ZeroCount, PositiveOffset, arraySum(PositiveBucketCounts) AS Positive,
          length(NegativeBucketCounts) AS NegativeBuckets, Min, Max, MetricUnit
        FROM otel.otel_metrics_exp_histogram WHERE ServiceName = {key:String} AND MetricName = 'db.latency'""",
        service);
    assertThat(exponential.get("Count").asLong()).isEqualTo(3);
    assertThat(exponential.get("Sum").asDouble()).isEqualTo(7.0);
    assertThat(exponential.get("ZeroCount").asLong()).isZero();
    assertThat(exponential.get("Positive").asLong()).isEqualTo(3);
    assertThat(exponential.get("NegativeBuckets").asInt()).isZero();
    assertThat(exponential.get("Scale").asInt()).isBetween(-10, 20);
    assertThat(exponential.get("Min").asDouble()).isEqualTo(1.0);
    assertThat(exponential.get("Max").asDouble()).isEqualTo(4.0);
    assertThat(exponential.get("MetricUnit").asText()).isEqualTo("ms");
    provider.close();
  }

  private static JsonNode only(Store store, String sql, String key) {
    List<JsonNode> rows = StoredRows.select(store, sql, key);
    assertThat(rows).hasSize(1);
    return rows.getFirst();
  }
}
