/** Schema version 2: the metric and attribute catalogs that serve ListMetrics and attribute autocomplete. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * Two AggregatingMergeTree rollups, filled by materialized views on the five {@code otel_metrics_*} tables and
 * bucketed by hour so a time range applies (FirstSeen and LastSeen narrow it within the hour):
 * <ul>
 *   <li>{@link #METRIC_CATALOG}: one row per tenant, metric, type, service and hour with the unit, description,
 *   temporality and monotonicity last emitted (argMax by point time) and the first and last point time.</li>
 *   <li>{@link #ATTRIBUTE_CATALOG}: per tenant, metric, attribute source (resource, scope, point), key and hour, a
 *   {@code key} entry, and per value a {@code value} entry, each with an HLL sketch of the series carrying it.
 *   Keys or values longer than {@link #MAX_TEXT_LENGTH} characters are not kept (the key of a long value is).</li>
 * </ul>
 * Every aggregate is idempotent (min, max, argMax, uniq), so feeding a row twice changes no answer: the
 * back-fill of rows written before this version can be re-run safely (it is part of the migration, and may take
 * a while on a large existing database). Both catalogs follow the metrics retention through their {@code Hour}.
 * Each view first groups the inserted block by series, then expands the few series into attribute entries,
 * so the cost per point stays small: measured on the embedded engine, +9% insert time for 1M gauge points in 600
 * series. The cost grows with the number of distinct series per insert: when nearly every point starts a new
 * series (a request id as a point attribute), inserts took about 6 times as long (2M points, 2M series).
 */
public final class MetricCatalogDdl {
  public static final String METRIC_CATALOG = "metrics_catalog";
  public static final String ATTRIBUTE_CATALOG = "metrics_attribute_catalog";
  /** Our catalog tables, in creation order (their retention follows the metrics retention). */
  public static final List<String> TABLES = List.of(METRIC_CATALOG, ATTRIBUTE_CATALOG);
  /** Longest key or value (in characters) the attribute catalog keeps. */
  public static final int MAX_TEXT_LENGTH = 256;
  /** Column the catalog's age (TTL) and time range are measured from. */
  public static final String HOUR_COLUMN = "Hour";

  /** A metrics table and how its type, temporality and monotonicity read. */
  private record Source(String table, String type, String temporality, String monotonic) {}

  private static final List<Source> SOURCES = List.of(
      new Source(OtelSchema.METRICS_GAUGE, "gauge", "toInt32(0)", "CAST(false, 'Bool')"),
      new Source(OtelSchema.METRICS_SUM, "sum", "AggregationTemporality", "CAST(IsMonotonic, 'Bool')"),
      new Source(OtelSchema.METRICS_HISTOGRAM, "histogram", "AggregationTemporality", "CAST(false, 'Bool')"),
      new Source(OtelSchema.METRICS_EXP_HISTOGRAM, "exponential_histogram", "AggregationTemporality",
          "CAST(false, 'Bool')"),
      new Source(OtelSchema.METRICS_SUMMARY, "summary", "toInt32(0)", "CAST(false, 'Bool')"));

  /** Catalog rows of one metric stay on one shard. */
  static final String CATALOG_SHARDING = "cityHash64(TenantId, MetricName)";

  private final SchemaOptions options;
  private final TableLayout layout;

  MetricCatalogDdl(SchemaOptions options) {
    this.options = options;
    this.layout = new TableLayout(options);
  }

  /** The migration that creates both catalogs, their ten views, and back-fills them from existing rows. */
  static Migration migration(SchemaOptions options) {
    MetricCatalogDdl ddl = new MetricCatalogDdl(options);
    List<Sql> statements = new ArrayList<>();
    statements.addAll(ddl.metricCatalog(OtelSchema.retention(options, METRIC_CATALOG)));
    statements.addAll(ddl.attributeCatalog(OtelSchema.retention(options, ATTRIBUTE_CATALOG)));
    // Views read the local table where rows land; back-fills read every shard through the plain table.
    for (Source source : SOURCES) {
      String watched = ddl.layout.qualifiedStorage(source.table());
      statements.add(ddl.view(METRIC_CATALOG, source, ddl.metricSelect(source, watched)));
      statements.add(ddl.view(ATTRIBUTE_CATALOG, source, ddl.attributeSelect(source, watched)));
    }
    for (Source source : SOURCES) {
      String all = options.qualified(source.table());
      statements.add(ddl.backfill(METRIC_CATALOG, ddl.metricSelect(source, all)));
      statements.add(ddl.backfill(ATTRIBUTE_CATALOG, ddl.attributeSelect(source, all)));
    }
    return new Migration(2, "metric and attribute catalogs for ListMetrics and autocomplete", statements);
  }

  /** Name of the view feeding {@code catalog} from {@code table}, e.g. metrics_catalog_gauge_mv. */
  static String viewName(String catalog, String table) {
    return catalog + "_" + table.substring("otel_metrics_".length()) + "_mv";
  }

