/** Schema version 3: a 1-minute rollup of gauge and sum points, fed by materialized views, for long-range queries. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * One AggregatingMergeTree row per series (service, resource hash, point attributes hash, temporality) and
 * minute, with min, max, sum, count and last-by-time states. The views fill it from every later insert; the
 * migration also folds in points already stored (only while the rollup is empty, so a rerun adds nothing twice;
 * the server runs migrations before it accepts data). The query compiler reads it only when it answers exactly.
 */
public final class MetricRollupDdl {
  public static final int VERSION = 3;
  public static final String ROLLUP = "otel_metrics_rollup_1m";
  public static final String GAUGE_VIEW = "otel_metrics_rollup_1m_gauge_mv";
  public static final String SUM_VIEW = "otel_metrics_rollup_1m_sum_mv";

  /** Rollup rows of one series stay on one shard. */
  static final String ROLLUP_SHARDING = "cityHash64(TenantId, ServiceName, MetricName, AttributesHash)";

  private final SchemaOptions options;
  private final TableLayout layout;

  public MetricRollupDdl(SchemaOptions options) {
    this.options = options;
    this.layout = new TableLayout(options);
  }

  /** The migration: table, two views, backfill. */
  public Migration migration() {
    List<Sql> statements = new ArrayList<>(table());
    statements.addAll(List.of(view(GAUGE_VIEW, OtelSchema.METRICS_GAUGE, "gauge"),
        view(SUM_VIEW, OtelSchema.METRICS_SUM, "sum"),
        backfill(OtelSchema.METRICS_GAUGE, "gauge"), backfill(OtelSchema.METRICS_SUM, "sum")));
    return new Migration(VERSION, "1-minute rollup of gauge and sum points", statements);
  }

  List<Sql> table() {
    String ttl = OtelSchema.retention(options, ROLLUP).createClause();
    return layout.createTable(ROLLUP, " (\n"
        + OtelTableDdl.TENANT_COLUMN
        + """
            MetricName LowCardinality(String) CODEC(ZSTD(1)),
            Source LowCardinality(String) CODEC(ZSTD(1)),
            Temporality Int32 CODEC(ZSTD(1)),
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            ResourceHash UInt64 CODEC(ZSTD(1)),
            AttributesHash UInt64 CODEC(ZSTD(1)),
            Minute DateTime CODEC(Delta, ZSTD(1)),
            ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
            Attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
            MinValue SimpleAggregateFunction(min, Float64) CODEC(ZSTD(1)),
            MaxValue SimpleAggregateFunction(max, Float64) CODEC(ZSTD(1)),
            SumValue SimpleAggregateFunction(sum, Float64) CODEC(ZSTD(1)),
            PointCount SimpleAggregateFunction(sum, UInt64) CODEC(ZSTD(1)),
            LastValue AggregateFunction(argMax, Float64, DateTime64(9)) CODEC(ZSTD(1))
        ) ENGINE = AggregatingMergeTree
        PARTITION BY toDate(Minute)
        ORDER BY (TenantId, MetricName, Source, toStartOfHour(Minute), ServiceName, ResourceHash, AttributesHash, \
        Temporality, Minute)"""
        + ttl + OtelTableDdl.SETTINGS, ROLLUP_SHARDING);
  }

  /** The rollup rows of the points read from {@code from} (a metrics table or, in a view, its local table). */
  private String select(String from, String source) {
    String temporality = source.equals("gauge") ? "toInt32(0)" : "AggregationTemporality";
    return "SELECT TenantId, MetricName, '" + source + "' AS Source, Temporality, ServiceName, ResourceHash,\n"
        + "    AttributesHash, Minute, any(ResourceAttributes) AS ResourceAttributes, any(Attributes) AS Attributes,\n"
        + "    min(Value) AS MinValue, max(Value) AS MaxValue, sum(Value) AS SumValue,\n"
        + "    toUInt64(count()) AS PointCount, argMaxState(Value, TimeUnix) AS LastValue\n"
        + "FROM (SELECT TenantId, MetricName, " + temporality + " AS Temporality, ServiceName,\n"
        + "    cityHash64(ResourceAttributes) AS ResourceHash, cityHash64(Attributes) AS AttributesHash,\n"
        + "    toStartOfMinute(TimeUnix) AS Minute, ResourceAttributes, Attributes, Value, TimeUnix\n"
        + "    FROM " + from + ")\n"
        + "GROUP BY TenantId, MetricName, Temporality, ServiceName, ResourceHash, AttributesHash, Minute";
  }

  Sql view(String view, String table, String source) {
    return layout.createView(view, ROLLUP, select(layout.qualifiedStorage(table), source));
  }

  Sql backfill(String table, String source) {
    return Sql.of(layout.insertInto(ROLLUP, "") + "\n" + select(options.qualified(table), source).replace(
        "    FROM " + options.qualified(table) + ")", "    FROM " + options.qualified(table)
            + "\n    WHERE (SELECT count() FROM " + options.qualified(ROLLUP) + " WHERE Source = '" + source
            + "') = 0)"));
  }
}
