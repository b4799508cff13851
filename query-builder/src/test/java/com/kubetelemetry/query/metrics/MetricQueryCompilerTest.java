/** Exact SQL text and parameters of compiled metric queries, one test per request shape, and their validation. */
package com.kubetelemetry.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricQuery.RankBy;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesLimit;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricQueryCompilerTest {
  static final MetricQueryCompiler COMPILER = new MetricQueryCompiler(new SchemaOptions("otel", 0, 0, 0),
      QueryLimits.defaults());
  static final TenantId TENANT = new TenantId("acme");
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final EvaluationGrid GRID = new EvaluationGrid(START, Duration.ofMinutes(1), 60, Duration.ofMinutes(1));
  static final MetricShape GAUGE = new MetricShape(MetricKind.GAUGE, false, false, "By");
  static final MetricShape COUNTER = new MetricShape(MetricKind.SUM, true, true, "1");
  static final MetricShape HISTOGRAM = new MetricShape(MetricKind.HISTOGRAM, true, false, "s");
  static final MetricShape EXP = new MetricShape(MetricKind.EXP_HISTOGRAM, false, false, "By");
  static final long ORIGIN = START.getEpochSecond() * 1_000_000_000L - 60_000_000_000L;

  /** The step parameters of GRID, starting at parameter {@code first}. */
  static List<Param> stepParams(int first) {
    return List.of(new Param("p" + first, "Int64", ORIGIN), new Param("p" + (first + 1), "Int64", 60_000_000_000L),
        new Param("p" + (first + 2), "Int64", 1L), new Param("p" + (first + 3), "Int64", 0L),
        new Param("p" + (first + 4), "Int64", 59L));
  }

  @Test
  void gaugeDefaultsToTheLastValuePerStepOverRawPoints() {
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("mem"), GAUGE, GRID, false);
    assertThat(c.sql().text()).isEqualTo(SQL1);
    assertThat(c.sql().params().subList(0, 4)).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "String", "mem"), new Param("p2", "DateTime64(9)", START),
        new Param("p3", "DateTime64(9)", START.plusSeconds(3600)));
    assertThat(c.sql().params().subList(4, 9)).isEqualTo(stepParams(4));
    assertThat(c.sql().params().get(9)).isEqualTo(new Param("p9", "UInt32", 100));
    assertThat(c.sql().settings()).containsEntry("readonly", "1").containsKey("max_execution_time");
    assertThat(c.rollup()).isFalse();
    assertThat(c.aggregated()).isFalse();
    assertThat(c.rate()).isFalse();
  }

  @Test
  void aggregatedGaugeWithMatchersReadsTheRollup() {
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("mem").withFunction(TemporalFunction.AVG)
        .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod")))
        .withAggregation(SeriesAggregation.SUM, List.of(new AttributeRef(Target.ITEM, "pod"))), GAUGE, GRID, true);
    assertThat(c.sql().text()).isEqualTo(SQL2);
    assertThat(c.sql().params().subList(0, 7)).containsExactly(new Param("p0", "String", "pod"),
        new Param("p1", "String", "acme"), new Param("p2", "String", "mem"),
        new Param("p3", "DateTime64(9)", START), new Param("p4", "DateTime64(9)", START.plusSeconds(3600)),
        new Param("p5", "String", "k8s.namespace.name"), new Param("p6", "String", "prod"));
    assertThat(c.rollup()).isTrue();
    assertThat(c.labelKeys()).containsExactly("pod");
  }

  @Test
  void counterRateReadsThePreviousPointAndCorrectsResets() {
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("reqs")
        .withLimit(new SeriesLimit(5, RankBy.LAST, true)), COUNTER, GRID, false);
    assertThat(c.sql().text()).isEqualTo(SQL3);
    assertThat(c.sql().params().get(2)).isEqualTo(new Param("p2", "DateTime64(9)", START.minusSeconds(300)));
    assertThat(c.sql().params().get(4)).isEqualTo(new Param("p4", "Int32", 2));
    assertThat(c.sql().params().subList(10, 13)).containsExactly(
        new Param("p10", "Int64", START.getEpochSecond() * 1_000_000_000L), new Param("p11", "Float64", 60.0),
        new Param("p12", "UInt32", 5));
    assertThat(c.rollup()).isFalse();
    assertThat(c.rate()).isTrue();
  }

  @Test
  void histogramQuantileMergesBucketIncreasesAcrossSeries() {
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("lat")
        .withStatistic(HistogramStatistic.QUANTILE, 0.99).withAggregation(SeriesAggregation.SUM, List.of()),
        HISTOGRAM, GRID, true);
    assertThat(c.sql().text()).isEqualTo(SQL4);
    assertThat(c.sql().params().subList(11, 13)).containsExactly(new Param("p11", "Float64", 0.99),
        new Param("p12", "UInt32", 100));
    assertThat(c.rate()).isFalse();
  }

  @Test
  void exponentialHistogramMeanOfDeltaPoints() {
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("size")
        .withStatistic(HistogramStatistic.MEAN, null).withFunction(TemporalFunction.INCREASE), EXP, GRID, true);
    assertThat(c.sql().text()).isEqualTo(SQL5);
    assertThat(c.sql().params().get(4)).isEqualTo(new Param("p4", "Int32", 1));
  }

  @Test
  void lookupReadsTheMetricCatalogForTheHoursOfThePeriod() {
    var sql = new MetricLookupCompiler(new SchemaOptions("otel", 0, 0, 0), QueryLimits.defaults())
        .compile(TENANT, "mem", START, START.plusSeconds(60));
    assertThat(sql.text()).isEqualTo("""
        SELECT toUInt8(MetricType) AS Kind, argMaxMerge(Temporality) AS Temporality, \
        toUInt8(argMaxMerge(Monotonic)) AS Monotonic, argMaxMerge(Unit) AS Unit
        FROM `otel`.`metrics_catalog`
        WHERE TenantId = {p2:String} AND MetricName = {p3:String}
          AND Hour >= toStartOfHour({p0:DateTime64(9)}) AND Hour < {p1:DateTime64(9)}
          AND FirstSeen < {p1:DateTime64(9)} AND LastSeen >= {p0:DateTime64(9)}
        GROUP BY MetricType
        ORDER BY Kind""");
    assertThat(sql.params()).containsExactly(new Param("p0", "DateTime64(9)", START),
        new Param("p1", "DateTime64(9)", START.plusSeconds(60)), new Param("p2", "String", "acme"),
        new Param("p3", "String", "mem"));
  }

  @Test
  void windowsLongerThanTheStepReachFurtherBack() {
    EvaluationGrid grid = new EvaluationGrid(START, Duration.ofMinutes(1), 10, Duration.ofMinutes(5));
    CompiledMetricQuery c = COMPILER.compile(TENANT, MetricQuery.of("mem"), GAUGE, grid, false);
    assertThat(c.sql().params().get(2)).isEqualTo(new Param("p2", "DateTime64(9)", START.minusSeconds(240)));
    assertThat(c.sql().params().subList(4, 9)).containsExactly(
        new Param("p4", "Int64", START.getEpochSecond() * 1_000_000_000L - 5 * 60_000_000_000L),
        new Param("p5", "Int64", 60_000_000_000L), new Param("p6", "Int64", 5L),
        new Param("p7", "Int64", 240_000_000_000L), new Param("p8", "Int64", 9L));
  }

  @Test
  void rollupIsUsedOnlyWhenItIsExact() {
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("mem"), GAUGE, GRID, true).rollup()).isTrue();
    EvaluationGrid seconds = new EvaluationGrid(START, Duration.ofSeconds(30), 10, Duration.ofSeconds(30));
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("mem"), GAUGE, seconds, true).rollup()).isFalse();
    EvaluationGrid offset = new EvaluationGrid(START.plusSeconds(1), Duration.ofMinutes(1), 10,
        Duration.ofMinutes(1));
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("mem"), GAUGE, offset, true).rollup()).isFalse();
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("reqs"), COUNTER, GRID, true).rollup()).isTrue();
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("reqs"), COUNTER, seconds, true).rollup()).isFalse();
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("reqs").withFunction(TemporalFunction.MAX), COUNTER, GRID,
        true).rollup()).isTrue();
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("mem").withMatchers(List.of(
        AttributeMatcher.of(Target.SCOPE, "lib", Op.EQ, "x"))), GAUGE, GRID, true).rollup()).isFalse();
    assertThat(COMPILER.compile(TENANT, MetricQuery.of("lat").withStatistic(HistogramStatistic.COUNT, null),
        HISTOGRAM, GRID, true).rollup()).isFalse();
  }

  @Test
  void invalidRequestsNameTheField() {
    assertField(MetricQuery.of(""), GAUGE, "query.metric_name");
    assertField(MetricQuery.of("x".repeat(1025)), GAUGE, "query.metric_name");
    assertField(MetricQuery.of("mem").withFunction(TemporalFunction.RATE), GAUGE, "query.temporal_function");
    assertField(MetricQuery.of("lat").withFunction(TemporalFunction.AVG).withStatistic(HistogramStatistic.COUNT,
        null), HISTOGRAM, "query.temporal_function");
    assertField(MetricQuery.of("mem").withStatistic(HistogramStatistic.MEAN, null), GAUGE,
        "query.histogram_statistic");
    assertField(MetricQuery.of("mem").withStatistic(null, 0.5), GAUGE, "query.quantile");
    assertField(MetricQuery.of("lat"), HISTOGRAM, "query.histogram_statistic");
    assertField(MetricQuery.of("lat").withStatistic(HistogramStatistic.QUANTILE, null), HISTOGRAM,
        "query.quantile");
    assertField(MetricQuery.of("lat").withStatistic(HistogramStatistic.QUANTILE, 1.5), HISTOGRAM,
        "query.quantile");
    assertField(MetricQuery.of("lat").withStatistic(HistogramStatistic.QUANTILE, Double.NaN), HISTOGRAM,
        "query.quantile");
    assertField(MetricQuery.of("lat").withStatistic(HistogramStatistic.QUANTILE, 0.5)
        .withAggregation(SeriesAggregation.AVG, List.of()), HISTOGRAM, "query.aggregation");
    assertField(MetricQuery.of("mem").withAggregation(SeriesAggregation.NONE,
        List.of(new AttributeRef(Target.ITEM, "pod"))), GAUGE, "query.group_by");
    assertField(MetricQuery.of("mem").withAggregation(SeriesAggregation.SUM, List.of(
        new AttributeRef(Target.ITEM, "pod"), new AttributeRef(Target.RESOURCE, "pod"))), GAUGE,
        "query.group_by[1].key");
    assertField(MetricQuery.of("mem").withAggregation(SeriesAggregation.SUM, List.of(
        new AttributeRef(Target.COLUMN, "no_such_field"))), GAUGE, "query.group_by[0].key");
    assertField(MetricQuery.of("mem").withLimit(new SeriesLimit(10_001, RankBy.MAX, false)), GAUGE,
        "query.limit.max_series");
    assertField(MetricQuery.of("mem").withWindow(Duration.ZERO), GAUGE, "query.window");
    assertField(MetricQuery.of("s"), new MetricShape(MetricKind.SUMMARY, false, false, ""),
        "query.histogram_statistic");
    assertField(MetricQuery.of("s").withStatistic(HistogramStatistic.QUANTILE, null),
        new MetricShape(MetricKind.SUMMARY, false, false, ""), "query.quantile");
  }

  private static void assertField(MetricQuery q, MetricShape shape, String field) {
    assertThatThrownBy(() -> COMPILER.compile(TENANT, q, shape, GRID, true))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
        });
  }

  static final String SQL1 = """
        SELECT toString(ServiceName) AS Service, CAST(any(Labels), 'Map(String, String)') AS Attrs, CAST([], 'Array(String)') AS Groups,
            arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(max(V)) AS RankValue, count() OVER () AS TotalSeries
        FROM (
            SELECT ServiceName, ResourceHash, AttributesHash, any(Attributes) AS Labels, Step, argMax(V, TimeNs) AS V
            FROM (
                SELECT ServiceName, ResourceHash, AttributesHash, Attributes, TimeNs, Value AS V,
                    arrayJoin(range(greatest(intDiv(TimeNs - {p4:Int64}, {p5:Int64}) - {p6:Int64}, 0), least(intDiv(TimeNs - {p4:Int64} + {p7:Int64}, {p5:Int64}) - {p6:Int64}, {p8:Int64}) + 1)) AS Step
                FROM (
                    SELECT ServiceName, ResourceHash, AttributesHash, Attributes, toUnixTimestamp64Nano(TimeUnix) AS TimeNs, Value
                    FROM `otel`.`otel_metrics_gauge`
                    WHERE TenantId = {p0:String} AND MetricName = {p1:String}
                      AND TimeUnix >= {p2:DateTime64(9)} AND TimeUnix < {p3:DateTime64(9)}
                )
            )
            GROUP BY ServiceName, ResourceHash, AttributesHash, Step
            HAVING isFinite(V)
        )
        GROUP BY ServiceName, ResourceHash, AttributesHash
        ORDER BY RankValue DESC, Service, ResourceHash, AttributesHash
        LIMIT {p9:UInt32}""";

  static final String SQL2 = """
        SELECT '' AS Service, CAST(map(), 'Map(String, String)') AS Attrs, CAST([G0], 'Array(String)') AS Groups,
            arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(max(V)) AS RankValue, count() OVER () AS TotalSeries
        FROM (
            SELECT G0, Step, sum(V) AS V
            FROM (
                SELECT ServiceName, ResourceHash, AttributesHash, any(K0) AS G0, Step, sum(SumValue) / sum(PointCount) AS V
                FROM (
                    SELECT ServiceName, ResourceHash, AttributesHash, K0, TimeNs, MinValue, MaxValue, SumValue, PointCount, LastValue,
                        arrayJoin(range(greatest(intDiv(TimeNs - {p7:Int64}, {p8:Int64}) - {p9:Int64}, 0), least(intDiv(TimeNs - {p7:Int64} + {p10:Int64}, {p8:Int64}) - {p9:Int64}, {p11:Int64}) + 1)) AS Step
                    FROM (
                        SELECT ServiceName, ResourceHash, AttributesHash, Attributes[{p0:String}] AS K0, toUnixTimestamp64Nano(toDateTime64(Minute, 9)) AS TimeNs, MinValue, MaxValue, SumValue, PointCount, LastValue
                        FROM `otel`.`otel_metrics_rollup_1m`
                        WHERE TenantId = {p1:String} AND MetricName = {p2:String} AND Source = 'gauge'
                          AND Minute >= {p3:DateTime64(9)} AND Minute < {p4:DateTime64(9)}
                          AND ResourceAttributes[{p5:String}] = {p6:String}
                    )
                )
                GROUP BY ServiceName, ResourceHash, AttributesHash, Step
                HAVING isFinite(V)
            )
            GROUP BY G0, Step
        )
        GROUP BY G0
        ORDER BY RankValue DESC, G0
        LIMIT {p12:UInt32}""";

  static final String SQL3 = """
        SELECT toString(ServiceName) AS Service, CAST(any(Labels), 'Map(String, String)') AS Attrs, CAST([], 'Array(String)') AS Groups,
            arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(argMax(V, Step)) AS RankValue, count() OVER () AS TotalSeries
        FROM (
            SELECT ServiceName, ResourceHash, AttributesHash, any(Attributes) AS Labels, Step, sum(V) / {p11:Float64} AS V
            FROM (
                SELECT ServiceName, ResourceHash, AttributesHash, Attributes, TimeNs, if(Prev IS NULL, NULL, if(Value >= Prev, Value - Prev, Value)) AS V,
                    arrayJoin(range(greatest(intDiv(TimeNs - {p5:Int64}, {p6:Int64}) - {p7:Int64}, 0), least(intDiv(TimeNs - {p5:Int64} + {p8:Int64}, {p6:Int64}) - {p7:Int64}, {p9:Int64}) + 1)) AS Step
                FROM (
                    SELECT ServiceName, ResourceHash, AttributesHash, SeriesAttributes AS Attributes, P.1 AS TimeNs, P.2 AS Value, Prev
                    FROM (
                        SELECT ServiceName, ResourceHash, AttributesHash, any(Attributes) AS SeriesAttributes
                            , arraySort(p -> p.1, groupArray((toUnixTimestamp64Nano(TimeUnix), Value))) AS Pts
                        FROM `otel`.`otel_metrics_sum`
                        WHERE TenantId = {p0:String} AND MetricName = {p1:String}
                          AND TimeUnix >= {p2:DateTime64(9)} AND TimeUnix < {p3:DateTime64(9)}
                          AND AggregationTemporality = {p4:Int32}
                        GROUP BY ServiceName, ResourceHash, AttributesHash
                    )
                    ARRAY JOIN Pts AS P, arrayPushFront(arrayPopBack(arrayMap(p -> toNullable(p.2), Pts)), NULL) AS Prev
                )
                WHERE TimeNs >= {p10:Int64}
            )
            GROUP BY ServiceName, ResourceHash, AttributesHash, Step
            HAVING isFinite(V)
        )
        GROUP BY ServiceName, ResourceHash, AttributesHash
        ORDER BY RankValue ASC, Service, ResourceHash, AttributesHash
        LIMIT {p12:UInt32}""";

  static final String SQL4 = """
        SELECT '' AS Service, CAST(map(), 'Map(String, String)') AS Attrs, CAST([], 'Array(String)') AS Groups,
            arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(max(V)) AS RankValue, count() OVER () AS TotalSeries
        FROM (
            SELECT Step,
                arraySort(x -> x.2, arrayMap((k, c) -> (if(k = 0, if(HLayout[1] > 0, 0., HLayout[1]), HLayout[k]), if(k < length(HLayout), HLayout[k + 1], inf), toFloat64(greatest(c, 0))), mapKeys(HBuckets), mapValues(HBuckets))) AS Bk,
                arrayCumSum(arrayMap(x -> x.3, Bk)) AS Cum, {p11:Float64} * Cum[-1] AS Rank,
                arrayFirstIndex((b, x) -> b.3 > 0 AND x >= Rank, Bk, Cum) AS Idx,
                if(Idx = 0, nan, if(isInfinite(Bk[Idx].2), Bk[Idx].1, Bk[Idx].1 + (Bk[Idx].2 - Bk[Idx].1) * (Rank - (Cum[Idx] - Bk[Idx].3)) / Bk[Idx].3)) AS V
            FROM (
                SELECT Step, sum(HCount) AS HCount, sum(HSum) AS HSum, sumMap(HBuckets) AS HBuckets, any(HLayout) AS HLayout
                FROM (
                    SELECT ServiceName, ResourceHash, AttributesHash, Step, sum(DCount) AS HCount, sum(DSum) AS HSum, sumMap(DBuckets) AS HBuckets, any(HLayout) AS HLayout
                    FROM (
                        SELECT ServiceName, ResourceHash, AttributesHash, TimeNs, HLayout, HCount < PrevCount OR HLayout != PrevLayout AS Reset,
                            if(Reset, HCount, HCount - PrevCount) AS DCount, if(Reset, HSum, HSum - PrevSum) AS DSum,
                            if(Reset, HBuckets, mapSubtract(HBuckets, PrevBuckets)) AS DBuckets,
                            arrayJoin(range(greatest(intDiv(TimeNs - {p5:Int64}, {p6:Int64}) - {p7:Int64}, 0), least(intDiv(TimeNs - {p5:Int64} + {p8:Int64}, {p6:Int64}) - {p7:Int64}, {p9:Int64}) + 1)) AS Step
                        FROM (
                            SELECT ServiceName, ResourceHash, AttributesHash, P.1 AS TimeNs, P.2 AS HCount, P.3 AS HSum, P.4 AS HBuckets, P.5 AS HLayout, PrevCount, PrevSum, PrevBuckets, PrevLayout
                            FROM (
                                SELECT ServiceName, ResourceHash, AttributesHash
                                    , arraySort(p -> p.1, groupArray((toUnixTimestamp64Nano(TimeUnix), toFloat64(Count), Sum, mapFromArrays(arrayMap(i -> toInt64(i), range(length(BucketCounts))), arrayMap(c -> toInt64(c), BucketCounts)), ExplicitBounds))) AS Pts
                                FROM `otel`.`otel_metrics_histogram`
                                WHERE TenantId = {p0:String} AND MetricName = {p1:String}
                                  AND TimeUnix >= {p2:DateTime64(9)} AND TimeUnix < {p3:DateTime64(9)}
                                  AND AggregationTemporality = {p4:Int32}
                                GROUP BY ServiceName, ResourceHash, AttributesHash
                            )
                            ARRAY JOIN Pts AS P, arrayPushFront(arrayPopBack(arrayMap(p -> toNullable(p.2), Pts)), NULL) AS PrevCount, arrayPushFront(arrayPopBack(arrayMap(p -> p.3, Pts)), arrayMap(p -> p.3, Pts)[1]) AS PrevSum, arrayPushFront(arrayPopBack(arrayMap(p -> p.4, Pts)), arrayMap(p -> p.4, Pts)[1]) AS PrevBuckets, arrayPushFront(arrayPopBack(arrayMap(p -> p.5, Pts)), arrayMap(p -> p.5, Pts)[1]) AS PrevLayout
                        )
                        WHERE TimeNs >= {p10:Int64} AND PrevCount IS NOT NULL
                    )
                    GROUP BY ServiceName, ResourceHash, AttributesHash, Step
                )
                GROUP BY Step
            )
            WHERE isFinite(V)
        )
        HAVING count() > 0
        ORDER BY RankValue DESC
        LIMIT {p12:UInt32}""";

  static final String SQL5 = """
        SELECT toString(ServiceName) AS Service, CAST(any(Labels), 'Map(String, String)') AS Attrs, CAST([], 'Array(String)') AS Groups,
            arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(max(V)) AS RankValue, count() OVER () AS TotalSeries
        FROM (
            SELECT ServiceName, ResourceHash, AttributesHash, Labels, Step, HSum / HCount AS V
            FROM (
                SELECT ServiceName, ResourceHash, AttributesHash, any(Attributes) AS Labels, Step, sum(DCount) AS HCount, sum(DSum) AS HSum, sumMap(DBuckets) AS HBuckets, any(HLayout) AS HLayout
                FROM (
                    SELECT ServiceName, ResourceHash, AttributesHash, Attributes, TimeNs, HLayout, HCount AS DCount, HSum AS DSum, HBuckets AS DBuckets,
                        arrayJoin(range(greatest(intDiv(TimeNs - {p5:Int64}, {p6:Int64}) - {p7:Int64}, 0), least(intDiv(TimeNs - {p5:Int64} + {p8:Int64}, {p6:Int64}) - {p7:Int64}, {p9:Int64}) + 1)) AS Step
                    FROM (
                        SELECT ServiceName, ResourceHash, AttributesHash, Attributes, toUnixTimestamp64Nano(TimeUnix) AS TimeNs, toFloat64(Count) AS HCount, Sum AS HSum, mapFromArrays(arrayConcat([toInt64(0)], arrayMap(j -> (toInt64(Scale) + 100) * 8589934592 + toInt64(PositiveOffset) + toInt64(j) + 4294967296, range(length(PositiveBucketCounts)))), arrayConcat([toInt64(ZeroCount)], arrayMap(c -> toInt64(c), PositiveBucketCounts))) AS HBuckets, [toFloat64(Scale)] AS HLayout
                        FROM `otel`.`otel_metrics_exp_histogram`
                        WHERE TenantId = {p0:String} AND MetricName = {p1:String}
                          AND TimeUnix >= {p2:DateTime64(9)} AND TimeUnix < {p3:DateTime64(9)}
                          AND AggregationTemporality = {p4:Int32}
                    )
                )
                GROUP BY ServiceName, ResourceHash, AttributesHash, Step
            )
            WHERE isFinite(V)
        )
        GROUP BY ServiceName, ResourceHash, AttributesHash
        ORDER BY RankValue DESC, Service, ResourceHash, AttributesHash
        LIMIT {p10:UInt32}""";
}