  List<Sql> metricCatalog(TableRetention retention) {
    return layout.createTable(METRIC_CATALOG, " (\n"
        + OtelTableDdl.TENANT_COLUMN
        + """
            MetricName LowCardinality(String) CODEC(ZSTD(1)),
            MetricType Enum8('gauge' = 1, 'sum' = 2, 'histogram' = 3, 'exponential_histogram' = 4, 'summary' = 5),
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            Hour DateTime CODEC(Delta, ZSTD(1)),
            Unit AggregateFunction(argMax, String, DateTime64(9)),
            Description AggregateFunction(argMax, String, DateTime64(9)),
            Temporality AggregateFunction(argMax, Int32, DateTime64(9)),
            Monotonic AggregateFunction(argMax, Bool, DateTime64(9)),
            FirstSeen SimpleAggregateFunction(min, DateTime64(9)) CODEC(ZSTD(1)),
            LastSeen SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1))
        ) ENGINE = AggregatingMergeTree
        PARTITION BY toDate(Hour)
        ORDER BY (TenantId, MetricName, MetricType, ServiceName, Hour)"""
        + retention.createClause() + OtelTableDdl.SETTINGS, CATALOG_SHARDING);
  }

  List<Sql> attributeCatalog(TableRetention retention) {
    return layout.createTable(ATTRIBUTE_CATALOG, " (\n"
        + OtelTableDdl.TENANT_COLUMN
        + """
            Entry Enum8('key' = 1, 'value' = 2),
            Source Enum8('resource' = 1, 'scope' = 2, 'point' = 3),
            Key LowCardinality(String) CODEC(ZSTD(1)),
            MetricName LowCardinality(String) CODEC(ZSTD(1)),
            Value String CODEC(ZSTD(1)),
            Hour DateTime CODEC(Delta, ZSTD(1)),
            Series AggregateFunction(uniq, UInt64),
            FirstSeen SimpleAggregateFunction(min, DateTime64(9)) CODEC(ZSTD(1)),
            LastSeen SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1))
        ) ENGINE = AggregatingMergeTree
        PARTITION BY toDate(Hour)
        ORDER BY (TenantId, Entry, Source, Key, MetricName, Value, Hour)"""
        + retention.createClause() + OtelTableDdl.SETTINGS, CATALOG_SHARDING);
  }

  private Sql view(String catalog, Source source, String select) {
    return layout.createView(viewName(catalog, source.table()), catalog, select);
  }

  private Sql backfill(String catalog, String select) {
    return Sql.of(layout.insertInto(catalog, "") + "\n" + select);
  }

  /** One row per tenant, metric, service and hour of the points of {@code source}, read from {@code from}. */
  String metricSelect(Source source, String from) {
    return "SELECT TenantId, MetricName, '" + source.type() + "' AS MetricType, ServiceName,"
        + " toStartOfHour(TimeUnix) AS Hour,\n"
        + "    argMaxState(MetricUnit, TimeUnix) AS Unit,\n"
        + "    argMaxState(MetricDescription, TimeUnix) AS Description,\n"
        + "    argMaxState(" + source.temporality() + ", TimeUnix) AS Temporality,\n"
        + "    argMaxState(" + source.monotonic() + ", TimeUnix) AS Monotonic,\n"
        + "    min(TimeUnix) AS FirstSeen,\n"
        + "    max(TimeUnix) AS LastSeen\n"
        + "FROM " + from + "\n"
        + "GROUP BY TenantId, MetricName, ServiceName, Hour";
  }

  /** Key and value entries of the series of {@code source} (read from {@code from}): grouped by series, then expanded. */
  String attributeSelect(Source source, String from) {
    return """
        SELECT TenantId, e.1 AS Entry, e.2 AS Source, e.3 AS Key, MetricName, e.4 AS Value, Hour,
            uniqState(SeriesHash) AS Series, min(FirstPoint) AS FirstSeen, max(LastPoint) AS LastSeen
        FROM (
            SELECT TenantId, MetricName, toStartOfHour(TimeUnix) AS Hour,
                cityHash64(MetricName, ServiceName, ResourceAttributes, ScopeName, ScopeAttributes, Attributes)
                    AS SeriesHash,
                any(ResourceAttributes) AS R, any(ScopeAttributes) AS S, any(Attributes) AS P,
                min(TimeUnix) AS FirstPoint, max(TimeUnix) AS LastPoint
            FROM TABLE
            GROUP BY TenantId, MetricName, Hour, SeriesHash
        )
        ARRAY JOIN arrayFilter(t -> length(t.3) <= MAX AND length(t.4) <= MAX, arrayConcat(
            arrayMap(k -> tuple('key', 'resource', k, ''), mapKeys(R)),
            arrayMap((k, v) -> tuple('value', 'resource', k, v), mapKeys(R), mapValues(R)),
            arrayMap(k -> tuple('key', 'scope', k, ''), mapKeys(S)),
            arrayMap((k, v) -> tuple('value', 'scope', k, v), mapKeys(S), mapValues(S)),
            arrayMap(k -> tuple('key', 'point', k, ''), mapKeys(P)),
            arrayMap((k, v) -> tuple('value', 'point', k, v), mapKeys(P), mapValues(P)))) AS e
        GROUP BY TenantId, Entry, Source, Key, MetricName, Value, Hour"""
        .replace("TABLE", from)
        .replace("MAX", Integer.toString(MAX_TEXT_LENGTH));
  }
}
