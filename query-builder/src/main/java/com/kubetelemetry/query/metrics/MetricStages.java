/** Renders a resolved metric query as nested SELECT stages: read points, assign steps, per-series function, combine. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.AttributeExpression;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.HistogramStatistic;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.CounterRollupDdl;
import com.kubetelemetry.schema.MetricRollupDdl;
import com.kubetelemetry.schema.SchemaOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stages, innermost first: (A) points of the tenant's metric in the period with the series identity
 * (ServiceName, ResourceHash, AttributesHash: stored hashes group and sort faster than maps; the point attributes ride
 * along for the labels only when series are not combined) and group values K0..; for rates of cumulative series also
 * the previous point of the series (from the series' sorted points), or from the counter rollup each minute's
 * reset-corrected increase; (B) per point: its delta and the steps whose windows contain it (arrayJoin); (C) per
 * series and step: the temporal function; (D) per group and step: the aggregation; (E) per series: points, rank
 * value and the series count, ordered and limited. Histograms carry bucket counts as Map(Int64 bucket key, Int64
 * count) until the statistic is computed.
 */
final class MetricStages {
  /** The series identity; both hashes are stored columns of the raw tables (SeriesHashDdl) and of the rollup. */
  private static final String SERIES = "ServiceName, ResourceHash, AttributesHash";
  
  private final SchemaOptions schema;
  private final TenantId tenant;
  private final ResolvedMetricQuery q;
  private final SqlBuilder sql = new SqlBuilder();
  private final List<String> keyNames = new ArrayList<>();
  private String quantileParam;

  MetricStages(SchemaOptions schema, TenantId tenant, ResolvedMetricQuery q) {
    this.schema = schema;
    this.tenant = tenant;
    this.q = q;
  }

  SqlBuilder render() {
    List<String> a = q.counterRollup() ? counterRollupPoints() : q.rollup() ? rollupPoints() : rawPoints();
    List<String> b = steps(a);
    List<String> c = perSeries(b);
    List<String> d = q.aggregated() ? combined(c) : c;
    if (q.histogram() && q.distributionStatistic()) {
      d = distributionValue(d);
    }
    for (String line : series(d)) {
      sql.line(line);
    }
    return sql;
  }

