/** The schema rendered for a cluster: ON CLUSTER everywhere, Replicated local tables, Distributed tables on top. */
package com.kubetelemetry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClusterSchemaTest {
  private static final SchemaOptions OPTIONS = new SchemaOptions("otel", 7, 14, 30).withCluster("telemetry");
  private static final String ON_CLUSTER = " ON CLUSTER 'telemetry'";
  private static final Pattern CREATE = Pattern.compile("^CREATE TABLE IF NOT EXISTS `otel`\\.`(\\w+)`");

  private static List<String> all() {
    return OtelSchema.migrations(OPTIONS).stream().flatMap(m -> m.statements().stream()).map(Sql::text).toList();
  }

  @Test
  void everyStatementRunsOnTheClusterAndStaysOneStatement() {
    assertThat(all()).allSatisfy(text -> {
      assertThat(text).doesNotContain("\n\n").doesNotContain(";");
      if (!text.startsWith("INSERT INTO")) {
        assertThat(text.lines().findFirst().orElseThrow()).contains(ON_CLUSTER);
      }
    });
    assertThat(all().getFirst()).isEqualTo("CREATE DATABASE IF NOT EXISTS `otel` ON CLUSTER 'telemetry'");
  }

  @Test
  void eachTableIsAReplicatedLocalTableUnderADistributedTable() {
    List<String> statements = all();
    List<String> created = statements.stream().map(CREATE::matcher).filter(Matcher::find).map(m -> m.group(1))
        .toList();
    for (String table : List.of(OtelSchema.TRACES, OtelSchema.TRACE_ID_TS, OtelSchema.LOGS,
        OtelSchema.METRICS_GAUGE, OtelSchema.METRICS_SUMMARY, MetricCatalogDdl.METRIC_CATALOG,
        MetricCatalogDdl.ATTRIBUTE_CATALOG, MetricRollupDdl.ROLLUP, CounterRollupDdl.ROLLUP)) {
      assertThat(created).containsSubsequence(table + "_local", table);
    }
    String traces = statements.stream().filter(s -> s.startsWith(
        "CREATE TABLE IF NOT EXISTS `otel`.`otel_traces_local`")).findFirst().orElseThrow();
    assertThat(traces).startsWith("CREATE TABLE IF NOT EXISTS `otel`.`otel_traces_local` ON CLUSTER 'telemetry' (\n"
        + "    TenantId LowCardinality(String) DEFAULT 'default' CODEC(ZSTD(1)),\n")
        .contains("\n) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')\n"
            + "PARTITION BY toDate(Timestamp)\n");
    assertThat(statements).contains(
        "CREATE TABLE IF NOT EXISTS `otel`.`otel_traces` ON CLUSTER 'telemetry' AS `otel`.`otel_traces_local`\n"
            + "ENGINE = Distributed('telemetry', 'otel', 'otel_traces_local', cityHash64(TenantId, TraceId))",
        "CREATE TABLE IF NOT EXISTS `otel`.`otel_logs` ON CLUSTER 'telemetry' AS `otel`.`otel_logs_local`\n"
            + "ENGINE = Distributed('telemetry', 'otel', 'otel_logs_local', rand())",
        "CREATE TABLE IF NOT EXISTS `otel`.`otel_metrics_sum` ON CLUSTER 'telemetry' AS `otel`.`otel_metrics_sum_local`"
            + "\nENGINE = Distributed('telemetry', 'otel', 'otel_metrics_sum_local', "
            + "cityHash64(TenantId, ServiceName, MetricName, Attributes))");
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS `otel`.`otel_traces_trace_id_ts_local` ON CLUSTER 'telemetry'")
        .contains(") ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', "
            + "'{replica}')\nPARTITION BY toStartOfWeek(Start)"));
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS `otel`.`otel_metrics_rollup_1m_local` ON CLUSTER 'telemetry'")
        .contains(") ENGINE = ReplicatedAggregatingMergeTree(").contains("TTL toDateTime(Minute) + toIntervalDay(30)"));
  }

  @Test
  void kubernetesObjectTablesKeepTheirVersionColumnAndShardByObject() {
    List<String> statements = all();
    assertThat(statements).anySatisfy(s -> assertThat(s)
        .startsWith("CREATE TABLE IF NOT EXISTS `otel`.`k8s_resources_current_local` ON CLUSTER 'telemetry' (\n")
        .contains("\n) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', "
            + "'{replica}', ResourceVersionNumber)\nORDER BY (TenantId, Kind, Namespace, Name, Uid)"));
    assertThat(statements).contains("CREATE TABLE IF NOT EXISTS `otel`.`k8s_resource_history` ON CLUSTER 'telemetry'"
        + " AS `otel`.`k8s_resource_history_local`\nENGINE = Distributed('telemetry', 'otel', "
        + "'k8s_resource_history_local', cityHash64(TenantId, Uid))");
  }

  @Test
  void viewsWatchAndFeedTheLocalTables() {
    assertThat(all()).contains("CREATE MATERIALIZED VIEW IF NOT EXISTS `otel`.`otel_traces_trace_id_ts_mv`"
        + " ON CLUSTER 'telemetry'\nTO `otel`.`otel_traces_trace_id_ts_local`\n"
        + "AS SELECT TenantId, TraceId, min(Timestamp) AS Start, max(Timestamp) AS End\n"
        + "FROM `otel`.`otel_traces_local`\nWHERE TraceId != ''\nGROUP BY TenantId, TraceId");
    List<String> views = all().stream().filter(s -> s.startsWith("CREATE MATERIALIZED VIEW")).toList();
    assertThat(views).hasSize(1 + 10 + 2 + 1).allSatisfy(v -> assertThat(v)
        .containsPattern("\nTO `otel`\\.`\\w+_local`\n").containsPattern("FROM `otel`\\.`otel_\\w+_local`")
        .doesNotContainPattern("FROM `otel`\\.`otel_metrics_(gauge|sum|histogram|exp_histogram|summary)`"));
  }

  @Test
  void backfillsInsertThroughTheDistributedTablesAndWaitForTheShards() {
    List<String> inserts = all().stream().filter(s -> s.startsWith("INSERT INTO")).toList();
    assertThat(inserts).hasSize(10 + 2 + 1).allSatisfy(i -> assertThat(i)
        .containsPattern("^INSERT INTO `otel`\\.`(metrics_catalog|metrics_attribute_catalog|otel_metrics_rollup_1m|otel_metrics_counter_1m)`"
            + " SETTINGS distributed_foreground_insert = 1\nSELECT ")
        .doesNotContain("_local`"));
  }

  @Test
  void tenantColumnAndRetentionChangeTheLocalTables() {
    assertThat(all()).contains(
        "ALTER TABLE `otel`.`otel_logs_local` ON CLUSTER 'telemetry' ADD COLUMN IF NOT EXISTS "
            + "TenantId LowCardinality(String) DEFAULT 'default' CODEC(ZSTD(1)) FIRST",
        "ALTER TABLE `otel`.`otel_logs` ON CLUSTER 'telemetry' ADD COLUMN IF NOT EXISTS "
            + "TenantId LowCardinality(String) DEFAULT 'default' CODEC(ZSTD(1)) FIRST");
    assertThat(OtelSchema.retention(OPTIONS, OtelSchema.LOGS).statement().text()).isEqualTo(
        "ALTER TABLE `otel`.`otel_logs_local` ON CLUSTER 'telemetry' MODIFY TTL toDateTime(Timestamp) + "
            + "toIntervalDay(14)");
    assertThat(OtelSchema.retention(OPTIONS, OtelSchema.LOGS).storageTable()).isEqualTo("otel_logs_local");
    List<String> seriesHashes = OtelSchema.migrations(OPTIONS).stream()
        .filter(m -> m.version() == SeriesHashDdl.VERSION).findFirst().orElseThrow()
        .statements().stream().map(Sql::text).toList();
    assertThat(seriesHashes).hasSize(3 * 5).contains(
        "ALTER TABLE `otel`.`otel_metrics_sum_local` ON CLUSTER 'telemetry' MATERIALIZE COLUMN ResourceHash, "
            + "MATERIALIZE COLUMN AttributesHash")
        .anySatisfy(t -> assertThat(t).startsWith("ALTER TABLE `otel`.`otel_metrics_sum` ON CLUSTER 'telemetry' "
            + "ADD COLUMN IF NOT EXISTS ResourceHash"))
        .noneSatisfy(t -> assertThat(t).startsWith("ALTER TABLE `otel`.`otel_metrics_sum` ON CLUSTER 'telemetry' "
            + "MATERIALIZE"));
  }

  @Test
  void layoutRendersAnyNewTableAndTheLedgerInsert() {
    TableLayout layout = new TableLayout(OPTIONS);
    assertThat(layout.createTable("k8s_objects", " (\n    Uid String\n) ENGINE = ReplacingMergeTree\nORDER BY Uid",
        "cityHash64(Uid)")).extracting(Sql::text).containsExactly(
        "CREATE TABLE IF NOT EXISTS `otel`.`k8s_objects_local` ON CLUSTER 'telemetry' (\n    Uid String\n)"
            + " ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')"
            + "\nORDER BY Uid",
        "CREATE TABLE IF NOT EXISTS `otel`.`k8s_objects` ON CLUSTER 'telemetry' AS `otel`.`k8s_objects_local`\n"
            + "ENGINE = Distributed('telemetry', 'otel', 'k8s_objects_local', cityHash64(Uid))");
    assertThat(layout.insertInto("schema_migrations", "version, description")).isEqualTo(
        "INSERT INTO `otel`.`schema_migrations` (version, description) SETTINGS distributed_foreground_insert = 1");
    assertThatThrownBy(() -> layout.createTable("x", " (\n    a UInt8\n) ENGINE = Memory", "rand()"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MergeTree");
    TableLayout single = new TableLayout(new SchemaOptions("otel", 1, 1, 1));
    assertThat(single.createTable("t", " (\n    a UInt8\n) ENGINE = MergeTree\nORDER BY a", "rand()"))
        .extracting(Sql::text).containsExactly("CREATE TABLE IF NOT EXISTS `otel`.`t` (\n    a UInt8\n)"
            + " ENGINE = MergeTree\nORDER BY a");
    assertThat(single.insertInto("t", "")).isEqualTo("INSERT INTO `otel`.`t`");
  }

  @Test
  void rejectsClusterNamesThatAreNotPlainNames() {
    assertThatThrownBy(() -> OPTIONS.withCluster("tele'metry")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster name");
    assertThat(OPTIONS.withCluster("prod-eu_1").cluster()).isEqualTo("prod-eu_1");
  }
}
