/** QueryRange and QueryInstant through the real server: metrics sent over OTLP, answers checked against Java. */
package com.kubetelemetry.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.AttributeRef;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.HistogramStatistic;
import com.kubetelemetry.api.v1.MetricQuery;
import com.kubetelemetry.api.v1.MetricType;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryInstantRequest;
import com.kubetelemetry.api.v1.QueryInstantResponse;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.SeriesAggregation;
import com.kubetelemetry.api.v1.SeriesLimit;
import com.kubetelemetry.api.v1.TemporalFunction;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.metrics.EvaluationGrid;
import com.kubetelemetry.query.metrics.ExpectedSeries;
import com.kubetelemetry.query.metrics.ExpectedSeries.TestPoint;
import com.kubetelemetry.query.metrics.ExpectedSeries.TestSeries;
import com.kubetelemetry.query.metrics.MetricQueryCompiler;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc.MetricsServiceBlockingStub;
import io.opentelemetry.proto.common.v1.AnyValue;
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
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueryRangeEndToEndTest {
  private static final Instant BASE = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), 3600)
      * 3600 - 3600);
  private static final int POINTS = 40;
  private static final double[] BOUNDS = {0.1, 0.5, 1, 5};
  private static final Map<String, List<TestSeries>> SENT = new LinkedHashMap<>();

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withQuery(
      new ServerConfig.QuerySection(Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(30), 1_000_000_000L,
          100_000L, 1000, 11000)));

  @BeforeAll
  static void sendMetrics() {
    var stub = GrpcClients.newClient(server.uri(), MetricsServiceBlockingStub.class);
    for (String pod : List.of("a", "b")) {
      List<TestPoint> gauge = new ArrayList<>();
      List<TestPoint> counter = new ArrayList<>();
      List<TestPoint> restarted = new ArrayList<>();
      List<TestPoint> delta = new ArrayList<>();
      List<TestPoint> latency = new ArrayList<>();
      List<TestPoint> size = new ArrayList<>();
      Metric.Builder g = Metric.newBuilder().setName("queue.length").setUnit("{item}");
      Gauge.Builder gp = Gauge.newBuilder();
      Sum.Builder cp = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      Sum.Builder rp = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      Sum.Builder dp = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      Histogram.Builder hp = Histogram.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      ExponentialHistogram.Builder ep = ExponentialHistogram.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      long[] buckets = new long[5];
      for (int i = 0; i < POINTS; i++) {
        Instant t = BASE.plusSeconds(i * 15L);
        long nanos = t.getEpochSecond() * 1_000_000_000L;
        KeyValue attr = text("pod", pod);
        double gv = pod.equals("a") ? i % 7 : 20 + (i % 3) * 0.5;
        gauge.add(TestPoint.number(t, gv));
        gp.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsDouble(gv).addAttributes(attr));
        long cv = pod.equals("a") ? (i < 25 ? 4L * i : i - 25) : 3L * i;
        counter.add(TestPoint.number(t, cv));
        cp.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(BASE.getEpochSecond() * 1_000_000_000L)
            .setTimeUnixNano(nanos).setAsInt(cv).addAttributes(attr));
        // The same counter, but its reset (inside a minute) comes with a new start time, as OpenTelemetry says.
        Instant start = pod.equals("a") && i >= 25 ? BASE.plusSeconds(25 * 15L - 1) : BASE;
        restarted.add(TestPoint.number(t, cv));
        rp.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(start.getEpochSecond() * 1_000_000_000L)
            .setTimeUnixNano(nanos).setAsInt(cv).addAttributes(attr));
        double dv = 1 + i % 4;
        delta.add(TestPoint.number(t, dv));
        dp.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsDouble(dv).addAttributes(attr));
        if (i == 20 && pod.equals("b")) {
          buckets = new long[5];
        }
        for (int b = 0; b < 5; b++) {
          buckets[b] += (i * 3L + b * 5L + pod.length()) % 4;
        }
        long count = Arrays.stream(buckets).sum();
        latency.add(TestPoint.histogram(t, count, count * 0.5, ExpectedSeries.explicit(BOUNDS, buckets.clone())));
        HistogramDataPoint.Builder h = HistogramDataPoint.newBuilder().setTimeUnixNano(nanos).setCount(count)
            .setSum(count * 0.5).addAttributes(attr);
        Arrays.stream(buckets).forEach(h::addBucketCounts);
        Arrays.stream(BOUNDS).forEach(h::addExplicitBounds);
        hp.addDataPoints(h);
        long[] positive = {i % 3, 1 + i % 2, 2, pod.equals("a") ? 4 : 1};
        long zero = i % 2;
        long total = zero + Arrays.stream(positive).sum();
        size.add(TestPoint.histogram(t, total, total * 2.0, ExpectedSeries.exponential(2, zero, -3, positive)));
        var e = ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-3);
        Arrays.stream(positive).forEach(e::addBucketCounts);
        ep.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos).setCount(total)
            .setSum(total * 2.0).setScale(2).setZeroCount(zero).setPositive(e).addAttributes(attr));
      }
      Map<String, String> labels = Map.of("pod", pod, "service.name", "shop");
      SENT.computeIfAbsent("queue.length", k -> new ArrayList<>()).add(new TestSeries(labels, gauge));
      SENT.computeIfAbsent("http.requests", k -> new ArrayList<>()).add(new TestSeries(labels, counter));
      SENT.computeIfAbsent("jobs.done", k -> new ArrayList<>()).add(new TestSeries(labels, restarted));
      SENT.computeIfAbsent("bytes.sent", k -> new ArrayList<>()).add(new TestSeries(labels, delta));
      SENT.computeIfAbsent("latency", k -> new ArrayList<>()).add(new TestSeries(labels, latency));
      SENT.computeIfAbsent("payload.size", k -> new ArrayList<>()).add(new TestSeries(labels, size));
      export(stub, "acme", List.of(g.setGauge(gp).build(),
          Metric.newBuilder().setName("http.requests").setUnit("{request}").setSum(cp).build(),
          Metric.newBuilder().setName("bytes.sent").setUnit("By").setSum(dp).build(),
          Metric.newBuilder().setName("jobs.done").setUnit("{job}").setSum(rp).build(),
          Metric.newBuilder().setName("latency").setUnit("s").setHistogram(hp).build(),
          Metric.newBuilder().setName("payload.size").setUnit("By").setExponentialHistogram(ep).build()));
    }
    Gauge.Builder other = Gauge.newBuilder();
    for (int i = 0; i < POINTS; i++) {
      other.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano((BASE.getEpochSecond() + i * 15L)
          * 1_000_000_000L).setAsDouble(500 + i).addAttributes(text("pod", "z")));
    }
    export(stub, "globex", List.of(Metric.newBuilder().setName("queue.length").setGauge(other).build()));
  }

  @Test
  void gaugeAveragesMatchJavaWithGapsAndComeFromTheRollup() {
    QueryRangeResponse r = range("acme", query("queue.length").setTemporalFunction(
        TemporalFunction.TEMPORAL_FUNCTION_AVG_OVER_TIME), 12, 60);
    var expected = ExpectedSeries.perSeries(SENT.get("queue.length"), grid(12, 60),
        w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).average().orElseThrow());
    assertSeries(r, expected, 12, 60);
    assertThat(r.getSeries(0).getGapsList()).contains(11);
    assertThat(r.getInfo().getRollupUsed()).isTrue();
    assertThat(r.getInfo().getRollupResolution().getSeconds()).isEqualTo(60);
    assertThat(r.getInfo().getMetricType()).isEqualTo(MetricType.METRIC_TYPE_GAUGE);
    assertThat(r.getInfo().getUnit()).isEqualTo("{item}");
    assertThat(r.getInfo().getStep().getSeconds()).isEqualTo(60);
    assertThat(r.getInfo().getTotalSeries()).isEqualTo(2);
    assertThat(r.getInfo().getTruncated()).isFalse();
  }

  @Test
  void counterRateIsTheDefaultAndHandlesResets() {
    QueryRangeResponse r = range("acme", query("http.requests"), 10, 60);
    Instant readStart = grid(10, 60).firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    List<TestSeries> deltas = SENT.get("http.requests").stream()
        .map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList();
    assertSeries(r, ExpectedSeries.perSeries(deltas, grid(10, 60), w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum() / 60), 10, 60);
    // Pod a's counter falls inside a minute without a new start time: the counter rollup's statement stops and the
    // call reads raw points instead.
    assertThat(r.getInfo().getRollupUsed()).isFalse();
    assertThat(r.getInfo().getUnit()).isEqualTo("{request}/s");
  }

  @Test
  void counterRateComesFromTheRollupWhenTheResetCarriesANewStartTime() {
    QueryRangeResponse r = range("acme", query("jobs.done"), 10, 60);
    Instant readStart = grid(10, 60).firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    List<TestSeries> deltas = SENT.get("jobs.done").stream()
        .map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList();
    assertSeries(r, ExpectedSeries.perSeries(deltas, grid(10, 60), w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum() / 60), 10, 60);
    assertThat(r.getInfo().getRollupUsed()).isTrue();
    assertThat(r.getInfo().getUnit()).isEqualTo("{job}/s");
  }

  @Test
  void deltaSumIncreaseSummedAcrossSeries() {
    QueryRangeResponse r = range("acme", query("bytes.sent").setTemporalFunction(
        TemporalFunction.TEMPORAL_FUNCTION_INCREASE).setAggregation(SeriesAggregation.SERIES_AGGREGATION_SUM), 10, 120);
    var per = ExpectedSeries.perSeries(SENT.get("bytes.sent"), grid(10, 120), w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum());
    assertSeries(r, ExpectedSeries.aggregate(per, l -> Map.of(), "sum", 10), 10, 120);
  }

  @Test
  void histogramQuantilesMatchJava() {
    for (String metric : List.of("latency", "payload.size")) {
      QueryRangeResponse r = range("acme", query(metric).setQuantile(0.9)
          .setAggregation(SeriesAggregation.SERIES_AGGREGATION_SUM)
          .addGroupBy(AttributeRef.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_ITEM).setKey("pod")), 10,
          60);
      Instant readStart = grid(10, 60).firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
      List<TestSeries> deltas = metric.equals("latency") ? SENT.get(metric).stream()
          .map(s -> ExpectedSeries.histogramDeltas(s, readStart)).toList() : SENT.get(metric);
      var expected = ExpectedSeries.perSeries(deltas, grid(10, 60), w -> w.isEmpty() ? null
          : ExpectedSeries.quantile(0.9, ExpectedSeries.merge(w).buckets()));
      Map<Map<String, String>, double[]> byPod = new LinkedHashMap<>();
      expected.forEach((labels, v) -> byPod.put(Map.of("pod", labels.get("pod")), v));
      assertSeries(r, byPod, 10, 60);
    }
  }

  @Test
  void instantQueryAnswersOneSamplePerSeries() {
    Instant at = BASE.plusSeconds(300);
    QueryInstantResponse r = stub("acme").queryInstant(QueryInstantRequest.newBuilder()
        .setQuery(query("queue.length").setTemporalFunction(TemporalFunction.TEMPORAL_FUNCTION_MAX_OVER_TIME))
        .setTime(ts(at)).build());
    EvaluationGrid grid = EvaluationGrid.instant(at, Duration.ofMinutes(5));
    var expected = ExpectedSeries.perSeries(SENT.get("queue.length"), grid,
        w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).max().orElseThrow());
    assertThat(r.getSamplesList()).hasSize(2).allSatisfy(s -> {
      assertThat(s.getValue()).isEqualTo(expected.get(s.getLabelsMap())[0]);
      assertThat(s.getTimestamp()).isEqualTo(ts(at));
    });
  }

  @Test
  void instantCounterRateLooksBackOverTheWindow() {
    Instant at = BASE.plusSeconds(480);
    QueryInstantResponse r = stub("acme").queryInstant(QueryInstantRequest.newBuilder()
        .setQuery(query("http.requests").setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(240)))
        .setTime(ts(at)).build());
    EvaluationGrid grid = EvaluationGrid.instant(at, Duration.ofMinutes(4));
    Instant readStart = grid.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    var expected = ExpectedSeries.perSeries(SENT.get("http.requests").stream()
        .map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList(), grid, w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum() / 240);
    assertThat(r.getSamplesList()).hasSize(2).allSatisfy(s -> assertThat(s.getValue())
        .isCloseTo(expected.get(s.getLabelsMap())[0], org.assertj.core.data.Offset.offset(1e-9)));
    assertThat(r.getInfo().getUnit()).isEqualTo("{request}/s");
  }

  @Test
  void withoutAStepTheServerPicksAboutThreeHundredPoints() {
    QueryRangeResponse r = stub("acme").queryRange(QueryRangeRequest.newBuilder().setQuery(query("queue.length"))
        .setTimeRange(TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder().setStart(ts(BASE))
            .setEnd(ts(BASE.plusSeconds(3600))))).build());
    assertThat(r.getInfo().getStep().getSeconds()).isEqualTo(12);
    assertThat(r.getSeriesList()).hasSize(2).allSatisfy(s -> assertThat(s.getValuesList()).hasSize(300));
    assertThat(r.getStepStartsUnixMsList()).hasSize(300);
  }

  @Test
  void tenantsSeeOnlyTheirOwnSeries() {
    QueryRangeResponse globex = range("globex", query("queue.length"), 10, 60);
    assertThat(globex.getSeriesList()).singleElement().satisfies(s ->
        assertThat(s.getLabelsMap()).containsEntry("pod", "z"));
    var noHeader = GrpcClients.newClient(server.uri(), MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    assertThat(noHeader.queryRange(QueryRangeRequest.newBuilder().setQuery(query("queue.length"))
        .setTimeRange(timeRange(10, 60)).build()).getSeriesList()).isEmpty();
  }

  @Test
  void theSeriesLimitKeepsTheTopSeriesAndSaysSo() {
    QueryRangeResponse r = range("acme", query("queue.length").setLimit(SeriesLimit.newBuilder().setMaxSeries(1)),
        10, 60);
    assertThat(r.getSeriesList()).singleElement().satisfies(s -> assertThat(s.getLabelsMap())
        .containsEntry("pod", "b"));
    assertThat(r.getInfo().getTruncated()).isTrue();
    assertThat(r.getInfo().getTotalSeries()).isEqualTo(2);
  }

  @Test
  void unknownMetricsAnswerNoSeries() {
    QueryRangeResponse r = range("acme", query("no.such.metric"), 10, 60);
    assertThat(r.getSeriesList()).isEmpty();
    assertThat(r.getInfo().getMetricType()).isEqualTo(MetricType.METRIC_TYPE_UNSPECIFIED);
  }

  @Test
  void badRequestsNameTheField() {
    assertStatus(query("queue.length").setTemporalFunction(TemporalFunction.TEMPORAL_FUNCTION_RATE), 10, 60,
        Status.Code.INVALID_ARGUMENT, "RATE");
    assertStatus(query("latency").setQuantile(1.5), 10, 60, Status.Code.INVALID_ARGUMENT, "query.quantile");
    assertStatus(query("latency"), 10, 60, Status.Code.INVALID_ARGUMENT, "query.histogram_statistic");
    assertStatus(query("queue.length").setHistogramStatistic(HistogramStatistic.HISTOGRAM_STATISTIC_MEAN), 10, 60,
        Status.Code.INVALID_ARGUMENT, "query.histogram_statistic");
    assertStatus(query(""), 10, 60, Status.Code.INVALID_ARGUMENT, "query.metric_name");
    assertStatus(query("queue.length").setLimit(SeriesLimit.newBuilder().setMaxSeries(5000)), 10, 60,
        Status.Code.RESOURCE_EXHAUSTED, "query.limit.max_series");
    assertStatus(query("queue.length"), 10_800, 1, Status.Code.RESOURCE_EXHAUSTED, "points");
    assertStatus(query("queue.length"), 12_000, 1, Status.Code.RESOURCE_EXHAUSTED, "use a step of at least");
    assertThatThrownBy(() -> stub("acme").queryRange(QueryRangeRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
            .contains("`query`"));
  }

  @Test
  void explainShowsTheLookupAndTheRollupStatement() {
    MetricsGrpcService service = new MetricsGrpcService(com.kubetelemetry.read.ReadContext.of(server.config(),
        server.backend().store(), java.time.Clock.systemUTC()));
    var plan = service.planQueryRange(new com.kubetelemetry.query.TenantId("acme"), QueryRangeRequest.newBuilder()
        .setQuery(query("queue.length")).setTimeRange(timeRange(10, 60)).build());
    assertThat(plan).hasSize(2);
    assertThat(plan.get(1).sql().text()).contains("otel_metrics_rollup_1m").doesNotContain("queue.length");
  }

  private static void assertStatus(MetricQuery.Builder q, int steps, int step, Status.Code code, String part) {
    assertThatThrownBy(() -> range("acme", q, steps, step)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(part).doesNotContain("SELECT");
        });
  }

  private static void assertSeries(QueryRangeResponse r, Map<Map<String, String>, double[]> expected, int steps,
      int step) {
    Map<Map<String, String>, double[]> got = new LinkedHashMap<>();
    assertThat(r.getStepStartsUnixMsList()).hasSize(steps);
    for (int k = 0; k < steps; k++) {
      assertThat(r.getStepStartsUnixMs(k)).isEqualTo(BASE.plusSeconds((long) k * step).toEpochMilli());
    }
    r.getSeriesList().forEach(s -> {
      assertThat(s.getValuesList()).hasSize(steps);
      assertThat(s.getGapsList()).isSorted().doesNotHaveDuplicates();
      double[] v = new double[steps];
      for (int k = 0; k < steps; k++) {
        v[k] = s.getValues(k);
      }
      for (int gap : s.getGapsList()) {
        assertThat(v[gap]).isZero();
        v[gap] = Double.NaN;
      }
      got.put(s.getLabelsMap(), v);
    });
    assertThat(got.keySet()).isEqualTo(expected.keySet());
    expected.forEach((labels, v) -> {
      for (int k = 0; k < v.length; k++) {
        if (Double.isNaN(v[k])) {
          assertThat(got.get(labels)[k]).as("%s %d", labels, k).isNaN();
        } else {
          assertThat(got.get(labels)[k]).as("%s %d", labels, k).isCloseTo(v[k],
              org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(v[k]))));
        }
      }
    });
  }

  private static QueryRangeResponse range(String tenant, MetricQuery.Builder q, int steps, int step) {
    return stub(tenant).queryRange(QueryRangeRequest.newBuilder().setQuery(q).setTimeRange(timeRange(steps, step))
        .build());
  }

  private static MetricsServiceGrpc.MetricsServiceBlockingStub stub(String tenant) {
    return GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
  }

  private static MetricQuery.Builder query(String name) {
    return MetricQuery.newBuilder().setMetricName(name);
  }

  private static TimeRange timeRange(int steps, int step) {
    return TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder().setStart(ts(BASE))
        .setEnd(ts(BASE.plusSeconds((long) steps * step)))).setStep(com.google.protobuf.Duration.newBuilder()
        .setSeconds(step)).build();
  }

  private static EvaluationGrid grid(int steps, int step) {
    return new EvaluationGrid(BASE, Duration.ofSeconds(step), steps, Duration.ofSeconds(step));
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static void export(MetricsServiceBlockingStub stub, String tenant, List<Metric> metrics) {
    stub.export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(text("service.name", "shop"))
            .addAttributes(text("tenant.id", tenant)))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics))).build());
  }
}
