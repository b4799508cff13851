/** Tests the demo generator's metrics: every metric type, cumulative counters with resets, histogram shape. */
package com.kubetelemetry.demo;

import static com.kubetelemetry.demo.DemoTelemetryGeneratorTest.START;
import static com.kubetelemetry.demo.DemoTelemetryGeneratorTest.attributes;
import static com.kubetelemetry.demo.DemoTelemetryGeneratorTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoMetricsTest {
  /** A metric with the pod it came from. */
  record PodMetric(String pod, Metric metric) {}

  static List<PodMetric> metrics(DemoBatch batch) {
    List<PodMetric> metrics = new ArrayList<>();
    for (ResourceMetrics resource : batch.metrics().getResourceMetricsList()) {
      var attributes = attributes(resource.getResource().getAttributesList());
      String source = attributes.containsKey("k8s.pod.name")
          ? attributes.get("k8s.pod.name").getStringValue()
          : attributes.get("k8s.node.name").getStringValue();
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        scope.getMetricsList().forEach(m -> metrics.add(new PodMetric(source, m)));
      }
    }
    return metrics;
  }

  @Test
  void everyMetricTypeIsPresentWithTheExpectedShape() {
    DemoBatch batch = run(DemoTelemetryGenerator.seeded(2, START), 10).getLast();
    Map<String, Metric> byName = new HashMap<>();
    Set<Metric.DataCase> types = new HashSet<>();
    for (PodMetric m : metrics(batch)) {
      byName.putIfAbsent(m.metric().getName(), m.metric());
      types.add(m.metric().getDataCase());
    }
    assertThat(types).containsExactlyInAnyOrder(Metric.DataCase.SUM, Metric.DataCase.GAUGE,
        Metric.DataCase.HISTOGRAM, Metric.DataCase.EXPONENTIAL_HISTOGRAM, Metric.DataCase.SUMMARY);

    Metric count = byName.get("http.server.request.count");
    assertThat(count.getSum().getIsMonotonic()).isTrue();
    assertThat(count.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(attributes(count.getSum().getDataPoints(0).getAttributesList()))
        .containsKeys("http.request.method", "http.route", "http.response.status_code");
    Metric orders = byName.get("shop.orders.placed");
    assertThat(orders.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    assertThat(byName.get("http.server.request.duration").getUnit()).isEqualTo("s");
    assertThat(byName.get("http.server.request.duration").getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (String gauge : List.of("k8s.pod.cpu.usage", "k8s.pod.memory.working_set", "system.cpu.utilization")) {
      assertThat(byName.get(gauge).getDataCase()).as(gauge).isEqualTo(Metric.DataCase.GAUGE);
    }
    assertThat(byName.get("db.client.operation.duration").getDataCase())
        .isEqualTo(Metric.DataCase.EXPONENTIAL_HISTOGRAM);
    SummaryDataPoint summary = byName.get("db.server.query.duration").getSummary().getDataPoints(0);
    assertThat(summary.getCount()).isPositive();
    assertThat(summary.getQuantileValuesList()).extracting(SummaryDataPoint.ValueAtQuantile::getQuantile)
        .containsExactly(0.0, 0.5, 0.9, 0.99, 1.0);
    for (PodMetric m : metrics(batch)) {
      if (m.metric().getName().equals("system.cpu.utilization")) {
        m.metric().getGauge().getDataPointsList()
            .forEach(p -> assertThat(p.getAsDouble()).isBetween(0.0, 1.0));
      }
    }
  }

  @Test
  void cumulativeSeriesOnlyDecreaseAtAPodRestart() {
    DemoSettings frequentRestarts = new DemoSettings(20, Duration.ofSeconds(20), Duration.ofMinutes(1));
    DemoTelemetryGenerator generator = DemoTelemetryGenerator.create(DemoCluster.shop(), frequentRestarts, 9, START);
    Map<String, long[]> lastCount = new HashMap<>();
    Map<String, long[]> lastHistogram = new HashMap<>();
    int resets = 0;
    int restartGaugeIncreases = 0;
    Map<String, Long> lastRestarts = new HashMap<>();
    for (DemoBatch batch : run(generator, 200)) {
      for (PodMetric m : metrics(batch)) {
        switch (m.metric().getName()) {
          case "http.server.request.count" -> {
            for (NumberDataPoint p : m.metric().getSum().getDataPointsList()) {
              long[] previous = lastCount.put(m.pod() + p.getAttributesList(),
                  new long[] {p.getStartTimeUnixNano(), p.getAsInt()});
              if (previous != null) {
                if (p.getStartTimeUnixNano() == previous[0]) {
                  assertThat(p.getAsInt()).isGreaterThanOrEqualTo(previous[1]);
                } else {
                  assertThat(p.getStartTimeUnixNano()).isGreaterThan(previous[0]);
                  resets++;
                }
              }
              assertThat(p.getTimeUnixNano()).isGreaterThan(p.getStartTimeUnixNano());
            }
          }
          case "http.server.request.duration" -> {
            for (HistogramDataPoint p : m.metric().getHistogram().getDataPointsList()) {
              assertThat(p.getBucketCountsCount()).isEqualTo(p.getExplicitBoundsCount() + 1);
              assertThat(p.getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(p.getCount());
              assertThat(p.getMin()).isLessThanOrEqualTo(p.getMax());
              assertThat(p.getSum()).isBetween(p.getMin() * p.getCount(), p.getMax() * p.getCount() + 1e-9);
              long[] previous = lastHistogram.put(m.pod() + p.getAttributesList(),
                  new long[] {p.getStartTimeUnixNano(), p.getCount()});
              if (previous != null && previous[0] == p.getStartTimeUnixNano()) {
                assertThat(p.getCount()).isGreaterThanOrEqualTo(previous[1]);
              }
            }
          }
          case "db.client.operation.duration" -> {
            for (ExponentialHistogramDataPoint p : m.metric().getExponentialHistogram().getDataPointsList()) {
              long buckets = p.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum();
              assertThat(buckets + p.getZeroCount()).isEqualTo(p.getCount());
              assertThat(p.getPositive().getBucketCounts(0)).isPositive();
              double lowerBound = Math.pow(2, p.getPositive().getOffset() / Math.pow(2, p.getScale()));
              assertThat(p.getMin()).isGreaterThan(lowerBound);
            }
          }
          case "k8s.container.restarts" -> {
            long restarts = m.metric().getGauge().getDataPoints(0).getAsInt();
            Long previous = lastRestarts.put(m.pod(), restarts);
            if (previous != null && restarts > previous) {
              restartGaugeIncreases++;
            }
          }
          default -> { }
        }
      }
    }
    assertThat(lastCount).isNotEmpty();
    assertThat(resets).isPositive();
    assertThat(restartGaugeIncreases).isPositive();
  }
}
