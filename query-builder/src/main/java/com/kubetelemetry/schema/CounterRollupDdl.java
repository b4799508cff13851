/** Schema version 6: a 1-minute rollup of cumulative sums that answers rate and increase with reset handling. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * One AggregatingMergeTree row per series, minute and start time (OpenTelemetry marks a counter reset with a new
 * {@code StartTimeUnix}, so a run of one start time only grows). Each row keeps its first and last points (plain
 * min/max of (time, value) tuples, cheap to read), its point count, and {@code Fall}: a {@code deltaSumTimestamp}
 * state of the negated value, which the engine merges in time order across inserts and which is exactly zero
 * unless the value dropped inside the run. With those, the increase of a series over whole minutes is the same
 * sum of reset-corrected deltas the raw points give; a query that meets a row with a fall reads raw points
 * instead. Limit: two inserts holding points of one series and minute that interleave in time merge only
 * approximately (the engine keeps one state's fall), which out-of-order batches of one series could cause.
 */
public final class CounterRollupDdl {
  public static final int VERSION = 6;
  public static final String ROLLUP = "otel_metrics_counter_1m";
  public static final String VIEW = "otel_metrics_counter_1m_mv";

  private final SchemaOptions options;
  private final TableLayout layout;

  public CounterRollupDdl(SchemaOptions options) {
    this.options = options;
    this.layout = new TableLayout(options);
  }

  /** The migration: table, view, backfill of the points already stored. */
  public Migration migration() {
    List<Sql> statements = new ArrayList<>(table());
    statements.add(layout.createView(VIEW, ROLLUP, select(layout.qualifiedStorage(OtelSchema.METRICS_SUM))));
    statements.add(backfill());
    return new Migration(VERSION, "1-minute rollup of cumulative sums for rates", statements);
  }

  List<Sql> table() {
    String ttl = OtelSchema.retention(options, ROLLUP).createClause();
    return layout.createTable(ROLLUP, " (\n"
        + OtelTableDdl.TENANT_COLUMN
        + """
            MetricName LowCardinality(String) CODEC(ZSTD(1)),
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            ResourceHash UInt64 CODEC(ZSTD(1)),
            AttributesHash UInt64 CODEC(ZSTD(1)),
            Minute DateTime CODEC(Delta, ZSTD(1)),
            StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
            ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
            Attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
            FirstPoint SimpleAggregateFunction(min, Tuple(Int64, Float64)) CODEC(ZSTD(1)),
            LastPoint SimpleAggregateFunction(max, Tuple(Int64, Float64)) CODEC(ZSTD(1)),
            Fall AggregateFunction(deltaSumTimestamp, Float64, Int64) CODEC(ZSTD(1)),
            PointCount SimpleAggregateFunction(sum, UInt64) CODEC(ZSTD(1))
        ) ENGINE = AggregatingMergeTree
        PARTITION BY toDate(Minute)
        ORDER BY (TenantId, MetricName, toStartOfHour(Minute), ServiceName, ResourceHash, AttributesHash, Minute, \
        StartTimeUnix)"""
        + ttl + OtelTableDdl.SETTINGS, MetricRollupDdl.ROLLUP_SHARDING);
  }

  /** The rollup rows of the cumulative points in {@code from} (the metrics table or, in the view, its local one). */
  private String select(String from) {
    // The fall is computed from the group's points sorted by time, so neither the order of an insert's rows nor
    // the threads a backfill runs on change it; across inserts the engine merges states in time order.
    String sorted = "arraySort(groupArray((Ns, Value)))";
    return "SELECT TenantId, MetricName, ServiceName, ResourceHash, AttributesHash, Minute, StartTimeUnix,\n"
        + "    any(ResourceAttributes) AS ResourceAttributes, any(Attributes) AS Attributes,\n"
        + "    min((Ns, Value)) AS FirstPoint, max((Ns, Value)) AS LastPoint,\n"
        + "    arrayReduce('deltaSumTimestampState', arrayMap(p -> -p.2, " + sorted + "), arrayMap(p -> p.1, "
        + sorted + ")) AS Fall,\n"
        + "    toUInt64(count()) AS PointCount\n"
        + "FROM (SELECT TenantId, MetricName, ServiceName, cityHash64(ResourceAttributes) AS ResourceHash,\n"
        + "    cityHash64(Attributes) AS AttributesHash, toStartOfMinute(TimeUnix) AS Minute, StartTimeUnix,\n"
        + "    ResourceAttributes, Attributes, Value, toUnixTimestamp64Nano(TimeUnix) AS Ns\n"
        + "    FROM " + from + "\n"
        + "    WHERE AggregationTemporality = 2)\n"
        + "GROUP BY TenantId, MetricName, ServiceName, ResourceHash, AttributesHash, Minute, StartTimeUnix";
  }

  /** Folds in the points stored before the view existed, only while the rollup is empty (a rerun adds nothing). */
  Sql backfill() {
    String source = options.qualified(OtelSchema.METRICS_SUM);
    return Sql.of(layout.insertInto(ROLLUP, "") + "\n" + select(source).replace(
        "    WHERE AggregationTemporality = 2)", "    WHERE AggregationTemporality = 2\n      AND (SELECT count() FROM "
            + options.qualified(ROLLUP) + ") = 0)"));
  }
}
