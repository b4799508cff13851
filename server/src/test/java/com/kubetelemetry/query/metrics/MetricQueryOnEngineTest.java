/** Compiled metric queries on the real embedded engine, compared with answers computed in Java; rollup equals raw. */
package com.kubetelemetry.query.metrics;

import static com.kubetelemetry.query.metrics.ExpectedSeries.TestPoint;
import static com.kubetelemetry.query.metrics.ExpectedSeries.TestSeries;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricQuery.RankBy;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesLimit;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricQueryOnEngineTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final SchemaOptions SCHEMA = new SchemaOptions("metric_query", 0, 0, 0);
  private static final TenantId ACME = new TenantId("acme");
  private static final MetricShape GAUGE = new MetricShape(MetricKind.GAUGE, false, false, "By");
  private static final MetricShape COUNTER = new MetricShape(MetricKind.SUM, true, true, "1");
  private static final MetricShape DELTA = new MetricShape(MetricKind.SUM, false, true, "By");
  private static final MetricShape HISTOGRAM = new MetricShape(MetricKind.HISTOGRAM, true, false, "s");
  private static final MetricShape EXP = new MetricShape(MetricKind.EXP_HISTOGRAM, false, false, "By");
  private static final EvaluationGrid MINUTES = new EvaluationGrid(T0, Duration.ofMinutes(1), 8, Duration.ofMinutes(1));
  private static final double[] BOUNDS = {0.1, 0.5, 1, 5};
  private static final String ODD = "we'ird\\m\n\n{x:String}\0 日本 '; DROP TABLE x; --";
  private static final List<String> HOSTILE = List.of("'", "\"", "`", "\\", "\\'", "{p0:String}", "{x:UInt8}",
      "\0", "a\n\nb", "\r\n\r\n", "-- c", "/* x */", "SETTINGS readonly=0", "日本語", "😀", "\t", ODD);

  private final MetricQueryCompiler compiler = new MetricQueryCompiler(SCHEMA, QueryLimits.defaults());
  private final Map<String, List<TestSeries>> sent = new LinkedHashMap<>();
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    for (String pod : List.of("a", "b")) {
      Map<String, String> attrs = Map.of("pod", pod);
      String ns = pod.equals("a") ? "prod" : "dev";
      List<TestPoint> mem = new ArrayList<>();
      List<TestPoint> reqs = new ArrayList<>();
      List<TestPoint> bytes = new ArrayList<>();
      List<TestPoint> latency = new ArrayList<>();
      List<TestPoint> size = new ArrayList<>();
      long[] cumulative = new long[5];
      for (int i = -4; i < 30; i++) {
        Instant t = T0.plusSeconds(i * 15L);
        double g = pod.equals("a") ? Math.floorMod(i, 7) : 10 + Math.floorMod(i, 5) * 0.5;
        mem.add(TestPoint.number(t, g));
        insert("otel_metrics_gauge", "acme", "mem", ns, t, attrs, "Value", "Float64", g);
        double c = pod.equals("a") ? (i < 12 ? 3 * (i + 4) : i - 12) : (i < 20 ? 2 * (i + 4) : (i - 20) * 5);
        reqs.add(TestPoint.number(t, c));
        insert("otel_metrics_sum", "acme", "reqs", ns, t, attrs, "Value", "Float64", c, 2);
        double d = Math.floorMod(i, 4) + (pod.equals("a") ? 1 : 0.5);
        bytes.add(TestPoint.number(t, d));
        insert("otel_metrics_sum", "acme", "bytes", ns, t, attrs, "Value", "Float64", d, 1);
        if (i == 15 && pod.equals("a")) {
          cumulative = new long[5];
        }
        for (int b = 0; b < 5; b++) {
          cumulative[b] += Math.floorMod(i * 7L + b * 3L + (pod.equals("a") ? 1 : 2), 5);
        }
        long count = Arrays.stream(cumulative).sum();
        latency.add(TestPoint.histogram(t, count, count * 0.25, ExpectedSeries.explicit(BOUNDS, cumulative.clone())));
        insertHistogram(t, pod, ns, cumulative.clone(), count);
        long[] positive = {Math.floorMod(i, 3) + 1, Math.floorMod(i * 5, 4), 2, pod.equals("a") ? 1 : 3};
        long zero = Math.floorMod(i, 2);
        long total = zero + Arrays.stream(positive).sum();
        size.add(TestPoint.histogram(t, total, total * 3.0, ExpectedSeries.exponential(1, zero, 2, positive)));
        insertExp(t, pod, ns, zero, positive, total);
      }
      Map<String, String> labels = Map.of("pod", pod, "service.name", "svc");
      sent.computeIfAbsent("mem", k -> new ArrayList<>()).add(new TestSeries(labels, mem));
      sent.computeIfAbsent("reqs", k -> new ArrayList<>()).add(new TestSeries(labels, reqs));
      sent.computeIfAbsent("bytes", k -> new ArrayList<>()).add(new TestSeries(labels, bytes));
      sent.computeIfAbsent("latency", k -> new ArrayList<>()).add(new TestSeries(labels, latency));
      sent.computeIfAbsent("size", k -> new ArrayList<>()).add(new TestSeries(labels, size));
    }
    insert("otel_metrics_gauge", "acme", ODD, ODD, T0.plusSeconds(30), Map.of(ODD, ODD), "Value", "Float64", 42.0);
    for (int i = 0; i < 30; i++) {
      insert("otel_metrics_gauge", "other", "mem", "prod", T0.plusSeconds(i * 15L), Map.of("pod", "z"), "Value",
          "Float64", 1000.0 + i);
    }
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void gaugeFunctionsMatchJavaAndTheRollupMatchesRaw() {
    Map<TemporalFunction, Function<List<TestPoint>, Double>> functions = Map.of(
        TemporalFunction.AVG, w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).average().orElseThrow(),
        TemporalFunction.MIN, w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).min().orElseThrow(),
        TemporalFunction.MAX, w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).max().orElseThrow(),
        TemporalFunction.LAST, w -> w.isEmpty() ? null : w.getLast().value(),
        TemporalFunction.SUM, w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).sum(),
        TemporalFunction.COUNT, w -> w.isEmpty() ? null : (double) w.size());
    functions.forEach((f, java) -> {
      MetricQuery q = MetricQuery.of("mem").withFunction(f);
      var expected = ExpectedSeries.perSeries(sent.get("mem"), MINUTES, java);
      assertThat(exact(run(q, GAUGE, MINUTES, false), expected)).as("raw %s", f).isTrue();
      CompiledMetricQuery rollup = compiler.compile(ACME, q, GAUGE, MINUTES, true);
      assertThat(rollup.rollup()).isTrue();
      assertThat(exact(decode(rollup), expected)).as("rollup %s", f).isTrue();
    });
  }

  @Test
  void windowsLongerThanTheStepOverlap() {
    EvaluationGrid grid = new EvaluationGrid(T0, Duration.ofSeconds(30), 16, Duration.ofSeconds(90));
    var expected = ExpectedSeries.perSeries(sent.get("mem"), grid,
        w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).max().orElseThrow());
    assertThat(exact(run(MetricQuery.of("mem").withFunction(TemporalFunction.MAX), GAUGE, grid, true), expected))
        .isTrue();
  }

  @Test
  void counterIncreaseAndRateHandleResets() {
    Instant readStart = MINUTES.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    List<TestSeries> deltas = sent.get("reqs").stream().map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList();
    Function<List<TestPoint>, Double> sum = w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum();
    var increase = ExpectedSeries.perSeries(deltas, MINUTES, sum);
    assertThat(exact(run(MetricQuery.of("reqs").withFunction(TemporalFunction.INCREASE), COUNTER, MINUTES, true),
        increase)).isTrue();
    var rate = ExpectedSeries.perSeries(deltas, MINUTES, w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum() / 60);
    assertThat(close(run(MetricQuery.of("reqs"), COUNTER, MINUTES, false), rate)).isTrue();
    // These counters drop on a minute's first point (no new start time), between two rollup rows: the counter
    // rollup places that reset exactly.
    CompiledMetricQuery c = compiler.compile(ACME, MetricQuery.of("reqs"), COUNTER, MINUTES, true);
    assertThat(c.rollup()).isTrue();
    assertThat(close(decode(c), rate)).isTrue();
  }

  @Test
  void deltaSumsAreSummedAndTheRollupMatchesRaw() {
    for (TemporalFunction f : List.of(TemporalFunction.RATE, TemporalFunction.INCREASE, TemporalFunction.AVG)) {
      MetricQuery q = MetricQuery.of("bytes").withFunction(f);
      double div = f == TemporalFunction.RATE ? 60 : 1;
      var expected = ExpectedSeries.perSeries(sent.get("bytes"), MINUTES, w -> w.isEmpty() ? null
          : f == TemporalFunction.AVG ? w.stream().mapToDouble(TestPoint::value).average().orElseThrow()
          : w.stream().mapToDouble(TestPoint::value).sum() / div);
      var raw = run(q, DELTA, MINUTES, false);
      assertThat(close(raw, expected)).as("%s", f).isTrue();
      CompiledMetricQuery rollup = compiler.compile(ACME, q, DELTA, MINUTES, true);
      assertThat(rollup.rollup()).isTrue();
      assertThat(exact(decode(rollup), raw)).as("rollup %s", f).isTrue();
    }
  }

  @Test
  void aggregationGroupsByResourceAttributeAndRollupMatches() {
    for (SeriesAggregation a : SeriesAggregation.values()) {
      if (a == SeriesAggregation.NONE) {
        continue;
      }
      MetricQuery q = MetricQuery.of("mem").withFunction(TemporalFunction.AVG)
          .withAggregation(a, List.of(new AttributeRef(Target.ITEM, "pod")));
      var per = ExpectedSeries.perSeries(sent.get("mem"), MINUTES,
          w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).average().orElseThrow());
      var expected = ExpectedSeries.aggregate(per, l -> Map.of("pod", l.get("pod")), a.name().toLowerCase(), 8);
      assertThat(close(run(q, GAUGE, MINUTES, false), expected)).as("%s", a).isTrue();
      assertThat(exact(run(q, GAUGE, MINUTES, true), run(q, GAUGE, MINUTES, false))).isTrue();
      MetricQuery all = MetricQuery.of("mem").withFunction(TemporalFunction.LAST).withAggregation(a, List.of());
      var lasts = ExpectedSeries.perSeries(sent.get("mem"), MINUTES, w -> w.isEmpty() ? null : w.getLast().value());
      assertThat(close(run(all, GAUGE, MINUTES, true),
          ExpectedSeries.aggregate(lasts, l -> Map.of(), a.name().toLowerCase(), 8))).isTrue();
    }
  }

  @Test
  void resourceMatchersAndGroupKeysWorkOnRawAndRollup() {
    MetricQuery q = MetricQuery.of("mem").withFunction(TemporalFunction.MAX)
        .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "dev")))
        .withAggregation(SeriesAggregation.MAX, List.of(new AttributeRef(Target.RESOURCE, "k8s.namespace.name")));
    var per = ExpectedSeries.perSeries(sent.get("mem").subList(1, 2), MINUTES,
        w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).max().orElseThrow());
    var expected = ExpectedSeries.aggregate(per, l -> Map.of("k8s.namespace.name", "dev"), "max", 8);
    assertThat(exact(run(q, GAUGE, MINUTES, false), expected)).isTrue();
    assertThat(exact(run(q, GAUGE, MINUTES, true), expected)).isTrue();
  }

  @Test
  void histogramQuantilesCountsAndMeansMatchJava() {
    Instant readStart = MINUTES.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    List<TestSeries> deltas = sent.get("latency").stream()
        .map(s -> ExpectedSeries.histogramDeltas(s, readStart)).toList();
    for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.3}) {
      var expected = ExpectedSeries.perSeries(deltas, MINUTES, w -> w.isEmpty() ? null
          : ExpectedSeries.quantile(q, ExpectedSeries.merge(w).buckets()));
      MetricQuery query = MetricQuery.of("latency").withStatistic(HistogramStatistic.QUANTILE, q);
      assertThat(close(run(query, HISTOGRAM, MINUTES, true), expected)).as("q %s", q).isTrue();
    }
    var counts = ExpectedSeries.perSeries(deltas, MINUTES, w -> w.isEmpty() ? null
        : ExpectedSeries.merge(w).count() / 60);
    assertThat(close(run(MetricQuery.of("latency").withStatistic(HistogramStatistic.COUNT, null), HISTOGRAM,
        MINUTES, true), counts)).isTrue();
    var means = ExpectedSeries.perSeries(deltas, MINUTES, w -> w.isEmpty() ? null
        : ExpectedSeries.merge(w).sum() / ExpectedSeries.merge(w).count());
    assertThat(close(run(MetricQuery.of("latency").withStatistic(HistogramStatistic.MEAN, null), HISTOGRAM,
        MINUTES, true), means)).isTrue();
    Map<Map<String, String>, double[]> merged = new LinkedHashMap<>();
    merged.put(Map.of(), ExpectedSeries.perSeries(List.of(new TestSeries(Map.of(), deltas.stream()
        .flatMap(s -> s.points().stream()).toList())), MINUTES, w -> w.isEmpty() ? null
        : ExpectedSeries.quantile(0.9, ExpectedSeries.merge(w).buckets())).values().iterator().next());
    assertThat(close(run(MetricQuery.of("latency").withStatistic(HistogramStatistic.QUANTILE, 0.9)
        .withAggregation(SeriesAggregation.SUM, List.of()), HISTOGRAM, MINUTES, true), merged)).isTrue();
  }

  @Test
  void exponentialHistogramQuantilesMatchJava() {
    for (double q : new double[] {0.5, 0.99}) {
      var expected = ExpectedSeries.perSeries(sent.get("size"), MINUTES, w -> w.isEmpty() ? null
          : ExpectedSeries.quantile(q, ExpectedSeries.merge(w).buckets()));
      assertThat(close(run(MetricQuery.of("size").withStatistic(HistogramStatistic.QUANTILE, q), EXP, MINUTES,
          true), expected)).as("q %s", q).isTrue();
    }
  }

  @Test
  void theSeriesLimitKeepsTopOrBottomSeriesAndCountsAll() {
    MetricQuery top = MetricQuery.of("mem").withLimit(new SeriesLimit(1, RankBy.MAX, false));
    CompiledMetricQuery c = compiler.compile(ACME, top, GAUGE, MINUTES, true);
    String text = store.query(c.sql(), "JSONCompactEachRow").text();
    assertThat(decode(c).keySet()).containsExactly(Map.of("pod", "b", "service.name", "svc"));
    assertThat(text.strip().lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l).endsWith(", 2]"));
    MetricQuery bottom = MetricQuery.of("mem").withLimit(new SeriesLimit(1, RankBy.AVG, true));
    assertThat(decode(compiler.compile(ACME, bottom, GAUGE, MINUTES, true)).keySet())
        .containsExactly(Map.of("pod", "a", "service.name", "svc"));
  }

  @Test
  void tenantsSeeOnlyTheirOwnPoints() {
    var other = decode(compiler.compile(new TenantId("other"), MetricQuery.of("mem"), GAUGE, MINUTES, true));
    assertThat(other.keySet()).containsExactly(Map.of("pod", "z", "service.name", "svc"));
    assertThat(decode(compiler.compile(new TenantId("nobody"), MetricQuery.of("mem"), GAUGE, MINUTES, false)))
        .isEmpty();
  }

  @Test
  void theLookupFindsKindTemporalityAndUnit() {
    MetricLookupCompiler lookup = new MetricLookupCompiler(SCHEMA, QueryLimits.defaults());
    assertThat(store.query(lookup.compile(ACME, "reqs", T0, T0.plusSeconds(3600)), "TSV").text().strip())
        .isEqualTo("2\t2\t1\tu");
    assertThat(store.query(lookup.compile(ACME, "latency", T0, T0.plusSeconds(3600)), "TSV").text())
        .isEqualTo("3\t2\t0\t\n");
    assertThat(store.query(lookup.compile(ACME, "nothing", T0, T0.plusSeconds(3600)), "TSV").text()).isBlank();
    // Points of the hour, but none in the period asked (they end at T0 + 435 s).
    assertThat(store.query(lookup.compile(ACME, "reqs", T0.plusSeconds(450), T0.plusSeconds(3000)), "TSV").text())
        .isBlank();
    assertThat(store.query(lookup.compile(new TenantId("other"), "reqs", T0, T0.plusSeconds(3600)), "TSV").text())
        .isBlank();
  }

  @Test
  void hostileStringsAreDataOnTheEngine() {
    MetricQuery odd = MetricQuery.of(ODD)
        .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, ODD),
            AttributeMatcher.of(Target.ITEM, ODD, Op.IN, ODD, "'")))
        .withAggregation(SeriesAggregation.MAX, List.of(new AttributeRef(Target.ITEM, ODD)));
    for (boolean rollup : new boolean[] {false, true}) {
      var got = run(odd, GAUGE, MINUTES, rollup);
      assertThat(got.keySet()).containsExactly(Map.of(ODD, ODD));
      assertThat(got.get(Map.of(ODD, ODD))[0]).isEqualTo(42.0);
    }
    for (String hostile : HOSTILE) {
      MetricQuery q = MetricQuery.of(hostile)
          .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, hostile, Op.EQ, hostile),
              AttributeMatcher.of(Target.ITEM, "pod", Op.NOT_IN, hostile),
              AttributeMatcher.of(Target.ITEM, hostile, Op.NOT_REGEX, "x")))
          .withAggregation(SeriesAggregation.SUM, List.of(new AttributeRef(Target.RESOURCE, hostile)));
      assertThat(run(q, GAUGE, MINUTES, true)).isEmpty();
      assertThat(run(q.withFunction(TemporalFunction.INCREASE), COUNTER, MINUTES, true)).isEmpty();
      assertThat(decode(compiler.compile(new TenantId(hostile.isBlank() ? "t" : hostile), MetricQuery.of("mem"),
          GAUGE, MINUTES, false))).isEmpty();
    }
  }

  private Map<Map<String, String>, double[]> run(MetricQuery q, MetricShape shape, EvaluationGrid grid,
      boolean rollup) {
    return decode(compiler.compile(ACME, q, shape, grid, rollup));
  }

  private Map<Map<String, String>, double[]> decode(CompiledMetricQuery c) {
    return EngineSeries.decode(store, c);
  }

  private static boolean exact(Map<Map<String, String>, double[]> actual, Map<Map<String, String>, double[]> expected) {
    return EngineSeries.exact(actual, expected);
  }

  private static boolean close(Map<Map<String, String>, double[]> actual, Map<Map<String, String>, double[]> expected) {
    return EngineSeries.close(actual, expected);
  }

  private void insert(String table, String tenant, String name, String ns, Instant t, Map<String, String> attrs,
      String column, String type, Object value, int... temporality) {
    String extra = temporality.length == 0 ? "" : ", AggregationTemporality, IsMonotonic";
    String extraValues = temporality.length == 0 ? "" : ", " + temporality[0] + ", true";
    store.execute(List.of(new Sql("INSERT INTO " + SCHEMA.qualified(table)
        + " (TenantId, MetricName, ServiceName, MetricUnit, TimeUnix, ResourceAttributes, Attributes, " + column
        + extra + ") SELECT {tenant:String}, {name:String}, 'svc', 'u', {t:DateTime64(9)},"
        + " map('k8s.namespace.name', {ns:String}), {a:Map(String, String)}, {v:" + type + "}" + extraValues,
        List.of(new Param("tenant", "String", tenant), new Param("name", "String", name),
            new Param("t", "DateTime64(9)", t), new Param("ns", "String", ns),
            new Param("a", "Map(String, String)", attrs), new Param("v", type, value)), Map.of())));
  }

  private void insertHistogram(Instant t, String pod, String ns, long[] counts, long count) {
    store.execute(List.of(new Sql("INSERT INTO " + SCHEMA.qualified("otel_metrics_histogram")
        + " (TenantId, MetricName, ServiceName, TimeUnix, ResourceAttributes, Attributes, Count, Sum, BucketCounts,"
        + " ExplicitBounds, AggregationTemporality) SELECT 'acme', 'latency', 'svc', {t:DateTime64(9)},"
        + " map('k8s.namespace.name', {ns:String}), map('pod', {pod:String}), {c:UInt64}, {s:Float64},"
        + " {b:Array(UInt64)}, {e:Array(Float64)}, 2",
        List.of(new Param("t", "DateTime64(9)", t), new Param("ns", "String", ns), new Param("pod", "String", pod),
            new Param("c", "UInt64", count), new Param("s", "Float64", count * 0.25),
            new Param("b", "Array(UInt64)", Arrays.stream(counts).boxed().toList()),
            new Param("e", "Array(Float64)", Arrays.stream(BOUNDS).boxed().toList())), Map.of())));
  }

  private void insertExp(Instant t, String pod, String ns, long zero, long[] positive, long count) {
    store.execute(List.of(new Sql("INSERT INTO " + SCHEMA.qualified("otel_metrics_exp_histogram")
        + " (TenantId, MetricName, ServiceName, TimeUnix, ResourceAttributes, Attributes, Count, Sum, Scale,"
        + " ZeroCount, PositiveOffset, PositiveBucketCounts, AggregationTemporality) SELECT 'acme', 'size', 'svc',"
        + " {t:DateTime64(9)}, map('k8s.namespace.name', {ns:String}), map('pod', {pod:String}), {c:UInt64},"
        + " {s:Float64}, 1, {z:UInt64}, 2, {b:Array(UInt64)}, 1",
        List.of(new Param("t", "DateTime64(9)", t), new Param("ns", "String", ns), new Param("pod", "String", pod),
            new Param("c", "UInt64", count), new Param("s", "Float64", count * 3.0), new Param("z", "UInt64", zero),
            new Param("b", "Array(UInt64)", Arrays.stream(positive).boxed().toList())), Map.of())));
  }
}
