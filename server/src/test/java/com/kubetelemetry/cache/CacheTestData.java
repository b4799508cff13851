/** Known metrics for the cache tests: a gauge, a counter with resets and a delta sum, per tenant, sent over OTLP. */
package com.kubetelemetry.cache;

import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.auth.TenantResolver;
import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.google.protobuf.Timestamp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc.MetricsServiceBlockingStub;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Points every 30 s for two hours ending at {@link #END} (a whole hour at least an hour ago). Pod "late" starts
 * half-way and pod "gone" stops half-way, so series come and go between time buckets.
 */
final class CacheTestData {
  static final Instant END = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), 3600) * 3600
      - 3600);
  static final Instant START = END.minusSeconds(7200);
  static final List<String> PODS = List.of("a", "b", "c", "d", "late", "gone");
  static final List<String> METRICS = List.of("cpu.usage", "http.requests", "bytes.sent");

  private CacheTestData() {}

  /** Sends the metrics of {@code tenant}; {@code seed} makes tenants' values differ. */
  static void send(String uri, String tenant, long seed) {
    var stub = GrpcClients.newClient(uri, MetricsServiceBlockingStub.class);
    Random random = new Random(seed);
    for (String pod : PODS) {
      Gauge.Builder gauge = Gauge.newBuilder();
      Sum.Builder counter = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      Sum.Builder delta = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      double total = 0;
      int reset = 40 + random.nextInt(160);
      for (int i = 0; i < 240; i++) {
        if ((pod.equals("late") && i < 120) || (pod.equals("gone") && i >= 120)) {
          continue;
        }
        long nanos = START.plusSeconds(30L * i).getEpochSecond() * 1_000_000_000L;
        KeyValue attr = text("pod", pod);
        gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos)
            .setAsDouble(random.nextDouble() * 100).addAttributes(attr));
        total = i == reset ? random.nextInt(5) : total + random.nextInt(50);
        counter.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(START.getEpochSecond() * 1_000_000_000L)
            .setTimeUnixNano(nanos).setAsDouble(total).addAttributes(attr));
        delta.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos)
            .setAsDouble(1 + random.nextInt(1000) / 7.0).addAttributes(attr));
      }
      stub.export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "shop"))
              .addAttributes(text("tenant.id", tenant)))
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .addMetrics(Metric.newBuilder().setName("cpu.usage").setUnit("%").setGauge(gauge))
              .addMetrics(Metric.newBuilder().setName("http.requests").setUnit("{request}").setSum(counter))
              .addMetrics(Metric.newBuilder().setName("bytes.sent").setUnit("By").setSum(delta)))).build());
    }
  }

  static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static AbsoluteTimeRange absolute(Instant from, Instant to) {
    return AbsoluteTimeRange.newBuilder().setStart(Timestamp.newBuilder().setSeconds(from.getEpochSecond()))
        .setEnd(Timestamp.newBuilder().setSeconds(to.getEpochSecond())).build();
  }

  /** An answer and the x-cache header it came with. */
  record Served(QueryRangeResponse answer, String cache) {
    /** The answer without its stats (which differ between cached and uncached answers). */
    QueryRangeResponse withoutStats() {
      return answer.toBuilder().setInfo(answer.getInfo().toBuilder().setStats(QueryStats.getDefaultInstance()))
          .build();
    }

    /**
     * The answer without stats and with values rounded to 12 significant digits: the engine sums floats across
     * series in no fixed order, so even two uncached answers may differ in the last bits of aggregated values.
     */
    QueryRangeResponse comparable() {
      QueryRangeResponse.Builder b = withoutStats().toBuilder();
      for (var s : b.getSeriesBuilderList()) {
        for (int k = 0; k < s.getValuesCount(); k++) {
          double v = s.getValues(k);
          if (Double.isFinite(v) && v != 0) {
            s.setValues(k, new java.math.BigDecimal(v).round(new java.math.MathContext(12)).doubleValue());
          }
        }
      }
      return b.build();
    }
  }

  /** Calls QueryRange on {@code uri} for {@code tenant}; {@code noCache} sends {@code cache-control: no-cache}. */
  static Served queryRange(String uri, String tenant, boolean noCache, QueryRangeRequest request) {
    var builder = GrpcClients.builder(uri).addHeader(TenantResolver.TENANT_HEADER, tenant);
    if (noCache) {
      builder.addHeader(CacheHeaders.CACHE_CONTROL, "no-cache");
    }
    var stub = builder.build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
      QueryRangeResponse answer = stub.queryRange(request);
      ClientRequestContext ctx = captor.get();
      String header = ctx.log().whenComplete().join().responseHeaders().get(CacheSource.HEADER);
      return new Served(answer, header);
    }
  }
}
