/** Metric points a test sends over OTLP, remembered so the test can compute the catalog answers in Java. */
package com.kubetelemetry.metrics.catalog;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One point: {@code type} is the API MetricType number (1 gauge .. 5 summary); {@code temporality} the OTLP number
 * (0 for gauges and summaries). The resource always carries service.name and tenant.id.
 */
record SentMetrics(String tenant, String metric, int type, String unit, String description, int temporality,
    boolean monotonic, String service, Map<String, String> resource, String scopeName, Map<String, String> scope,
    Map<String, String> point, long timeNanos) {

  SentMetrics {
    TreeMap<String, String> r = new TreeMap<>(resource);
    r.put("service.name", service);
    r.put("tenant.id", tenant);
    resource = Map.copyOf(r);
    scope = Map.copyOf(scope);
    point = Map.copyOf(point);
  }

  /** The map of {@code source} ("resource", "scope" or "point"). */
  Map<String, String> attributes(String source) {
    return switch (source) {
      case "resource" -> resource;
      case "scope" -> scope;
      default -> point;
    };
  }

  /** What makes this point's series distinct. */
  List<Object> series() {
    return List.of(metric, service, new TreeMap<>(resource), scopeName, new TreeMap<>(scope), new TreeMap<>(point));
  }

  /** One export request carrying {@code points}, one resource per point. */
  static ExportMetricsServiceRequest export(List<SentMetrics> points) {
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    for (SentMetrics p : points) {
      out.addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(keyValues(p.resource())))
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(p.scopeName())
                  .addAllAttributes(keyValues(p.scope())))
              .addMetrics(p.toOtlp())));
    }
    return out.build();
  }

  private Metric toOtlp() {
    Metric.Builder m = Metric.newBuilder().setName(metric).setUnit(unit).setDescription(description);
    List<KeyValue> attrs = keyValues(point);
    long start = timeNanos - 10_000_000_000L;
    AggregationTemporality t = AggregationTemporality.forNumber(temporality);
    switch (type) {
      case 1 -> m.setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(attrs)
          .setTimeUnixNano(timeNanos).setAsDouble(1.5)));
      case 2 -> m.setSum(Sum.newBuilder().setAggregationTemporality(t).setIsMonotonic(monotonic)
          .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(attrs).setStartTimeUnixNano(start)
              .setTimeUnixNano(timeNanos).setAsInt(7)));
      case 3 -> m.setHistogram(Histogram.newBuilder().setAggregationTemporality(t)
          .addDataPoints(HistogramDataPoint.newBuilder().addAllAttributes(attrs).setStartTimeUnixNano(start)
              .setTimeUnixNano(timeNanos).setCount(3).setSum(6).addExplicitBounds(1).addBucketCounts(1)
              .addBucketCounts(2)));
      case 4 -> m.setExponentialHistogram(ExponentialHistogram.newBuilder().setAggregationTemporality(t)
          .addDataPoints(ExponentialHistogramDataPoint.newBuilder().addAllAttributes(attrs)
              .setStartTimeUnixNano(start).setTimeUnixNano(timeNanos).setCount(2).setSum(3).setScale(1)
              .setZeroCount(0)));
      case 5 -> m.setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().addAllAttributes(attrs)
          .setStartTimeUnixNano(start).setTimeUnixNano(timeNanos).setCount(4).setSum(8)
          .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2))));
      default -> throw new IllegalArgumentException("type " + type);
    }
    return m.build();
  }

  private static List<KeyValue> keyValues(Map<String, String> map) {
    return new TreeMap<>(map).entrySet().stream().map(e -> KeyValue.newBuilder().setKey(e.getKey())
        .setValue(AnyValue.newBuilder().setStringValue(e.getValue())).build()).toList();
  }

  boolean inRange(long startNanos, long endNanos) {
    return timeNanos >= startNanos && timeNanos < endNanos;
  }

  boolean of(String tenantName) {
    return Objects.equals(tenant, tenantName);
  }
}