  private String groupValues(String prefix) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < keyNames.size(); i++) {
      out.append(", ").append(prefix).append(i);
    }
    return out.toString();
  }

  /** Stage A on the raw table. */
  private List<String> rawPoints() {
    return q.needsPrevious() ? rawPointsWithPrevious() : rawPointsAlone();
  }

  /** The per-point values of stage A, each as {expression, alias}. */
  private List<String[]> pointValues() {
    return switch (q.shape().kind()) {
      case GAUGE, SUM -> List.<String[]>of(new String[] {"Value", "Value"});
      case SUMMARY -> List.<String[]>of(new String[] {switch (q.statistic()) {
        case COUNT -> "toFloat64(Count)";
        case SUM -> "Sum";
        default -> "arrayElement(ValueAtQuantiles.Value, indexOf(ValueAtQuantiles.Quantile, " + summaryQuantile()
            + "))";
      }, "Value"});
      case HISTOGRAM -> List.of(new String[] {"toFloat64(Count)", "HCount"}, new String[] {"Sum", "HSum"},
          new String[] {"mapFromArrays(arrayMap(i -> toInt64(i), range(length(BucketCounts))), arrayMap(c -> "
              + "toInt64(c), BucketCounts))", "HBuckets"}, new String[] {"ExplicitBounds", "HLayout"});
      default -> List.of(new String[] {"toFloat64(Count)", "HCount"}, new String[] {"Sum", "HSum"},
          new String[] {"mapFromArrays(arrayConcat([toInt64(0)], arrayMap(j -> (toInt64(Scale) + 100) * 8589934592 "
              + "+ toInt64(PositiveOffset) + toInt64(j) + 4294967296, range(length(PositiveBucketCounts)))), "
              + "arrayConcat([toInt64(ZeroCount)], arrayMap(c -> toInt64(c), PositiveBucketCounts)))", "HBuckets"},
          new String[] {"[toFloat64(Scale)]", "HLayout"});
    };
  }

  private List<String> rawPointsAlone() {
    List<String> out = new ArrayList<>();
    StringBuilder values = new StringBuilder();
    for (String[] v : pointValues()) {
      values.append(", ").append(v[0].equals(v[1]) ? v[0] : v[0] + " AS " + v[1]);
    }
    out.add("SELECT " + SERIES + carried("Attributes") + keyExpressions("") + ", toUnixTimestamp64Nano(TimeUnix) AS TimeNs"
        + values);
    out.addAll(rawSource(q.grid().firstCovered()));
    return out;
  }

  /**
   * Each point with the value(s) of the point before it in its series (NULL count/value for the first). The points
   * of a series are gathered into one time-sorted array and paired with the array shifted by one: much cheaper than
   * a window function, which sorts every carried column (group values included) across all points.
   */
  private List<String> rawPointsWithPrevious() {
    List<String[]> values = pointValues();
    StringBuilder tuple = new StringBuilder("toUnixTimestamp64Nano(TimeUnix)");
    StringBuilder unpack = new StringBuilder("P.1 AS TimeNs");
    StringBuilder previous = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      String[] v = values.get(i);
      tuple.append(", ").append(v[0]);
      unpack.append(", P.").append(i + 2).append(" AS ").append(v[1]);
      // The first point's "previous" is NULL for the value/count (stage B drops or nulls that point's delta);
      // the other columns just repeat their first element, which nothing reads.
      String column = "arrayMap(p -> " + (i == 0 ? "toNullable(p.2)" : "p." + (i + 2)) + ", Pts)";
      String shifted = "arrayPushFront(arrayPopBack(" + column + "), " + (i == 0 ? "NULL" : column + "[1]") + ")";
      previous.append(i == 0 ? "" : ", ").append(shifted).append(" AS Prev")
          .append(v[1].equals("Value") ? "" : v[1].substring(1));
    }
    // The inner select first: it names the group values (and numbers its parameters) before the outer one.
    String inner = "    SELECT " + SERIES + carried("any(Attributes) AS SeriesAttributes") + keyExpressions("any");
    List<String> out = new ArrayList<>();
    out.add("SELECT " + SERIES + (q.aggregated() ? "" : ", SeriesAttributes AS Attributes") + groupValues("K")
        + ", " + unpack + ", " + (values.size() == 1 ? "Prev" : "PrevCount, PrevSum, PrevBuckets, PrevLayout"));
    out.add("FROM (");
    out.add(inner);
    out.add("        , arraySort(p -> p.1, groupArray((" + tuple + "))) AS Pts");
    Instant readStart = q.grid().firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    for (String line : rawSource(readStart)) {
      out.add("    " + line);
    }
    out.add("    GROUP BY " + SERIES);
    out.add(")");
    out.add("ARRAY JOIN Pts AS P, " + previous);
    return out;
  }

  /** FROM and WHERE of stage A on the raw table, reading points from {@code readStart}. */
  private List<String> rawSource(Instant readStart) {
    MetricKind kind = q.shape().kind();
    List<String> out = new ArrayList<>();
    out.add("FROM " + schema.qualified(kind.table().table()));
    out.add("WHERE TenantId = " + sql.param("String", tenant.tenant()) + " AND MetricName = "
        + sql.param("String", q.metricName()));
    out.add("  AND TimeUnix >= " + sql.param("DateTime64(9)", readStart) + " AND TimeUnix < "
        + sql.param("DateTime64(9)", q.grid().end()));
    if (kind == MetricKind.SUMMARY) {
      if (q.statistic() == HistogramStatistic.QUANTILE) {
        out.add("  AND has(ValueAtQuantiles.Quantile, " + summaryQuantile() + ")");
      }
    } else if (kind != MetricKind.GAUGE) {
      out.add("  AND AggregationTemporality = " + sql.param("Int32", q.shape().cumulative() ? 2 : 1));
    }
    matchers(out, kind);
    return out;
  }

  /** The requested quantile of a summary, bound once. */
  private String summaryQuantile() {
    if (quantileParam == null) {
      quantileParam = sql.param("Float64", q.quantile());
    }
    return quantileParam;
  }

  /** Stage A on the 1-minute rollup (gauges and sums only). */
  private List<String> rollupPoints() {
    MetricKind kind = q.shape().kind();
    List<String> out = new ArrayList<>();
    out.add("SELECT ServiceName, ResourceHash, AttributesHash" + carried("Attributes") + keyExpressions("")
        + ", toUnixTimestamp64Nano(toDateTime64(Minute, 9)) AS TimeNs, MinValue, MaxValue, SumValue, PointCount,"
        + " LastValue");
    out.add("FROM " + schema.qualified(MetricRollupDdl.ROLLUP));
    out.add("WHERE TenantId = " + sql.param("String", tenant.tenant()) + " AND MetricName = "
        + sql.param("String", q.metricName()) + " AND Source = '" + (kind == MetricKind.GAUGE ? "gauge" : "sum")
        + "'");
    out.add("  AND Minute >= " + sql.param("DateTime64(9)", q.grid().firstCovered()) + " AND Minute < "
        + sql.param("DateTime64(9)", q.grid().end()));
    if (kind != MetricKind.GAUGE) {
      out.add("  AND Temporality = " + sql.param("Int32", q.shape().cumulative() ? 2 : 1));
    }
    matchers(out, kind);
    return out;
  }

  /**
   * Stage A on the counter rollup: per series and minute, the sum of the reset-corrected deltas of its points, as
   * the raw stages would compute them. The rollup rows of a series (one per minute and start time, or several
   * until the engine merges the inserts that wrote them) are sorted by their first point; a row's deltas are the
   * step from the previous row's last value to its first (a drop is a reset) plus its own rise, last minus first.
   * The first row read has no previous value, so its first point has no delta (a row of one point then has none at
   * all). A row whose value fell inside it stops the statement ({@link MetricQueryCompiler#COUNTER_FALL}), so the
   * caller reads raw points instead. Rows are read without merging their states (finalizeAggregation per row):
   * cheaper than grouping by minute and start time, and the same sums.
   */
  private List<String> counterRollupPoints() {
    // The inner select first: it names the group values (and numbers its parameters) before the outer one.
    String inner = "    SELECT " + SERIES + carried("any(Attributes) AS SeriesAttributes") + keyExpressions("any");
    List<String> out = new ArrayList<>();
    out.add("SELECT " + SERIES + (q.aggregated() ? "" : ", SeriesAttributes AS Attributes") + groupValues("K")
        + ", R.2 AS TimeNs,");
    out.add("    if(PrevLast IS NULL, if(R.5 > 1, R.4 - R.3, NULL), if(R.3 >= PrevLast, R.3 - PrevLast, R.3)"
        + " + (R.4 - R.3)) + throwIf(R.6 > 0 OR R.4 < R.3, '" + MetricQueryCompiler.COUNTER_FALL + "') AS V");
    out.add("FROM (");
    out.add(inner);
    // Sorted by the first point's time alone: a key of one Int64 sorts far faster than a tuple key.
    out.add("        , arraySort(r -> r.1, groupArray((FirstPoint.1, toUnixTimestamp64Nano(toDateTime64(Minute, 9)),"
        + " FirstPoint.2, LastPoint.2, PointCount, finalizeAggregation(Fall)))) AS Rows");
    out.add("    FROM " + schema.qualified(CounterRollupDdl.ROLLUP));
    out.add("    WHERE TenantId = " + sql.param("String", tenant.tenant()) + " AND MetricName = "
        + sql.param("String", q.metricName()));
    Instant readStart = q.grid().firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK);
    out.add("      AND Minute >= " + sql.param("DateTime64(9)", readStart) + " AND Minute < "
        + sql.param("DateTime64(9)", q.grid().end()));
    List<String> filters = new ArrayList<>();
    matchers(filters, q.shape().kind());
    filters.forEach(f -> out.add("    " + f));
    out.add("    GROUP BY " + SERIES);
    out.add(")");
    out.add("ARRAY JOIN Rows AS R, arrayPushFront(arrayPopBack(arrayMap(r -> toNullable(r.4), Rows)), NULL)"
        + " AS PrevLast");
    return out;
  }

  /** The group values K0.. of stage A, each wrapped in {@code aggregate} when one is given. */
  private String keyExpressions(String aggregate) {
    StringBuilder out = new StringBuilder();
    List<AttributeRef> keys = q.aggregated() ? q.groupBy() : List.of();
    for (int i = 0; i < keys.size(); i++) {
      String expr = AttributeExpression.render(keys.get(i), q.shape().kind().table(), "query.group_by[" + i + "]",
          sql);
      keyNames.add("K" + i);
      out.append(", ").append(aggregate.isEmpty() ? expr : aggregate + "(" + expr + ")").append(" AS K").append(i);
    }
    return out.toString();
  }

  private void matchers(List<String> out, MetricKind kind) {
    List<AttributeMatcher> ms = q.matchers();
    for (int i = 0; i < ms.size(); i++) {
      out.add("  AND " + MatcherPredicate.render(ms.get(i), kind.table(), "query.matchers[" + i + "]", sql));
    }
  }

  /** Stage B: per point, its value or delta and the steps it belongs to. */
  private List<String> steps(List<String> a) {
    EvaluationGrid g = q.grid();
    long s = g.step().toNanos();
    long p = g.stepsBack();
    String origin = sql.param("Int64", g.start().getEpochSecond() * 1_000_000_000L + g.start().getNano() - p * s);
    String step = sql.param("Int64", s);
    String back = sql.param("Int64", p);
    String first = "intDiv(TimeNs - " + origin + ", " + step + ") - " + back;
    String last = "intDiv(TimeNs - " + origin + " + " + sql.param("Int64", g.window().toNanos() - s) + ", " + step
        + ") - " + back;
    String stepExpr = "arrayJoin(range(greatest(" + first + ", 0), least(" + last + ", "
        + sql.param("Int64", (long) g.points() - 1) + ") + 1)) AS Step";
    List<String> out = new ArrayList<>();
    String ids = SERIES + carried("Attributes") + groupValues("K") + ", TimeNs";
    if (q.counterRollup()) {
      out.add("SELECT " + ids + ", V,");
    } else if (q.rollup()) {
      out.add("SELECT " + ids + ", MinValue, MaxValue, SumValue, PointCount, LastValue,");
    } else if (!q.histogram()) {
      out.add("SELECT " + ids + ", " + (q.needsPrevious()
          ? "if(Prev IS NULL, NULL, if(Value >= Prev, Value - Prev, Value))" : "Value") + " AS V,");
    } else if (q.needsPrevious()) {
      out.add("SELECT " + ids + ", HLayout, HCount < PrevCount OR HLayout != PrevLayout AS Reset,");
      out.add("    if(Reset, HCount, HCount - PrevCount) AS DCount, if(Reset, HSum, HSum - PrevSum) AS DSum,");
      out.add("    if(Reset, HBuckets, mapSubtract(HBuckets, PrevBuckets)) AS DBuckets,");
    } else {
      out.add("SELECT " + ids + ", HLayout, HCount AS DCount, HSum AS DSum, HBuckets AS DBuckets,");
    }
    out.add("    " + stepExpr);
    out.addAll(nest(a));
    if (q.needsPrevious() || q.counterRollup()) {
      out.add("WHERE TimeNs >= " + sql.param("Int64", nanos(g.firstCovered()))
          + (q.histogram() ? " AND PrevCount IS NOT NULL" : ""));
    }
    return out;
  }

  /** Stage C: the temporal function per series and step. */
  private List<String> perSeries(List<String> b) {
    List<String> out = new ArrayList<>();
    String keys = carried("any(Attributes) AS Labels") + anyKeys();
    double windowSeconds = q.grid().window().toNanos() / 1e9;
    if (q.histogram()) {
      String head = "SELECT " + SERIES + keys + ", Step, ";
      switch (q.statistic()) {
        case COUNT -> out.add(head + "sum(DCount)" + perSecond(windowSeconds) + " AS V");
        case SUM -> out.add(head + "sum(DSum)" + perSecond(windowSeconds) + " AS V");
        default -> out.add(head + "sum(DCount) AS HCount, sum(DSum) AS HSum, sumMap(DBuckets) AS HBuckets, "
            + "any(HLayout) AS HLayout");
      }
    } else {
      String v = q.rollup() && !q.counterRollup() ? rollupFunction(windowSeconds) : rawFunction(windowSeconds);
      out.add("SELECT " + SERIES + keys + ", Step, " + v + " AS V");
    }
    out.addAll(nest(b));
    out.add("GROUP BY " + SERIES + ", Step");
    if (!(q.histogram() && q.distributionStatistic())) {
      out.add("HAVING isFinite(V)");
    }
    return out;
  }

  private String perSecond(double windowSeconds) {
    return q.function() == MetricQuery.TemporalFunction.RATE ? " / " + sql.param("Float64", windowSeconds) : "";
  }

  /** {@code ", " + column} when series keep their own labels (not combined), else nothing. */
  private String carried(String column) {
    return q.aggregated() ? "" : ", " + column;
  }

  private String anyKeys() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < keyNames.size(); i++) {
      out.append(", any(K").append(i).append(") AS G").append(i);
    }
    return out.toString();
  }

  private String rawFunction(double windowSeconds) {
    return switch (q.function()) {
      case AVG -> "avg(V)";
      case MIN -> "min(V)";
      case MAX -> "max(V)";
      case LAST -> "argMax(V, TimeNs)";
      case SUM, INCREASE -> "sum(V)";
      case COUNT -> "toFloat64(count())";
      case RATE -> "sum(V) / " + sql.param("Float64", windowSeconds);
      case DEFAULT -> throw new IllegalStateException("resolved functions are never DEFAULT");
    };
  }

  private String rollupFunction(double windowSeconds) {
    return switch (q.function()) {
      case AVG -> "sum(SumValue) / sum(PointCount)";
      case MIN -> "min(MinValue)";
      case MAX -> "max(MaxValue)";
      case LAST -> "argMaxMerge(LastValue)";
      case SUM, INCREASE -> "sum(SumValue)";
      case COUNT -> "toFloat64(sum(PointCount))";
      case RATE -> "sum(SumValue) / " + sql.param("Float64", windowSeconds);
      case DEFAULT -> throw new IllegalStateException("resolved functions are never DEFAULT");
    };
  }

  /** Stage D: series combined per group and step. */
  private List<String> combined(List<String> c) {
    String groups = groupValues("G");
    String groupList = groups.isEmpty() ? "" : groups.substring(2) + ", ";
    List<String> out = new ArrayList<>();
    if (q.histogram() && q.distributionStatistic()) {
      out.add("SELECT " + groupList + "Step, sum(HCount) AS HCount, sum(HSum) AS HSum, sumMap(HBuckets) AS "
          + "HBuckets, any(HLayout) AS HLayout");
    } else {
      String f = switch (q.aggregation()) {
        case SUM -> "sum(V)";
        case AVG -> "avg(V)";
        case MIN -> "min(V)";
        case MAX -> "max(V)";
        case COUNT -> "toFloat64(count())";
        case NONE -> throw new IllegalStateException("not aggregated");
      };
      out.add("SELECT " + groupList + "Step, " + f + " AS V");
    }
    out.addAll(nest(c));
    out.add("GROUP BY " + groupList + "Step");
    return out;
  }

  /** Quantile or mean from combined histogram parts. */
  private List<String> distributionValue(List<String> d) {
    String cols = (q.aggregated() ? groupValues("G") : ", " + SERIES + ", Labels") + ", Step";
    cols = cols.substring(2);
    List<String> out = new ArrayList<>();
    if (q.statistic() == HistogramStatistic.MEAN) {
      out.add("SELECT " + cols + ", HSum / HCount AS V");
    } else {
      String lower;
      String upper;
      if (q.shape().kind() == MetricKind.HISTOGRAM) {
        lower = "if(k = 0, if(HLayout[1] > 0, 0., HLayout[1]), HLayout[k])";
        upper = "if(k < length(HLayout), HLayout[k + 1], inf)";
      } else {
        lower = "if(k = 0, 0., exp2((modulo(k, 8589934592) - 4294967296) * exp2(100 - intDiv(k, 8589934592))))";
        upper = "if(k = 0, 0., exp2((modulo(k, 8589934592) - 4294967295) * exp2(100 - intDiv(k, 8589934592))))";
      }
      String rank = sql.param("Float64", q.quantile());
      out.add("SELECT " + cols + ",");
      out.add("    arraySort(x -> x.2, arrayMap((k, c) -> (" + lower + ", " + upper + ", toFloat64(greatest(c, 0))),"
          + " mapKeys(HBuckets), mapValues(HBuckets))) AS Bk,");
      out.add("    arrayCumSum(arrayMap(x -> x.3, Bk)) AS Cum, " + rank + " * Cum[-1] AS Rank,");
      out.add("    arrayFirstIndex((b, x) -> b.3 > 0 AND x >= Rank, Bk, Cum) AS Idx,");
      out.add("    if(Idx = 0, nan, if(isInfinite(Bk[Idx].2), Bk[Idx].1, Bk[Idx].1 + (Bk[Idx].2 - Bk[Idx].1)"
          + " * (Rank - (Cum[Idx] - Bk[Idx].3)) / Bk[Idx].3)) AS V");
    }
    out.addAll(nest(d));
    out.add("WHERE isFinite(V)");
    return out;
  }

  /** Stage E: one row per series with its points, rank value and the number of series. */
  private List<String> series(List<String> d) {
    List<String> out = new ArrayList<>();
    String groups = groupValues("G");
    String groupBy;
    if (q.aggregated()) {
      StringBuilder arr = new StringBuilder();
      for (int i = 0; i < keyNames.size(); i++) {
        arr.append(i == 0 ? "" : ", ").append("G").append(i);
      }
      out.add("SELECT '' AS Service, CAST(map(), 'Map(String, String)') AS Attrs, CAST([" + arr
          + "], 'Array(String)') AS Groups,");
      groupBy = groups.isEmpty() ? null : groups.substring(2);
    } else {
      out.add("SELECT toString(ServiceName) AS Service, CAST(any(Labels), 'Map(String, String)') AS Attrs, "
          + "CAST([], 'Array(String)') AS Groups,");
      groupBy = SERIES;
    }
    String rank = switch (q.rankBy()) {
      case MAX -> "max(V)";
      case MIN -> "min(V)";
      case AVG -> "avg(V)";
      case SUM -> "sum(V)";
      case LAST -> "argMax(V, Step)";
    };
    out.add("    arraySort(groupArray((toUInt32(Step), toFloat64(V)))) AS Points, toFloat64(" + rank
        + ") AS RankValue, count() OVER () AS TotalSeries");
    out.addAll(nest(d));
    if (groupBy != null) {
      out.add("GROUP BY " + groupBy);
    } else {
      out.add("HAVING count() > 0");
    }
    String tie = groupBy == null ? "" : ", " + (q.aggregated() ? groupBy : "Service, ResourceHash, AttributesHash");
    out.add("ORDER BY RankValue " + (q.ascending() ? "ASC" : "DESC") + tie);
    out.add("LIMIT " + sql.param("UInt32", q.maxSeries()));
    return out;
  }

  private static List<String> nest(List<String> inner) {
    List<String> out = new ArrayList<>();
    out.add("FROM (");
    inner.forEach(l -> out.add("    " + l));
    out.add(")");
    return out;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
