/** Summary metrics on the real engine: a stored quantile read as a gauge, the count and sum read as counters. */
package com.kubetelemetry.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.ExpectedSeries.TestPoint;
import com.kubetelemetry.query.metrics.ExpectedSeries.TestSeries;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummaryQueryOnEngineTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final SchemaOptions SCHEMA = new SchemaOptions("summary_query", 0, 0, 0);
  private static final TenantId ACME = new TenantId("acme");
  /** As the lookup reports a summary: no temporality, not monotonic. */
  private static final MetricShape SUMMARY = new MetricShape(MetricKind.SUMMARY, false, false, "s");
  private static final EvaluationGrid MINUTES = new EvaluationGrid(T0, Duration.ofMinutes(1), 8, Duration.ofMinutes(1));

  private final MetricQueryCompiler compiler = new MetricQueryCompiler(SCHEMA, QueryLimits.defaults());
  private final List<TestSeries> p99 = new ArrayList<>();
  private final List<TestSeries> counts = new ArrayList<>();
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    for (String pod : List.of("a", "b")) {
      List<TestPoint> quantiles = new ArrayList<>();
      List<TestPoint> count = new ArrayList<>();
      long cumulative = 0;
      for (int i = -4; i < 30; i++) {
        Instant t = T0.plusSeconds(i * 15L);
        // Pod a restarts at i = 15: its count starts again from zero (a counter reset).
        cumulative = pod.equals("a") && i == 15 ? 2 : cumulative + Math.floorMod(i * 3 + (pod.equals("a") ? 1 : 4), 7);
        double q99 = (pod.equals("a") ? 10 : 20) + Math.floorMod(i, 6) * 0.5;
        quantiles.add(TestPoint.number(t, q99));
        count.add(TestPoint.number(t, cumulative));
        insert(t, pod, cumulative, q99);
      }
      Map<String, String> labels = Map.of("pod", pod, "service.name", "db");
      p99.add(new TestSeries(labels, quantiles));
      counts.add(new TestSeries(labels, count));
    }
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void aStoredQuantileIsReadLikeAGauge() {
    MetricQuery q = MetricQuery.of("db.query.duration").withStatistic(HistogramStatistic.QUANTILE, 0.99)
        .withFunction(TemporalFunction.MAX);
    var expected = ExpectedSeries.perSeries(p99, MINUTES, w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).max().orElseThrow());
    assertClose(run(q), expected);
    var lastByMax = ExpectedSeries.aggregate(ExpectedSeries.perSeries(p99, MINUTES,
        w -> w.isEmpty() ? null : w.getLast().value()), l -> Map.of(), "max", 8);
    assertClose(run(MetricQuery.of("db.query.duration").withStatistic(HistogramStatistic.QUANTILE, 0.99)
        .withAggregation(SeriesAggregation.MAX, List.of())), lastByMax);
  }

  @Test
  void theCountIsACounterWithResetsHandled() {
    Instant readStart = MINUTES.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    List<TestSeries> deltas = counts.stream().map(s -> ExpectedSeries.counterDeltas(s, readStart)).toList();
    var rate = ExpectedSeries.perSeries(deltas, MINUTES, w -> w.isEmpty() ? null
        : w.stream().mapToDouble(TestPoint::value).sum() / 60);
    CompiledMetricQuery c = compiler.compile(ACME, MetricQuery.of("db.query.duration")
        .withStatistic(HistogramStatistic.COUNT, null), SUMMARY, MINUTES, true);
    assertThat(c.rollup()).isFalse();
    assertClose(decode(c), rate);
  }

  @Test
  void aQuantileTheSummaryDoesNotStoreHasNoPoints() {
    assertThat(run(MetricQuery.of("db.query.duration").withStatistic(HistogramStatistic.QUANTILE, 0.75))).isEmpty();
  }

  @Test
  void aMeanOrAMissingStatisticIsRefusedNamingTheField() {
    assertThatThrownBy(() -> compiler.compile(ACME, MetricQuery.of("db.query.duration")
        .withStatistic(HistogramStatistic.MEAN, null), SUMMARY, MINUTES, true))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("query.histogram_statistic"))
        .hasMessageContaining("SUM and COUNT");
    assertThatThrownBy(() -> compiler.compile(ACME, MetricQuery.of("db.query.duration"), SUMMARY, MINUTES, true))
        .isInstanceOf(QueryException.class).hasMessageContaining("is a summary");
  }

  private Map<Map<String, String>, double[]> run(MetricQuery q) {
    return decode(compiler.compile(ACME, q, SUMMARY, MINUTES, true));
  }

  private Map<Map<String, String>, double[]> decode(CompiledMetricQuery c) {
    return EngineSeries.decode(store, c);
  }

  private static void assertClose(Map<Map<String, String>, double[]> actual,
      Map<Map<String, String>, double[]> expected) {
    EngineSeries.close(actual, expected);
  }

  private void insert(Instant t, String pod, long count, double q99) {
    store.execute(List.of(new Sql("INSERT INTO " + SCHEMA.qualified("otel_metrics_summary")
        + " (TenantId, MetricName, ServiceName, TimeUnix, Attributes, Count, Sum, ValueAtQuantiles.Quantile,"
        + " ValueAtQuantiles.Value) SELECT 'acme', 'db.query.duration', 'db', {t:DateTime64(9)},"
        + " map('pod', {pod:String}), {c:UInt64}, {s:Float64}, [0.5, 0.99], [{q50:Float64}, {q99:Float64}]",
        List.of(new Param("t", "DateTime64(9)", t), new Param("pod", "String", pod), new Param("c", "UInt64", count),
            new Param("s", "Float64", count * 0.01), new Param("q50", "Float64", q99 / 4),
            new Param("q99", "Float64", q99)), Map.of())));
  }
}
