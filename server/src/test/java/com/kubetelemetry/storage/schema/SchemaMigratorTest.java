/** Schema migrations on the real engine: first run, idempotent re-runs, retention changes, downgrades, the view. */
package com.kubetelemetry.storage.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.schema.Migration;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaMigratorTest {
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void firstRunAppliesVersionOneAndASecondRunAppliesNothing() {
    SchemaOptions options = new SchemaOptions("first_run", 7, 14, 30);
    MigrationReport first = new SchemaMigrator(store, options).migrate();
    assertThat(first.appliedVersions()).containsExactlyElementsOf(versions(options));
    assertThat(first.schemaVersion()).isEqualTo(OtelSchema.latestVersion(options));
    assertThat(first.retentionChangedTables()).isEmpty();
    assertThat(tables("first_run")).containsExactlyInAnyOrder("otel_traces", "otel_traces_trace_id_ts",
        "otel_traces_trace_id_ts_mv", "otel_logs", "otel_metrics_gauge", "otel_metrics_sum",
        "otel_metrics_histogram", "otel_metrics_exp_histogram", "otel_metrics_summary", "schema_migrations",
        "metrics_catalog", "metrics_attribute_catalog", "metrics_catalog_gauge_mv", "metrics_catalog_sum_mv",
        "metrics_catalog_histogram_mv", "metrics_catalog_exp_histogram_mv", "metrics_catalog_summary_mv",
        "metrics_attribute_catalog_gauge_mv", "metrics_attribute_catalog_sum_mv",
        "metrics_attribute_catalog_histogram_mv", "metrics_attribute_catalog_exp_histogram_mv",
        "metrics_attribute_catalog_summary_mv",
        "otel_metrics_rollup_1m", "otel_metrics_rollup_1m_gauge_mv", "otel_metrics_rollup_1m_sum_mv",
        "otel_metrics_counter_1m", "otel_metrics_counter_1m_mv", "k8s_resource_history", "k8s_resources_current");
    assertThat(text("SELECT version, description FROM first_run.schema_migrations WHERE version <= 2 ORDER BY version"))
        .isEqualTo("1\tOpenTelemetry exporter tables with TenantId\n"
            + "2\tmetric and attribute catalogs for ListMetrics and autocomplete");

    MigrationReport second = new SchemaMigrator(store, options).migrate();
    assertThat(second.appliedVersions()).isEmpty();
    assertThat(second.schemaVersion()).isEqualTo(OtelSchema.latestVersion(options));
    assertThat(second.retentionChangedTables()).isEmpty();
    assertThat(text("SELECT count() FROM first_run.schema_migrations"))
        .isEqualTo(String.valueOf(versions(options).size()));
  }

  @Test
  void dataSurvivesARerun() {
    SchemaOptions options = new SchemaOptions("survives", 0, 0, 0);
    new SchemaMigrator(store, options).migrate();
    store.execute(List.of(Sql.of("INSERT INTO `survives`.`otel_logs` (TenantId, Timestamp, ServiceName, Body)"
            + " VALUES ({tenant:String}, {ts:DateTime64(9)}, {service:String}, {body:String})",
        new Param("tenant", "String", "acme"), new Param("ts", "DateTime64(9)", Instant.now()),
        new Param("service", "String", "checkout"), new Param("body", "String", "order placed"))));

    assertThat(new SchemaMigrator(store, options).migrate().appliedVersions()).isEmpty();
    assertThat(text("SELECT TenantId, ServiceName, Body FROM survives.otel_logs"))
        .isEqualTo("acme\tcheckout\torder placed");
  }

  @Test
  void aChangedRetentionReachesExistingTablesAndOnlyThoseThatDiffer() {
    new SchemaMigrator(store, new SchemaOptions("retention", 7, 14, 30)).migrate();
    assertThat(engineFull("retention", "otel_traces")).contains("TTL toDateTime(Timestamp) + toIntervalDay(7)");
    assertThat(engineFull("retention", "otel_traces_trace_id_ts")).contains("TTL toDateTime(Start) + toIntervalDay(7)");
    assertThat(engineFull("retention", "otel_logs")).contains("TTL toDateTime(Timestamp) + toIntervalDay(14)");
    assertThat(engineFull("retention", "otel_metrics_sum")).contains("TTL toDateTime(TimeUnix) + toIntervalDay(30)");
    assertThat(engineFull("retention", "otel_metrics_rollup_1m")).contains("TTL toDateTime(Minute) + toIntervalDay(30)");

    MigrationReport changed = new SchemaMigrator(store, new SchemaOptions("retention", 3, 0, 30)).migrate();
    assertThat(changed.appliedVersions()).isEmpty();
    assertThat(changed.retentionChangedTables())
        .containsExactly("otel_traces", "otel_traces_trace_id_ts", "otel_logs");
    assertThat(engineFull("retention", "otel_traces")).contains("TTL toDateTime(Timestamp) + toIntervalDay(3)");
    assertThat(engineFull("retention", "otel_traces_trace_id_ts")).contains("TTL toDateTime(Start) + toIntervalDay(3)");
    assertThat(engineFull("retention", "otel_logs")).doesNotContain("TTL");
    assertThat(engineFull("retention", "otel_metrics_gauge")).contains("TTL toDateTime(TimeUnix) + toIntervalDay(30)");

    MigrationReport again = new SchemaMigrator(store, new SchemaOptions("retention", 3, 0, 30)).migrate();
    assertThat(again.retentionChangedTables()).isEmpty();

    MigrationReport restored = new SchemaMigrator(store, new SchemaOptions("retention", 3, 5, 0)).migrate();
    assertThat(restored.retentionChangedTables()).containsExactly("otel_logs", "otel_metrics_gauge",
        "otel_metrics_sum", "otel_metrics_histogram", "otel_metrics_exp_histogram", "otel_metrics_summary",
        "metrics_catalog", "metrics_attribute_catalog", "otel_metrics_rollup_1m", "otel_metrics_counter_1m");
    assertThat(engineFull("retention", "otel_logs")).contains("TTL toDateTime(Timestamp) + toIntervalDay(5)");
    assertThat(engineFull("retention", "otel_metrics_summary")).doesNotContain("TTL");
    assertThat(engineFull("retention", "otel_metrics_rollup_1m")).doesNotContain("TTL");
  }

  @Test
  void retentionStatementsSetTheConfiguredTtlOnTablesCreatedWithAnother() {
    new SchemaMigrator(store, new SchemaOptions("restatement", 30, 30, 30)).migrate();
    store.execute(OtelSchema.retentionStatements(new SchemaOptions("restatement", 2, 0, 9)));
    assertThat(engineFull("restatement", "otel_traces")).contains("TTL toDateTime(Timestamp) + toIntervalDay(2)");
    assertThat(engineFull("restatement", "otel_logs")).doesNotContain("TTL");
    assertThat(engineFull("restatement", "otel_metrics_histogram"))
        .contains("TTL toDateTime(TimeUnix) + toIntervalDay(9)");
    // REMOVE TTL fails on a table without one: this is why the migrator only alters tables whose TTL differs.
    assertThatThrownBy(() -> store.execute(OtelSchema.retentionStatements(new SchemaOptions("restatement", 2, 0, 9))))
        .hasMessageContaining("TTL");
  }

  @Test
  void aDatabaseMigratedByANewerServerIsRefusedUntouched() {
    SchemaOptions options = new SchemaOptions("downgrade", 1, 1, 1);
    new SchemaMigrator(store, options).migrate();
    store.execute(List.of(Sql.of("INSERT INTO `downgrade`.`schema_migrations` (version, description, applied_at)"
        + " VALUES (99, 'from the future', now64(3))")));

    SchemaOptions changedRetention = new SchemaOptions("downgrade", 5, 5, 5);
    assertThatThrownBy(() -> new SchemaMigrator(store, changedRetention).migrate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("database `downgrade` is at schema version 99")
        .hasMessageContaining("knows versions up to " + OtelSchema.latestVersion(options))
        .hasMessageContaining("downgrades are not supported");
    assertThat(engineFull("downgrade", "otel_traces")).contains("toIntervalDay(1)");
    assertThat(new SchemaMigrator(store, options).appliedVersions()).contains(1, 99);
  }

  @Test
  void aHalfAppliedMigrationIsFinishedByTheNextRun() {
    SchemaOptions options = new SchemaOptions("half", 0, 0, 0);
    // As if a start-up died after the first statements of version 1, before recording it.
    store.execute(OtelSchema.migrations(options).getFirst().statements().subList(0, 3));
    MigrationReport report = new SchemaMigrator(store, options).migrate();
    assertThat(report.appliedVersions()).containsExactlyElementsOf(versions(options));
    assertThat(tables("half")).contains("otel_traces_trace_id_ts_mv", "otel_metrics_summary");
  }

  @Test
  void aTableTheCollectorCreatedGainsTheTenantColumnAndKeepsItsRows() {
    // The exporter's logs DDL (logs_table.sql, e3bd2d1d), as a Collector with create_schema would have run it.
    store.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS collector"), Sql.of("""
        CREATE TABLE collector.otel_logs (
            Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
            TimestampTime DateTime DEFAULT toDateTime(Timestamp),
            TraceId String CODEC(ZSTD(1)),
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            Body String CODEC(ZSTD(1)),
            EventName String CODEC(ZSTD(1))
        ) ENGINE = MergeTree
        PARTITION BY toDate(TimestampTime)
        PRIMARY KEY (ServiceName, TimestampTime)
        ORDER BY (ServiceName, TimestampTime, Timestamp)
        SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1"""),
        Sql.of("INSERT INTO collector.otel_logs (Timestamp, ServiceName, Body)"
            + " VALUES (now64(9), 'legacy', 'written by the Collector')")));

    MigrationReport report = new SchemaMigrator(store, new SchemaOptions("collector", 0, 3, 0)).migrate();
    assertThat(report.appliedVersions()).containsExactlyElementsOf(versions(new SchemaOptions("collector", 0, 3, 0)));
    assertThat(report.retentionChangedTables()).containsExactly("otel_logs");
    assertThat(text("SELECT TenantId, ServiceName, Body FROM collector.otel_logs"))
        .isEqualTo("default\tlegacy\twritten by the Collector");
    store.execute(List.of(Sql.of("INSERT INTO collector.otel_logs (Timestamp, ServiceName, Body)"
        + " VALUES (now64(9), 'legacy', 'still without a tenant')")));
    assertThat(text("SELECT count() FROM collector.otel_logs WHERE TenantId = 'default'")).isEqualTo("2");
    assertThat(engineFull("collector", "otel_logs")).contains("ORDER BY (ServiceName, TimestampTime, Timestamp)")
        .contains("TTL toDateTime(Timestamp) + toIntervalDay(3)");
  }

  @Test
  void theViewFillsTheTraceIdLookupPerTenant() {
    SchemaOptions options = new SchemaOptions("lookup", 0, 0, 0);
    new SchemaMigrator(store, options).migrate();
    Instant start = Instant.parse("2026-11-20T10:00:00.123456789Z");
    insertSpan("acme", "aaaa", start);
    insertSpan("acme", "aaaa", start.plusSeconds(42));
    insertSpan("globex", "aaaa", start.plusSeconds(7));
    insertSpan("globex", "", start);

    assertThat(text("SELECT TenantId, TraceId, min(Start), max(End) FROM lookup.otel_traces_trace_id_ts"
        + " GROUP BY TenantId, TraceId ORDER BY TenantId, TraceId"))
        .isEqualTo("acme\taaaa\t2026-11-20 10:00:00\t2026-11-20 10:00:42\n"
            + "globex\taaaa\t2026-11-20 10:00:07\t2026-11-20 10:00:07");
  }

  private void insertSpan(String tenant, String traceId, Instant timestamp) {
    store.execute(List.of(Sql.of("INSERT INTO `lookup`.`otel_traces`"
            + " (TenantId, Timestamp, TraceId, SpanId, ServiceName, SpanName, Duration)"
            + " VALUES ({tenant:String}, {ts:DateTime64(9)}, {trace:String}, {span:String}, {service:String},"
            + " {name:String}, {duration:UInt64})",
        new Param("tenant", "String", tenant), new Param("ts", "DateTime64(9)", timestamp),
        new Param("trace", "String", traceId), new Param("span", "String", "0001"),
        new Param("service", "String", "cart"), new Param("name", "String", "GET /cart"),
        new Param("duration", "UInt64", 1_500_000L))));
  }

  private List<String> tables(String database) {
    return store.query(Sql.of("SELECT name FROM system.tables WHERE database = {db:String}",
        new Param("db", "String", database)), "TSV").text().lines().toList();
  }

  private String engineFull(String database, String table) {
    return store.query(Sql.of("SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}",
        new Param("db", "String", database), new Param("t", "String", table)), "TSVRaw").text().strip();
  }

  private String text(String sql) {
    return store.query(Sql.of(sql), "TSV").text().strip();
  }

  /** Every migration version the code knows, ascending. */
  private static List<Integer> versions(SchemaOptions options) {
    return OtelSchema.migrations(options).stream().map(Migration::version).toList();
  }
}
