/** Schema versions 3 and 6 on a database that already holds points: backfills fold them in once; rollup equals raw. */
package com.kubetelemetry.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.CounterRollupDdl;
import com.kubetelemetry.schema.MetricRollupDdl;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.schema.SeriesHashDdl;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollupBackfillTest {
  private static final SchemaOptions SCHEMA = new SchemaOptions("backfill", 0, 0, 0);

  @Test
  void pointsStoredBeforeVersionThreeAreRolledUpExactlyOnce(@TempDir Path dir) {
    try (EmbeddedStore store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"))) {
      store.execute(OtelSchema.migrations(SCHEMA).getFirst().statements());
      Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
      store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified(OtelSchema.METRICS_GAUGE)
          + " (TenantId, MetricName, ServiceName, TimeUnix, Value, Attributes)"
          + " SELECT 'acme', 'mem', 'svc', toDateTime64('2026-11-23 10:00:00', 9, 'UTC') + number * 7,"
          + " number % 13, map('pod', toString(number % 3)) FROM numbers(500)")));
      List<Sql> versionThree = new MetricRollupDdl(SCHEMA).migration().statements();
      store.execute(versionThree);
      store.execute(versionThree);
      // Version 5 stores the series hashes; its MATERIALIZE fills them in for the points already there.
      store.execute(SeriesHashDdl.migration(SCHEMA).statements());
      String total = "SELECT sum(PointCount) FROM " + SCHEMA.qualified(MetricRollupDdl.ROLLUP);
      assertThat(store.query(Sql.of(total), "TSV").text().strip()).isEqualTo("500");

      MetricQueryCompiler compiler = new MetricQueryCompiler(SCHEMA, QueryLimits.defaults());
      EvaluationGrid grid = new EvaluationGrid(t0, Duration.ofMinutes(5), 12, Duration.ofMinutes(10));
      MetricShape gauge = new MetricShape(MetricKind.GAUGE, false, false, "");
      for (TemporalFunction f : List.of(TemporalFunction.AVG, TemporalFunction.MAX, TemporalFunction.LAST,
          TemporalFunction.COUNT, TemporalFunction.SUM, TemporalFunction.MIN)) {
        MetricQuery q = MetricQuery.of("mem").withFunction(f);
        CompiledMetricQuery rollup = compiler.compile(new TenantId("acme"), q, gauge, grid, true);
        CompiledMetricQuery raw = compiler.compile(new TenantId("acme"), q, gauge, grid, false);
        assertThat(rollup.rollup()).isTrue();
        String fromRollup = store.query(rollup.sql(), "JSONCompactEachRow").text();
        assertThat(fromRollup).as("%s", f).isEqualTo(store.query(raw.sql(), "JSONCompactEachRow").text())
            .contains("\"pod\":\"2\"");
      }
    }
  }

  @Test
  void counterPointsStoredBeforeVersionSixAreRolledUpOnceAndGiveTheRawRates(@TempDir Path dir) {
    try (EmbeddedStore store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"))) {
      store.execute(OtelSchema.migrations(SCHEMA).getFirst().statements());
      Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
      // Three pods, a point every 7 s, each counter restarting (new start time) every 100 points.
      store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified(OtelSchema.METRICS_SUM)
          + " (TenantId, MetricName, ServiceName, StartTimeUnix, TimeUnix, Value, Attributes,"
          + " AggregationTemporality, IsMonotonic)"
          + " SELECT 'acme', 'reqs', 'svc', toDateTime64('2026-11-23 09:00:00', 9, 'UTC') + intDiv(i, 100),"
          + " toDateTime64('2026-11-23 10:00:00', 9, 'UTC') + i * 7, (i % 100) * (1 + number % 3),"
          + " map('pod', toString(number % 3)), 2, true"
          + " FROM (SELECT number, intDiv(number, 3) AS i FROM numbers(1500))")));
      store.execute(SeriesHashDdl.migration(SCHEMA).statements());
      List<Sql> versionSix = new CounterRollupDdl(SCHEMA).migration().statements();
      store.execute(versionSix);
      store.execute(versionSix);
      String total = "SELECT sum(PointCount) FROM " + SCHEMA.qualified(CounterRollupDdl.ROLLUP);
      assertThat(store.query(Sql.of(total), "TSV").text().strip()).isEqualTo("1500");

      MetricQueryCompiler compiler = new MetricQueryCompiler(SCHEMA, QueryLimits.defaults());
      EvaluationGrid grid = new EvaluationGrid(t0, Duration.ofMinutes(2), 25, Duration.ofMinutes(4));
      MetricShape counter = new MetricShape(MetricKind.SUM, true, true, "");
      for (TemporalFunction f : List.of(TemporalFunction.RATE, TemporalFunction.INCREASE)) {
        MetricQuery q = MetricQuery.of("reqs").withFunction(f);
        CompiledMetricQuery rollup = compiler.compile(new TenantId("acme"), q, counter, grid, true);
        assertThat(rollup.rollup()).isTrue();
        var fromRollup = EngineSeries.decode(store, rollup);
        assertThat(fromRollup).containsKey(java.util.Map.of("pod", "2", "service.name", "svc"));
        assertThat(EngineSeries.close(fromRollup,
            EngineSeries.decode(store, compiler.compile(new TenantId("acme"), q, counter, grid, false)))).isTrue();
      }
    }
  }
}
