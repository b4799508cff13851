/** Builds the OTLP requests the ingest benchmark sends: realistic spans, mixed metric points and log records. */
package com.kubetelemetry.bench;

import com.kubetelemetry.demo.SpanBatchFactory;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Deterministic (seeded) request sets; timestamps start at {@code start} so retention never drops them. */
final class BenchData {
  static final int ITEMS_PER_REQUEST = 512;

  private final SplittableRandom random;
  private final Instant start;

  BenchData(long seed, Instant start) {
    this.random = new SplittableRandom(seed);
    this.start = start;
  }

  List<ExportTraceServiceRequest> spanRequests(int count) {
    SpanBatchFactory factory = new SpanBatchFactory(random.nextLong());
    List<ExportTraceServiceRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      requests.add(factory.create(ITEMS_PER_REQUEST, start.plusMillis(i * 50L)));
    }
    return requests;
  }

  /** Requests of 512 points: a third gauge, a third cumulative sum, a third 12-bucket histogram. */
  List<ExportMetricsServiceRequest> metricRequests(int count) {
    List<ExportMetricsServiceRequest> requests = new ArrayList<>(count);
    int perKind = ITEMS_PER_REQUEST / 3;
    for (int i = 0; i < count; i++) {
      long time = nanos(start.plusSeconds(i));
      Gauge.Builder gauge = Gauge.newBuilder();
      Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      Histogram.Builder histogram = Histogram.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      for (int p = 0; p < perKind; p++) {
        List<KeyValue> attributes = pointAttributes(p);
        gauge.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(attributes)
            .setTimeUnixNano(time).setAsDouble(random.nextDouble() * 100));
        sum.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(attributes)
            .setStartTimeUnixNano(nanos(start)).setTimeUnixNano(time).setAsInt(i * 1000L + p));
        histogram.addDataPoints(histogramPoint(attributes, time));
      }
      int rest = ITEMS_PER_REQUEST - 3 * perKind;
      for (int p = 0; p < rest; p++) {
        gauge.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(pointAttributes(perKind + p))
            .setTimeUnixNano(time).setAsDouble(random.nextDouble()));
      }
      requests.add(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(resource(i)).addScopeMetrics(ScopeMetrics.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName("bench").setVersion("1.0"))
              .addMetrics(Metric.newBuilder().setName("k8s.pod.cpu.usage").setUnit("{cpu}").setGauge(gauge))
              .addMetrics(Metric.newBuilder().setName("http.server.request.count").setUnit("{request}").setSum(sum))
              .addMetrics(Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
                  .setHistogram(histogram)))).build());
    }
    return requests;
  }

  /** Requests of 512 log records with a sentence-long body, five attributes and trace context. */
  List<ExportLogsServiceRequest> logRequests(int count) {
    String[] severities = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    int[] numbers = {5, 9, 9, 9, 13, 17};
    List<ExportLogsServiceRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("bench"));
      for (int r = 0; r < ITEMS_PER_REQUEST; r++) {
        int s = random.nextInt(severities.length);
        scope.addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(nanos(start.plusMillis(i * 1000L + r)))
            .setObservedTimeUnixNano(nanos(start.plusMillis(i * 1000L + r + 1)))
            .setSeverityText(severities[s]).setSeverityNumber(SeverityNumber.forNumber(numbers[s]))
            .setBody(string("order " + random.nextInt(1_000_000) + " processed for customer "
                + random.nextInt(50_000) + " in " + random.nextInt(900) + " ms via payment provider"))
            .addAttributes(kv("http.route", "/api/orders/{id}"))
            .addAttributes(kv("code.function", "OrderService.place"))
            .addAttributes(kv("user.id", "u-" + random.nextInt(50_000)))
            .addAttributes(kv("thread.name", "worker-" + random.nextInt(16)))
            .addAttributes(kv("order.items", Integer.toString(random.nextInt(12))))
            .setTraceId(randomBytes(16)).setSpanId(randomBytes(8)).setFlags(1));
      }
      requests.add(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
          .setResource(resource(i)).addScopeLogs(scope)).build());
    }
    return requests;
  }

  private HistogramDataPoint.Builder histogramPoint(List<KeyValue> attributes, long time) {
    HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder().addAllAttributes(attributes)
        .setStartTimeUnixNano(nanos(start)).setTimeUnixNano(time);
    long count = 0;
    double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    for (double bound : bounds) {
      point.addExplicitBounds(bound);
    }
    for (int b = 0; b <= bounds.length; b++) {
      long n = random.nextInt(100);
      point.addBucketCounts(n);
      count += n;
    }
    return point.setCount(count).setSum(count * 0.12).setMin(0.001).setMax(9.5);
  }

  private List<KeyValue> pointAttributes(int p) {
    return List.of(kv("http.route", "/api/route/" + (p % 20)), kv("http.response.status_code", p % 17 == 0 ? "500" : "200"),
        kv("k8s.pod.name", "pod-" + (p % 8)));
  }

  private Resource resource(int i) {
    return Resource.newBuilder().addAttributes(kv("service.name", "svc-" + (i % 6)))
        .addAttributes(kv("k8s.namespace.name", "shop")).addAttributes(kv("k8s.pod.name", "pod-" + (i % 8)))
        .addAttributes(kv("k8s.node.name", "node-" + (i % 3))).build();
  }

  private ByteString randomBytes(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) (1 + random.nextInt(255));
    }
    return ByteString.copyFrom(bytes);
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(string(value)).build();
  }

  private static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  private static long nanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }
}
