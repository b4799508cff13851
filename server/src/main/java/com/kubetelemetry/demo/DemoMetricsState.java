/** Cumulative metric state of every demo pod, and the OTLP metrics one tick reports from it. */
package com.kubetelemetry.demo;

import static com.kubetelemetry.demo.OtlpAttributes.num;
import static com.kubetelemetry.demo.OtlpAttributes.str;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Keeps, per pod, the cumulative request counters and latency histograms since the container last started; a
 * restart clears them and moves their start time, which readers see as a counter reset. Also derives gauges (pod
 * CPU and memory, node CPU utilisation), a delta sum of orders and a database summary for each tick.
 */
final class DemoMetricsState {
  /** Bucket bounds of {@code http.server.request.duration}, in seconds (the semantic-convention advice). */
  static final List<Double> DURATION_BOUNDS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private static final int EXP_SCALE = 3;
  private static final int EXP_MIN_INDEX = -170;
  private static final int EXP_MAX_INDEX = 90;
  private static final double NODE_CORES = 4;

  private final DemoCluster cluster;
  private final Random random;
  private final Map<DemoPod, PodState> pods = new LinkedHashMap<>();

  DemoMetricsState(DemoCluster cluster, Random random, long startNanos) {
    this.cluster = cluster;
    this.random = random;
    for (DemoPod pod : cluster.pods()) {
      pods.put(pod, new PodState(startNanos));
    }
  }

  private record RequestKey(String method, String route, int status) {}

  private static final class Histo {
    final long[] buckets = new long[DURATION_BOUNDS.size() + 1];
    long count;
    double sum;
    double min = Double.MAX_VALUE;
    double max;

    void record(double value) {
      int i = 0;
      while (i < DURATION_BOUNDS.size() && value > DURATION_BOUNDS.get(i)) {
        i++;
      }
      buckets[i]++;
      count++;
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }

  private static final class ExpHisto {
    final long[] counts = new long[EXP_MAX_INDEX - EXP_MIN_INDEX + 1];
    long count;
    double sum;
    double min = Double.MAX_VALUE;
    double max;

    void record(double value) {
      int index = (int) Math.ceil(Math.log(value) / Math.log(2) * (1 << EXP_SCALE)) - 1;
      index = Math.clamp(index, EXP_MIN_INDEX, EXP_MAX_INDEX);
      counts[index - EXP_MIN_INDEX]++;
      count++;
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }

  private static final class PodState {
    long startNanos;
    long restarts;
    final Map<RequestKey, Long> requestCounts = new LinkedHashMap<>();
    final Map<RequestKey, Histo> durations = new LinkedHashMap<>();
    final Map<String, ExpHisto> queryDurations = new LinkedHashMap<>();
    long servedQueries;
    double servedQuerySeconds;

