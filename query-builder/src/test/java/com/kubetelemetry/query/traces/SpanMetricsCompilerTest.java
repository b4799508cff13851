/** Exact SQL and parameters of span metrics queries, the default step, and the validation of their fields. */
package com.kubetelemetry.query.traces;

import static com.kubetelemetry.query.traces.TraceFixtures.METRICS;
import static com.kubetelemetry.query.traces.TraceFixtures.NOW;
import static com.kubetelemetry.query.traces.TraceFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.sql.Param;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanMetricsCompilerTest {
  static final String FILTERED = """
        SELECT GroupService, GroupSpan, GroupKind, sum(BucketRequests) AS Requests,
            sum(BucketErrors) AS Errors, quantilesExactMerge({p3:Float64}, {p4:Float64})(BucketState) AS Latencies,
            arraySort(p -> p.1, groupArray((Bucket, BucketRequests, BucketErrors,
                finalizeAggregation(BucketState)))) AS Points
        FROM (
            SELECT ServiceName AS GroupService, SpanName AS GroupSpan, SpanKind AS GroupKind,
                intDiv(toInt64(toUnixTimestamp(Timestamp)) - {p5:Int64}, {p6:Int64}) AS Bucket,
                count() AS BucketRequests, countIf(StatusCode = 'Error') AS BucketErrors,
                quantilesExactState({p3:Float64}, {p4:Float64})(Duration) AS BucketState
            FROM `otel`.`otel_traces`
            WHERE TenantId = {p0:String}
              AND Timestamp >= {p1:DateTime64(9)}
              AND Timestamp < {p2:DateTime64(9)}
              AND ServiceName = {p7:String}
              AND SpanName = {p8:String}
              AND SpanKind IN ('Server', 'Consumer')
              AND ResourceAttributes[{p9:String}] = {p10:String}
            GROUP BY GroupService, GroupSpan, GroupKind, Bucket
        )
        GROUP BY GroupService, GroupSpan, GroupKind
        ORDER BY Requests DESC, GroupService, GroupSpan, GroupKind
        LIMIT {p11:UInt32}""";

  @Test
  void perOperationWithFiltersAndQuantiles() {
    CompiledSpanMetrics compiled = METRICS.compile(TENANT, SpanMetricsQuery.over(null).withService("s")
        .withSpanName("n").withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k", Op.EQ, "v")))
        .withQuantiles(List.of(0.5, 0.99)));
    assertThat(compiled.sql().text()).isEqualTo(FILTERED);
    Instant start = NOW.minusSeconds(3600);
    assertThat(compiled.sql().params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", start), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "Float64", 0.5), new Param("p4", "Float64", 0.99),
        new Param("p5", "Int64", start.getEpochSecond()), new Param("p6", "Int64", 15L),
        new Param("p7", "String", "s"), new Param("p8", "String", "n"), new Param("p9", "String", "k"),
        new Param("p10", "String", "v"), new Param("p11", "UInt32", 101));
    assertThat(compiled.grid().points()).isEqualTo(240);
    assertThat(compiled.quantiles()).containsExactly(0.5, 0.99);
    assertThat(compiled.maxSeries()).isEqualTo(100);
  }

  @Test
  void perServiceWithAKindAndDefaultQuantiles() {
    CompiledSpanMetrics compiled = METRICS.compile(TENANT, SpanMetricsQuery.over(TimeRange.last("1d"))
        .withGrouping(SpanMetricsQuery.Grouping.SERVICE).withKind(SpanKind.CLIENT).withStep(Duration.ofHours(1))
        .withMaxSeries(5));
    assertThat(compiled.sql().text())
        .contains("    SELECT ServiceName AS GroupService, '' AS GroupSpan, '' AS GroupKind,\n")
        .contains("quantilesExactState({p3:Float64}, {p4:Float64}, {p5:Float64})(Duration)")
        .contains("      AND SpanKind = {p8:String}\n    GROUP BY")
        .doesNotContain("IN ('Server', 'Consumer')");
    assertThat(compiled.sql().params()).contains(new Param("p8", "String", "Client"),
        new Param("p9", "UInt32", 6), new Param("p7", "Int64", 3600L));
    assertThat(compiled.grid().points()).isEqualTo(24);
    assertThat(compiled.quantiles()).containsExactly(0.5, 0.95, 0.99);
  }

  @Test
  void defaultStepGivesAbout300Points() {
    assertThat(SpanMetricsCompiler.autoStep(new TimeWindow(NOW.minusSeconds(3600), NOW))).hasSeconds(15);
    assertThat(SpanMetricsCompiler.autoStep(new TimeWindow(NOW.minusSeconds(60), NOW))).hasSeconds(1);
    assertThat(SpanMetricsCompiler.autoStep(new TimeWindow(NOW.minus(Duration.ofDays(1)), NOW))).hasSeconds(300);
    assertThat(SpanMetricsCompiler.autoStep(new TimeWindow(NOW.minus(Duration.ofDays(31)), NOW)))
        .hasSeconds(3 * 3600);
  }

  @Test
  void badFieldsAreNamed() {
    assertField(SpanMetricsQuery.over(null).withQuantiles(List.of(0.5, 1.5)), "quantiles[1]");
    assertField(SpanMetricsQuery.over(null).withQuantiles(List.of(Double.NaN)), "quantiles[0]");
    assertField(SpanMetricsQuery.over(null).withQuantiles(Collections.nCopies(11, 0.5)), "quantiles");
    assertField(SpanMetricsQuery.over(null).withMaxSeries(1001), "max_series");
    assertField(SpanMetricsQuery.over(null).withStep(Duration.ofMillis(1500)), "time_range.step");
    assertField(SpanMetricsQuery.over(null).withStep(Duration.ofSeconds(0)), "time_range.step");
    assertField(SpanMetricsQuery.over(TimeRange.last("7d")).withStep(Duration.ofSeconds(1)), "time_range.step");
    assertField(SpanMetricsQuery.over(null).withService("x".repeat(1025)), "service_name");
    assertField(SpanMetricsQuery.over(null).withMatchers(List.of(AttributeMatcher.of(Target.COLUMN, "nope",
        Op.EQ, "v"))), "matchers[0].key");
  }

  private static void assertField(SpanMetricsQuery query, String field) {
    assertThatThrownBy(() -> METRICS.compile(TENANT, query))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
