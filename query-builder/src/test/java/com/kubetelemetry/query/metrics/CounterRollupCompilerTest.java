/** The exact statement a rate over a cumulative counter compiles to when the counter rollup answers it. */
package com.kubetelemetry.query.metrics;

import static com.kubetelemetry.query.metrics.MetricQueryCompilerTest.COMPILER;
import static com.kubetelemetry.query.metrics.MetricQueryCompilerTest.COUNTER;
import static com.kubetelemetry.query.metrics.MetricQueryCompilerTest.GRID;
import static com.kubetelemetry.query.metrics.MetricQueryCompilerTest.START;
import static com.kubetelemetry.query.metrics.MetricQueryCompilerTest.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.sql.Param;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterRollupCompilerTest {
  @Test
  void aSummedCounterRateReadsTheCounterRollupAndStopsAtAFall() {
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("reqs")
        .withMatchers(List.of(AttributeMatcher.of(Target.ITEM, "pod", Op.REGEX, "web-.*")))
        .withAggregation(SeriesAggregation.SUM, List.of(new AttributeRef(Target.RESOURCE, "zone"))), COUNTER, GRID,
        true);
    assertThat(c.sql().text()).isEqualTo(SQL);
    assertThat(c.sql().params().subList(0, 7)).containsExactly(new Param("p0", "String", "zone"),
        new Param("p1", "String", "acme"), new Param("p2", "String", "reqs"),
        new Param("p3", "DateTime64(9)", START.minusSeconds(300)),
        new Param("p4", "DateTime64(9)", START.plusSeconds(3600)), new Param("p5", "String", "pod"),
        new Param("p6", "String", "web-.*"));
    assertThat(c.rollup()).isTrue();
    assertThat(c.rate()).isTrue();
  }

  static final String SQL = """
      SELECT '' AS Service, CAST(map(), 'Map(String, String)') AS Attrs, CAST([G0], 'Array(String)') AS Groups,
          arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(max(V)) AS RankValue, count() OVER () AS TotalSeries
      FROM (
          SELECT G0, Step, sum(V) AS V
          FROM (
              SELECT ServiceName, ResourceHash, AttributesHash, any(K0) AS G0, Step, sum(V) / {p13:Float64} AS V
              FROM (
                  SELECT ServiceName, ResourceHash, AttributesHash, K0, TimeNs, V,
                      arrayJoin(range(greatest(intDiv(TimeNs - {p7:Int64}, {p8:Int64}) - {p9:Int64}, 0), least(intDiv(TimeNs - {p7:Int64} + {p10:Int64}, {p8:Int64}) - {p9:Int64}, {p11:Int64}) + 1)) AS Step
                  FROM (
                      SELECT ServiceName, ResourceHash, AttributesHash, K0, R.2 AS TimeNs,
                          if(PrevLast IS NULL, if(R.5 > 1, R.4 - R.3, NULL), if(R.3 >= PrevLast, R.3 - PrevLast, R.3) + (R.4 - R.3)) + throwIf(R.6 > 0 OR R.4 < R.3, 'counter fell without a new start time: read raw points') AS V
                      FROM (
                          SELECT ServiceName, ResourceHash, AttributesHash, any(ResourceAttributes[{p0:String}]) AS K0
                              , arraySort(r -> r.1, groupArray((FirstPoint.1, toUnixTimestamp64Nano(toDateTime64(Minute, 9)), FirstPoint.2, LastPoint.2, PointCount, finalizeAggregation(Fall)))) AS Rows
                          FROM `otel`.`otel_metrics_counter_1m`
                          WHERE TenantId = {p1:String} AND MetricName = {p2:String}
                            AND Minute >= {p3:DateTime64(9)} AND Minute < {p4:DateTime64(9)}
                            AND match(Attributes[{p5:String}], concat('^(?:', {p6:String}, ')$'))
                          GROUP BY ServiceName, ResourceHash, AttributesHash
                      )
                      ARRAY JOIN Rows AS R, arrayPushFront(arrayPopBack(arrayMap(r -> toNullable(r.4), Rows)), NULL) AS PrevLast
                  )
                  WHERE TimeNs >= {p12:Int64}
              )
              GROUP BY ServiceName, ResourceHash, AttributesHash, Step
              HAVING isFinite(V)
          )
          GROUP BY G0, Step
      )
      GROUP BY G0
      ORDER BY RankValue DESC, G0
      LIMIT {p14:UInt32}""";
}