    PodState(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  /** The container of {@code pod} restarted at {@code atNanos}: its cumulative series start again from zero. */
  void restart(DemoPod pod, long atNanos) {
    PodState previous = pods.get(pod);
    PodState fresh = new PodState(atNanos);
    fresh.restarts = previous.restarts + 1;
    pods.put(pod, fresh);
  }

  /** Folds the tick's observations in and reports every series as of {@code toNanos}. */
  ExportMetricsServiceRequest report(DemoTickOutput tick, long fromNanos, long toNanos) {
    Map<DemoPod, Integer> requestsPerPod = new LinkedHashMap<>();
    for (DemoTickOutput.Request request : tick.requests) {
      PodState state = pods.get(request.pod());
      RequestKey key = new RequestKey(request.method(), request.route(), request.status());
      state.requestCounts.merge(key, 1L, Long::sum);
      state.durations.computeIfAbsent(key, k -> new Histo()).record(request.seconds());
      requestsPerPod.merge(request.pod(), 1, Integer::sum);
    }
    Map<DemoPod, List<Double>> windowQueries = new LinkedHashMap<>();
    for (DemoTickOutput.Query query : tick.queries) {
      pods.get(query.caller()).queryDurations.computeIfAbsent(query.operation(), k -> new ExpHisto())
          .record(query.seconds());
      PodState db = pods.get(query.database());
      db.servedQueries++;
      db.servedQuerySeconds += query.seconds();
      windowQueries.computeIfAbsent(query.database(), k -> new ArrayList<>()).add(query.seconds());
      requestsPerPod.merge(query.database(), 1, Integer::sum);
    }
    double windowSeconds = Math.max(1e-3, (toNanos - fromNanos) / 1e9);
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    Map<String, Double> cpuPerNode = new LinkedHashMap<>();
    for (Map.Entry<DemoPod, PodState> entry : pods.entrySet()) {
      DemoPod pod = entry.getKey();
      PodState state = entry.getValue();
      DemoService service = cluster.service(pod.service());
      ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(DemoTickOutput.scope(pod));
      if (!state.requestCounts.isEmpty()) {
        scope.addMetrics(requestCount(state, toNanos)).addMetrics(requestDuration(state, toNanos));
      }
      if (!state.queryDurations.isEmpty()) {
        scope.addMetrics(queryDuration(state, toNanos));
      }
      if (publishesMessages(service)) {
        scope.addMetrics(ordersPlaced(tick.ordersPlaced.getOrDefault(pod, 0L), fromNanos, toNanos));
      }
      if (service.isDatabase()) {
        scope.addMetrics(querySummary(state, windowQueries.getOrDefault(pod, List.of()), toNanos));
      }
      double rate = requestsPerPod.getOrDefault(pod, 0) / windowSeconds;
      double cpu = 0.02 + rate * (service.isDatabase() ? 0.002 : 0.006) + random.nextDouble() * 0.01;
      cpuPerNode.merge(pod.nodeName(), cpu, Double::sum);
      double uptime = Math.max(0, (toNanos - state.startNanos) / 1e9);
      double baseBytes = service.isDatabase() ? 640 * 1024 * 1024 : 220 * 1024 * 1024;
      double leak = pod.service().equals("payment") ? 48 * 1024 : 1024;
      long memory = (long) (baseBytes + Math.min(uptime, 86_400) * leak + random.nextDouble() * 4 * 1024 * 1024);
      scope.addMetrics(gauge("k8s.pod.cpu.usage", "{cpu}", "Total CPU usage of the pod, in cores",
          NumberDataPoint.newBuilder().setTimeUnixNano(toNanos).setAsDouble(round(cpu, 5)).build()));
      scope.addMetrics(gauge("k8s.pod.memory.working_set", "By", "Working set memory of the pod",
          NumberDataPoint.newBuilder().setTimeUnixNano(toNanos).setAsInt(memory).build()));
      scope.addMetrics(gauge("k8s.container.restarts", "{restart}", "Restarts of the pod's container",
          NumberDataPoint.newBuilder().setTimeUnixNano(toNanos).setAsInt(state.restarts).build()));
      request.addResourceMetrics(ResourceMetrics.newBuilder().setResource(pod.resource()).addScopeMetrics(scope));
    }
    for (String node : cluster.nodes()) {
      double busy = Math.min(1, 0.04 + cpuPerNode.getOrDefault(node, 0.0) / NODE_CORES);
      Metric.Builder utilization = Metric.newBuilder().setName("system.cpu.utilization").setUnit("1")
          .setDescription("Fraction of CPU time spent in each mode, averaged over the node's cores");
      Gauge.Builder points = Gauge.newBuilder();
      points.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(toNanos)
          .setAsDouble(round(busy * 0.75, 5)).addAttributes(str("cpu.mode", "user")));
      points.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(toNanos)
          .setAsDouble(round(busy * 0.25, 5)).addAttributes(str("cpu.mode", "system")));
      points.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(toNanos)
          .setAsDouble(round(1 - busy, 5)).addAttributes(str("cpu.mode", "idle")));
      request.addResourceMetrics(ResourceMetrics.newBuilder().setResource(cluster.nodeResource(node))
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                  .setName("hostmetrics").setVersion(DemoTickOutput.SCOPE_VERSION))
              .addMetrics(utilization.setGauge(points))));
    }
    return request.build();
  }

  /** Services that publish messages (the shop's checkout publishing orders) report orders placed. */
  private static boolean publishesMessages(DemoService service) {
    return service.endpoints().stream()
        .flatMap(e -> e.calls().stream())
        .anyMatch(c -> c.protocol() == DemoCall.Protocol.MESSAGING);
  }

  private static Metric requestCount(PodState state, long toNanos) {
    Sum.Builder sum = Sum.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setIsMonotonic(true);
    state.requestCounts.forEach((key, count) -> sum.addDataPoints(NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(state.startNanos).setTimeUnixNano(toNanos).setAsInt(count)
        .addAllAttributes(requestAttributes(key))));
    return Metric.newBuilder().setName("http.server.request.count").setUnit("{request}")
        .setDescription("Requests served since the container started").setSum(sum).build();
  }

  private static Metric requestDuration(PodState state, long toNanos) {
    Histogram.Builder histogram = Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    state.durations.forEach((key, h) -> {
      HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder()
          .setStartTimeUnixNano(state.startNanos).setTimeUnixNano(toNanos)
          .setCount(h.count).setSum(h.sum).setMin(h.min).setMax(h.max)
          .addAllExplicitBounds(DURATION_BOUNDS)
          .addAllAttributes(requestAttributes(key));
      for (long bucket : h.buckets) {
        point.addBucketCounts(bucket);
      }
      histogram.addDataPoints(point);
    });
    return Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
        .setDescription("Duration of HTTP server requests").setHistogram(histogram).build();
  }

  private static Metric queryDuration(PodState state, long toNanos) {
    ExponentialHistogram.Builder histogram = ExponentialHistogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    state.queryDurations.forEach((operation, h) -> {
      int first = 0;
      while (h.counts[first] == 0) {
        first++;
      }
      int last = h.counts.length - 1;
      while (h.counts[last] == 0) {
        last--;
      }
      ExponentialHistogramDataPoint.Buckets.Builder positive = ExponentialHistogramDataPoint.Buckets.newBuilder()
          .setOffset(first + EXP_MIN_INDEX);
      for (long c : Arrays.copyOfRange(h.counts, first, last + 1)) {
        positive.addBucketCounts(c);
      }
      histogram.addDataPoints(ExponentialHistogramDataPoint.newBuilder()
          .setStartTimeUnixNano(state.startNanos).setTimeUnixNano(toNanos)
          .setCount(h.count).setSum(h.sum).setMin(h.min).setMax(h.max)
          .setScale(EXP_SCALE).setZeroCount(0).setPositive(positive)
          .addAttributes(str("db.system.name", "postgresql"))
          .addAttributes(str("db.operation.name", operation)));
    });
    return Metric.newBuilder().setName("db.client.operation.duration").setUnit("s")
        .setDescription("Duration of database client operations").setExponentialHistogram(histogram).build();
  }

  private static Metric ordersPlaced(long orders, long fromNanos, long toNanos) {
    return Metric.newBuilder().setName("shop.orders.placed").setUnit("{order}")
        .setDescription("Orders placed during the reporting interval")
        .setSum(Sum.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .setIsMonotonic(true)
            .addDataPoints(NumberDataPoint.newBuilder()
                .setStartTimeUnixNano(fromNanos).setTimeUnixNano(toNanos).setAsInt(orders)))
        .build();
  }

  private static Metric querySummary(PodState state, List<Double> window, long toNanos) {
    double[] sorted = window.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    SummaryDataPoint.Builder point = SummaryDataPoint.newBuilder()
        .setStartTimeUnixNano(state.startNanos).setTimeUnixNano(toNanos)
        .setCount(state.servedQueries).setSum(state.servedQuerySeconds);
    for (double q : new double[] {0.0, 0.5, 0.9, 0.99, 1.0}) {
      double value = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
      point.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(value));
    }
    return Metric.newBuilder().setName("db.server.query.duration").setUnit("s")
        .setDescription("Query execution time on the database server (quantiles over the last interval)")
        .setSummary(Summary.newBuilder().addDataPoints(point)).build();
  }

  private static Metric gauge(String name, String unit, String description, NumberDataPoint point) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(description)
        .setGauge(Gauge.newBuilder().addDataPoints(point)).build();
  }

  private static List<io.opentelemetry.proto.common.v1.KeyValue> requestAttributes(RequestKey key) {
    return List.of(
        str("http.request.method", key.method()),
        str("http.route", key.route()),
        num("http.response.status_code", key.status()));
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
