/** The rendered schema DDL: single statements, qualified names, TenantId-first keys, TTL and option checks. */
package com.kubetelemetry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OtelSchemaTest {
  private static final SchemaOptions OPTIONS = new SchemaOptions("otel", 7, 14, 30);
  private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE TABLE IF NOT EXISTS `otel`\\.`(\\w+)` \\(");

  private static List<Sql> allStatements(SchemaOptions options) {
    return OtelSchema.migrations(options).stream().flatMap(m -> m.statements().stream()).toList();
  }

  @Test
  void everyStatementIsOneParameterlessStatement() {
    for (Sql sql : allStatements(OPTIONS)) {
      String text = sql.text();
      assertThat(text).doesNotContain("\n\n").doesNotContain(";");
      assertThat(sql.params()).isEmpty();
      assertThat(parenthesesBalance(text)).as(text).isZero();
      assertThat(text).doesNotContain("TYPE text(");
      assertThat(text.lines()).allSatisfy(line -> assertThat(line).isNotBlank());
    }
  }

  @Test
  void versionOneCreatesTheDatabaseThenEveryExporterTable() {
    List<Migration> migrations = OtelSchema.migrations(OPTIONS);
    assertThat(migrations).extracting(Migration::version).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(OtelSchema.latestVersion(OPTIONS)).isEqualTo(CounterRollupDdl.VERSION);
    List<Sql> statements = migrations.getFirst().statements();
    assertThat(statements.getFirst().text()).isEqualTo("CREATE DATABASE IF NOT EXISTS `otel`");
    List<String> tables = statements.stream().map(s -> CREATE_TABLE.matcher(s.text()))
        .filter(Matcher::find).map(m -> m.group(1)).toList();
    assertThat(tables).containsExactlyElementsOf(OtelSchema.TABLES);
    assertThat(statements).anySatisfy(s -> assertThat(s.text())
        .startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS `otel`.`otel_traces_trace_id_ts_mv`\n"
            + "TO `otel`.`otel_traces_trace_id_ts`")
        .contains("GROUP BY TenantId, TraceId"));
    assertThat(statements.subList(statements.size() - OtelSchema.TABLES.size(), statements.size()))
        .extracting(Sql::text)
        .containsExactlyElementsOf(OtelSchema.TABLES.stream().map(t -> "ALTER TABLE `otel`.`" + t
            + "` ADD COLUMN IF NOT EXISTS TenantId LowCardinality(String) DEFAULT 'default' CODEC(ZSTD(1)) FIRST")
            .toList());
  }

  @Test
  void everyTableStartsWithTenantIdAndSortsByItFirst() {
    for (Sql sql : allStatements(OPTIONS)) {
      if (!CREATE_TABLE.matcher(sql.text()).find()) {
        continue;
      }
      assertThat(sql.text().lines().skip(1).findFirst().orElseThrow().strip())
          .isEqualTo("TenantId LowCardinality(String) DEFAULT 'default' CODEC(ZSTD(1)),");
      assertThat(sql.text()).containsPattern("\nORDER BY \\(TenantId, ")
          .containsPattern("\nSETTINGS index_granularity = (8192|2048|1024), ttl_only_drop_parts = 1, merge_selector_base = 20$");
    }
  }

  @Test
  void createStatementsCarryEachSignalsTtl() {
    String text = String.join("\n", allStatements(OPTIONS).stream().map(Sql::text).toList());
    assertThat(text)
        .contains("Timestamp)\nTTL toDateTime(Timestamp) + toIntervalDay(7)\nSETTINGS")
        .contains("TraceId)\nTTL toDateTime(Start) + toIntervalDay(7)\nSETTINGS")
        .contains("ServiceName, Timestamp)\nTTL toDateTime(Timestamp) + toIntervalDay(14)\nSETTINGS");
    assertThat(Pattern.compile("TTL toDateTime\\(TimeUnix\\) \\+ toIntervalDay\\(30\\)").matcher(text).results())
        .hasSize(5);
  }

  @Test
  void zeroDaysMeansNoTtlClause() {
    SchemaOptions forever = new SchemaOptions("otel", 0, 0, 0);
    assertThat(allStatements(forever)).allSatisfy(s -> assertThat(s.text()).doesNotContain("TTL"));
  }

  @Test
  void retentionStatementsSetOrRemoveTtlOnEveryTable() {
    List<Sql> statements = OtelSchema.retentionStatements(new SchemaOptions("otel", 3, 0, 90));
    assertThat(statements).extracting(Sql::text).containsExactly(
        "ALTER TABLE `otel`.`otel_traces` MODIFY TTL toDateTime(Timestamp) + toIntervalDay(3)",
        "ALTER TABLE `otel`.`otel_traces_trace_id_ts` MODIFY TTL toDateTime(Start) + toIntervalDay(3)",
        "ALTER TABLE `otel`.`otel_logs` REMOVE TTL",
        "ALTER TABLE `otel`.`otel_metrics_gauge` MODIFY TTL toDateTime(TimeUnix) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`otel_metrics_sum` MODIFY TTL toDateTime(TimeUnix) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`otel_metrics_histogram` MODIFY TTL toDateTime(TimeUnix) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`otel_metrics_exp_histogram` MODIFY TTL toDateTime(TimeUnix) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`otel_metrics_summary` MODIFY TTL toDateTime(TimeUnix) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`metrics_catalog` MODIFY TTL toDateTime(Hour) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`metrics_attribute_catalog` MODIFY TTL toDateTime(Hour) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`otel_metrics_rollup_1m` MODIFY TTL toDateTime(Minute) + toIntervalDay(90)",
        "ALTER TABLE `otel`.`otel_metrics_counter_1m` MODIFY TTL toDateTime(Minute) + toIntervalDay(90)");
    assertThat(OtelSchema.retention(new SchemaOptions("otel", 3, 0, 90), OtelSchema.LOGS).expression()).isEmpty();
  }

  @Test
  void rejectsInvalidOptions() {
    assertThatThrownBy(() -> new SchemaOptions("otel`; DROP", 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain identifier");
    assertThatThrownBy(() -> new SchemaOptions("1otel", 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SchemaOptions("", 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SchemaOptions("otel", -1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tracesTtlDays is -1");
    assertThatThrownBy(() -> new SchemaOptions("otel", 1, -2, 1)).hasMessageContaining("logsTtlDays");
    assertThatThrownBy(() -> new SchemaOptions("otel", 1, 1, SchemaOptions.MAX_TTL_DAYS + 1))
        .hasMessageContaining("metricsTtlDays");
    assertThat(new SchemaOptions("_otel_2", 0, 0, SchemaOptions.MAX_TTL_DAYS).qualified("otel_logs"))
        .isEqualTo("`_otel_2`.`otel_logs`");
  }

  @Test
  void migrationsNeedAVersionADescriptionAndStatements() {
    assertThatThrownBy(() -> new Migration(0, "x", List.of(Sql.of("SELECT 1"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Migration(2, " ", List.of(Sql.of("SELECT 1"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Migration(2, "x", List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  /** Open minus closed parentheses outside quoted strings and identifiers; 0 for a well-formed statement. */
  private static int parenthesesBalance(String text) {
    int depth = 0;
    char quote = 0;
    for (char c : text.toCharArray()) {
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        assertThat(depth).isNotNegative();
      }
    }
    assertThat(quote).isEqualTo((char) 0);
    return depth;
  }

  @Test
  void versionFiveStoresTheSeriesHashesOfEveryMetricTable() {
    Migration five = OtelSchema.migrations(OPTIONS).get(4);
    assertThat(five.version()).isEqualTo(SeriesHashDdl.VERSION);
    assertThat(five.statements()).extracting(Sql::text).hasSize(10).contains(
        "ALTER TABLE `otel`.`otel_metrics_sum` ADD COLUMN IF NOT EXISTS ResourceHash UInt64 MATERIALIZED "
            + "cityHash64(ResourceAttributes) CODEC(ZSTD(1)),\n    ADD COLUMN IF NOT EXISTS AttributesHash UInt64 "
            + "MATERIALIZED cityHash64(Attributes) CODEC(ZSTD(1))",
        "ALTER TABLE `otel`.`otel_metrics_summary` MATERIALIZE COLUMN ResourceHash, MATERIALIZE COLUMN "
            + "AttributesHash");
  }
}
