/** The rendered version-2 DDL: two catalog tables, a view per metrics table and catalog, and the back-fill. */
package com.kubetelemetry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricCatalogDdlTest {
  private static final SchemaOptions OPTIONS = new SchemaOptions("otel", 7, 14, 30);
  private static final List<String> KINDS = List.of("gauge", "sum", "histogram", "exp_histogram", "summary");

  private static List<String> versionTwo(SchemaOptions options) {
    return OtelSchema.migrations(options).get(1).statements().stream().map(Sql::text).toList();
  }

  @Test
  void createsBothCatalogsWithTheMetricsRetentionThenViewsThenBackfills() {
    List<String> statements = versionTwo(OPTIONS);
    assertThat(statements).hasSize(2 + 10 + 10);
    assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS `otel`.`metrics_catalog` (\n")
        .contains("ENGINE = AggregatingMergeTree\nPARTITION BY toDate(Hour)\n"
            + "ORDER BY (TenantId, MetricName, MetricType, ServiceName, Hour)\n"
            + "TTL toDateTime(Hour) + toIntervalDay(30)\nSETTINGS");
    assertThat(statements.get(1)).startsWith("CREATE TABLE IF NOT EXISTS `otel`.`metrics_attribute_catalog` (\n")
        .contains("ORDER BY (TenantId, Entry, Source, Key, MetricName, Value, Hour)\n"
            + "TTL toDateTime(Hour) + toIntervalDay(30)\nSETTINGS");
    for (int i = 0; i < KINDS.size(); i++) {
      String kind = KINDS.get(i);
      assertThat(statements.get(2 + 2 * i)).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS `otel`.`metrics_catalog_"
          + kind + "_mv`\nTO `otel`.`metrics_catalog`\nAS SELECT ").contains("FROM `otel`.`otel_metrics_" + kind + "`");
      assertThat(statements.get(3 + 2 * i)).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS "
          + "`otel`.`metrics_attribute_catalog_" + kind + "_mv`\nTO `otel`.`metrics_attribute_catalog`\nAS SELECT ")
          .contains("FROM `otel`.`otel_metrics_" + kind + "`");
      assertThat(statements.get(12 + 2 * i)).startsWith("INSERT INTO `otel`.`metrics_catalog`\nSELECT ")
          .contains("FROM `otel`.`otel_metrics_" + kind + "`");
      assertThat(statements.get(13 + 2 * i)).startsWith("INSERT INTO `otel`.`metrics_attribute_catalog`\nSELECT ")
          .contains("FROM `otel`.`otel_metrics_" + kind + "`");
    }
  }

  @Test
  void backfillSelectsExactlyWhatTheViewsSelect() {
    List<String> statements = versionTwo(OPTIONS);
    for (int i = 2; i < 12; i++) {
      String view = statements.get(i);
      String backfill = statements.get(i + 10);
      assertThat(backfill.substring(backfill.indexOf("\nSELECT ") + 1))
          .isEqualTo(view.substring(view.indexOf("\nAS SELECT ") + 4));
    }
  }

  @Test
  void typesTemporalityAndTextBoundAreSpelledPerTable() {
    List<String> statements = versionTwo(OPTIONS);
    assertThat(statements.get(2)).contains("'gauge' AS MetricType").contains("argMaxState(toInt32(0), TimeUnix)");
    assertThat(statements.get(4)).contains("'sum' AS MetricType")
        .contains("argMaxState(AggregationTemporality, TimeUnix)")
        .contains("argMaxState(CAST(IsMonotonic, 'Bool'), TimeUnix)");
    assertThat(statements.get(8)).contains("'exponential_histogram' AS MetricType");
    assertThat(statements.get(3)).contains("length(t.3) <= 256 AND length(t.4) <= 256");
    assertThat(MetricCatalogDdl.MAX_TEXT_LENGTH).isEqualTo(256);
  }

  @Test
  void keptForeverWhenMetricsAre() {
    assertThat(versionTwo(new SchemaOptions("otel", 7, 7, 0))).noneSatisfy(s -> assertThat(s).contains("TTL"));
    assertThat(OtelSchema.retention(new SchemaOptions("otel", 1, 1, 5), MetricCatalogDdl.ATTRIBUTE_CATALOG)
        .expression()).contains("toDateTime(Hour) + toIntervalDay(5)");
  }
}
