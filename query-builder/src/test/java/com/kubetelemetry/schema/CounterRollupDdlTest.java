/** The statements of schema version 6: the counter rollup, the view feeding it and the guarded backfill. */
package com.kubetelemetry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterRollupDdlTest {
  private static final SchemaOptions OPTIONS = new SchemaOptions("otel", 7, 14, 30);

  @Test
  void versionSixIsTheNewest() {
    assertThat(OtelSchema.migrations(OPTIONS).getLast().version()).isEqualTo(CounterRollupDdl.VERSION);
  }

  @Test
  void tableViewAndBackfillKeepEachStartTimeRunApartAndComputeTheFallFromSortedPoints() {
    List<Sql> statements = new CounterRollupDdl(OPTIONS).migration().statements();
    assertThat(statements).hasSize(3);
    assertThat(statements.get(0).text()).startsWith("CREATE TABLE IF NOT EXISTS `otel`.`otel_metrics_counter_1m` (")
        .contains("Fall AggregateFunction(deltaSumTimestamp, Float64, Int64)")
        .contains(") ENGINE = AggregatingMergeTree\n")
        .contains("ORDER BY (TenantId, MetricName, toStartOfHour(Minute), ServiceName, ResourceHash, AttributesHash, "
            + "Minute, StartTimeUnix)")
        .contains("\nTTL toDateTime(Minute) + toIntervalDay(30)\n");
    assertThat(statements.get(1).text()).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS "
        + "`otel`.`otel_metrics_counter_1m_mv`\nTO `otel`.`otel_metrics_counter_1m`\nAS SELECT ")
        .contains("arrayReduce('deltaSumTimestampState', arrayMap(p -> -p.2, arraySort(groupArray((Ns, Value)))), "
            + "arrayMap(p -> p.1, arraySort(groupArray((Ns, Value))))) AS Fall")
        .contains("FROM `otel`.`otel_metrics_sum`\n    WHERE AggregationTemporality = 2)");
    assertThat(statements.get(2).text()).startsWith("INSERT INTO `otel`.`otel_metrics_counter_1m`\n")
        .contains("AND (SELECT count() FROM `otel`.`otel_metrics_counter_1m`) = 0)");
    for (Sql s : statements) {
      assertThat(s.text()).doesNotContain("\n\n").doesNotContain(";");
      assertThat(s.params()).isEmpty();
    }
  }
}
