/** Rates and increases of cumulative counters read from the counter rollup equal those from raw points. */
package com.kubetelemetry.query.metrics;

import static com.kubetelemetry.query.metrics.ExpectedSeries.TestPoint;
import static com.kubetelemetry.query.metrics.ExpectedSeries.TestSeries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.StoreException;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Points every 7 s (several per minute, never on a fixed offset), written in batches of 1 to 6 points with each
 * batch shuffled, so the rollup's rows are merged from many partial states. "restarts" resets inside minutes with
 * a new start time, as OpenTelemetry says a reset must; "drops" falls inside a minute with the same start time,
 * which only raw points can place.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CounterRollupOnEngineTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final SchemaOptions SCHEMA = new SchemaOptions("counter_rollup", 0, 0, 0);
  private static final TenantId ACME = new TenantId("acme");
  private static final MetricShape COUNTER = new MetricShape(MetricKind.SUM, true, true, "1");
  private static final List<String> PODS = List.of("a", "b", "c");

  private final MetricQueryCompiler compiler = new MetricQueryCompiler(SCHEMA, QueryLimits.defaults());
  private final Map<String, List<TestSeries>> sent = new java.util.LinkedHashMap<>();
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    Random random = new Random(42);
    for (String metric : List.of("restarts", "drops")) {
      for (String pod : PODS) {
        sent.computeIfAbsent(metric, k -> new ArrayList<>()).add(write(metric, pod, random));
      }
    }
    // Another tenant's counter of the same name, which no answer may include.
    insert("other", "restarts", "a", List.of(T0.plusSeconds(30)), List.of(T0), List.of(1e9));
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void ratesAndIncreasesFromTheRollupEqualRawPointsAcrossResetsWithANewStartTime() {
    List<EvaluationGrid> grids = List.of(
        new EvaluationGrid(T0, Duration.ofMinutes(1), 20, Duration.ofMinutes(1)),
        new EvaluationGrid(T0, Duration.ofMinutes(2), 10, Duration.ofMinutes(5)),
        new EvaluationGrid(T0.minusSeconds(300), Duration.ofMinutes(5), 5, Duration.ofMinutes(5)));
    for (EvaluationGrid grid : grids) {
      Instant readStart = grid.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
      List<TestSeries> deltas = sent.get("restarts").stream()
          .map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList();
      for (TemporalFunction f : List.of(TemporalFunction.RATE, TemporalFunction.INCREASE)) {
        double per = f == TemporalFunction.RATE ? ExpectedSeries.seconds(grid.window()) : 1;
        Function<List<TestPoint>, Double> sum = w -> w.isEmpty() ? null
            : w.stream().mapToDouble(TestPoint::value).sum() / per;
        var expected = ExpectedSeries.perSeries(deltas, grid, sum);
        MetricQuery q = MetricQuery.of("restarts").withFunction(f);
        CompiledMetricQuery rollup = compiler.compile(ACME, q, COUNTER, grid, true);
        assertThat(rollup.rollup()).isTrue();
        assertThat(rollup.sql().text()).contains("otel_metrics_counter_1m").doesNotContain("otel_metrics_sum");
        assertThat(EngineSeries.close(decode(compiler.compile(ACME, q, COUNTER, grid, false)), expected))
            .as("raw %s %s", f, grid).isTrue();
        assertThat(EngineSeries.close(decode(rollup), expected)).as("rollup %s %s", f, grid).isTrue();
      }
    }
  }

  @Test
  void groupsAndMatchersGiveTheSameAnswerFromTheRollup() {
    EvaluationGrid grid = new EvaluationGrid(T0, Duration.ofMinutes(1), 20, Duration.ofMinutes(3));
    MetricQuery summed = MetricQuery.of("restarts").withAggregation(SeriesAggregation.SUM,
        List.of(new AttributeRef(AttributeMatcher.Target.RESOURCE, "k8s.namespace.name")));
    MetricQuery matched = MetricQuery.of("restarts").withMatchers(List.of(AttributeMatcher.of(
        AttributeMatcher.Target.ITEM, "pod", AttributeMatcher.Op.IN, "a", "c")));
    for (MetricQuery q : List.of(summed, matched)) {
      CompiledMetricQuery rollup = compiler.compile(ACME, q, COUNTER, grid, true);
      assertThat(rollup.rollup()).isTrue();
      var raw = decode(compiler.compile(ACME, q, COUNTER, grid, false));
      assertThat(raw).isNotEmpty();
      assertThat(EngineSeries.close(decode(rollup), raw)).isTrue();
    }
  }

  @Test
  void aFallInsideAMinuteWithTheSameStartTimeStopsTheRollupStatement() {
    EvaluationGrid grid = new EvaluationGrid(T0, Duration.ofMinutes(1), 20, Duration.ofMinutes(1));
    MetricQuery q = MetricQuery.of("drops");
    CompiledMetricQuery rollup = compiler.compile(ACME, q, COUNTER, grid, true);
    assertThat(rollup.rollup()).isTrue();
    assertThatThrownBy(() -> decode(rollup)).isInstanceOf(StoreException.class)
        .hasMessageContaining(MetricQueryCompiler.COUNTER_FALL);
    Instant readStart = grid.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    var expected = ExpectedSeries.perSeries(sent.get("drops").stream()
        .map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList(), grid,
        w -> w.isEmpty() ? null : w.stream().mapToDouble(TestPoint::value).sum() / 60);
    assertThat(EngineSeries.close(decode(compiler.compile(ACME, q, COUNTER, grid, false)), expected)).isTrue();
  }

  @Test
  void tenantsSeeOnlyTheirOwnRollupRows() {
    EvaluationGrid grid = new EvaluationGrid(T0, Duration.ofMinutes(1), 2, Duration.ofMinutes(1));
    MetricQuery q = MetricQuery.of("restarts").withFunction(TemporalFunction.INCREASE);
    assertThat(decode(compiler.compile(new TenantId("other"), q, COUNTER, grid, true))).isEmpty();
    var acme = decode(compiler.compile(ACME, q, COUNTER, grid, true));
    assertThat(EngineSeries.close(acme, decode(compiler.compile(ACME, q, COUNTER, grid, false)))).isTrue();
    assertThat(acme.values()).allSatisfy(v -> assertThat(java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x))
        .max().orElse(0)).isLessThan(1e9));
  }

  /** One series from T0 - 10 min to T0 + 20 min, written in shuffled batches; returns what was sent. */
  private TestSeries write(String metric, String pod, Random random) {
    List<TestPoint> points = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Instant start = T0.minusSeconds(3600);
    double value = 100 * random.nextInt(50);
    for (Instant t = T0.minusSeconds(600 - random.nextInt(7)); t.isBefore(T0.plusSeconds(1200)); t = t.plusSeconds(7)) {
      boolean reset = random.nextInt(12) == 0 && t.getEpochSecond() % 60 >= 7;
      if (reset) {
        value = random.nextInt(20);
        if (metric.equals("restarts")) {
          start = t.minusMillis(500);
        }
      } else {
        value += random.nextInt(30) + random.nextDouble();
      }
      points.add(TestPoint.number(t, value));
      times.add(t);
      starts.add(start);
      values.add(value);
    }
    for (int from = 0; from < times.size(); ) {
      int to = Math.min(times.size(), from + 1 + random.nextInt(6));
      List<Integer> order = new ArrayList<>();
      for (int i = from; i < to; i++) {
        order.add(i);
      }
      java.util.Collections.shuffle(order, random);
      insert("acme", metric, pod, order.stream().map(times::get).toList(), order.stream().map(starts::get).toList(),
          order.stream().map(values::get).toList());
      from = to;
    }
    return new TestSeries(Map.of("pod", pod, "service.name", "svc"), points);
  }

  private void insert(String tenant, String metric, String pod, List<Instant> times, List<Instant> starts,
      List<Double> values) {
    store.execute(List.of(new Sql("INSERT INTO " + SCHEMA.qualified("otel_metrics_sum")
        + " (TenantId, MetricName, ServiceName, MetricUnit, StartTimeUnix, TimeUnix, ResourceAttributes, Attributes,"
        + " Value, AggregationTemporality, IsMonotonic)"
        + " SELECT {tenant:String}, {name:String}, 'svc', '1', fromUnixTimestamp64Nano({s:Array(Int64)}[i]),"
        + " fromUnixTimestamp64Nano({t:Array(Int64)}[i]), map('k8s.namespace.name', if({pod:String} = 'b', 'dev',"
        + " 'prod')), map('pod', {pod:String}), {v:Array(Float64)}[i], 2, true"
        + " FROM (SELECT arrayJoin(range(1, length({v:Array(Float64)}) + 1)) AS i)",
        List.of(new Param("tenant", "String", tenant), new Param("name", "String", metric),
            new Param("pod", "String", pod), new Param("s", "Array(Int64)", starts.stream().map(this::nanos).toList()),
            new Param("t", "Array(Int64)", times.stream().map(this::nanos).toList()),
            new Param("v", "Array(Float64)", values)), Map.of())));
  }

  private long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private Map<Map<String, String>, double[]> decode(CompiledMetricQuery c) {
    return EngineSeries.decode(store, c);
  }
}
