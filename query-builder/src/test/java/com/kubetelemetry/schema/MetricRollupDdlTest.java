/** The statements of schema version 3: the rollup table, the two views feeding it and the guarded backfill. */
package com.kubetelemetry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricRollupDdlTest {
  private static final SchemaOptions OPTIONS = new SchemaOptions("otel", 7, 14, 30);

  @Test
  void versionThreeIsListedAfterVersionOne() {
    assertThat(OtelSchema.migrations(OPTIONS)).extracting(Migration::version).contains(1, MetricRollupDdl.VERSION);
  }

  @Test
  void tableViewsAndBackfillAreIdempotentAndQualified() {
    List<Sql> statements = new MetricRollupDdl(OPTIONS).migration().statements();
    assertThat(statements).hasSize(5);
    assertThat(statements.get(0).text()).startsWith("CREATE TABLE IF NOT EXISTS `otel`.`otel_metrics_rollup_1m` (")
        .contains("LastValue AggregateFunction(argMax, Float64, DateTime64(9))")
        .contains(") ENGINE = AggregatingMergeTree\n")
        .contains("ORDER BY (TenantId, MetricName, Source, toStartOfHour(Minute), ServiceName, ResourceHash, "
            + "AttributesHash, Temporality, Minute)")
        .contains("\nTTL toDateTime(Minute) + toIntervalDay(30)\n");
    assertThat(statements.get(1).text()).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS "
        + "`otel`.`otel_metrics_rollup_1m_gauge_mv`\nTO `otel`.`otel_metrics_rollup_1m`\nAS SELECT TenantId, "
        + "MetricName, 'gauge' AS Source").contains("FROM `otel`.`otel_metrics_gauge`)");
    assertThat(statements.get(2).text()).contains("'sum' AS Source").contains("AggregationTemporality AS "
        + "Temporality").contains("FROM `otel`.`otel_metrics_sum`)");
    assertThat(statements.get(3).text()).startsWith("INSERT INTO `otel`.`otel_metrics_rollup_1m`\n")
        .contains("WHERE (SELECT count() FROM `otel`.`otel_metrics_rollup_1m` WHERE Source = 'gauge') = 0)");
    for (Sql s : statements) {
      assertThat(s.text()).doesNotContain("\n\n").doesNotContain(";");
      assertThat(s.params()).isEmpty();
    }
  }

  @Test
  void keepingMetricsForeverLeavesTheRollupWithoutTtl() {
    assertThat(new MetricRollupDdl(new SchemaOptions("otel", 0, 0, 0)).table().getFirst().text()).doesNotContain("TTL");
  }
}
