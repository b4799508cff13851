/** The versioned schema of the telemetry tables: the ordered migrations and the retention to apply at start-up. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: renders statements, runs nothing. The server applies {@link #migrations} it has not applied yet, then
 * {@link #retention} on every start, so a changed TTL setting reaches tables that already exist.
 */
public final class OtelSchema {
  public static final String TRACES = "otel_traces";
  public static final String TRACE_ID_TS = "otel_traces_trace_id_ts";
  public static final String TRACE_ID_TS_MV = "otel_traces_trace_id_ts_mv";
  public static final String LOGS = "otel_logs";
  public static final String METRICS_GAUGE = "otel_metrics_gauge";
  public static final String METRICS_SUM = "otel_metrics_sum";
  public static final String METRICS_HISTOGRAM = "otel_metrics_histogram";
  public static final String METRICS_EXP_HISTOGRAM = "otel_metrics_exp_histogram";
  public static final String METRICS_SUMMARY = "otel_metrics_summary";
  /** Table recording which migrations ran (owned by the migrator, not a migration). */
  public static final String SCHEMA_MIGRATIONS = "schema_migrations";

  /** Every table holding telemetry rows, in creation order (the view is not a table). */
  public static final List<String> TABLES = List.of(TRACES, TRACE_ID_TS, LOGS, METRICS_GAUGE, METRICS_SUM,
      METRICS_HISTOGRAM, METRICS_EXP_HISTOGRAM, METRICS_SUMMARY);

  /** Tenant a row belongs to when it was written without one (e.g. straight from a Collector). */
  public static final String DEFAULT_TENANT = "default";

  private OtelSchema() {}

  /** All migrations, ordered by version. The last one's version is the schema version this code knows. */
  public static List<Migration> migrations(SchemaOptions options) {
    OtelTableDdl ddl = new OtelTableDdl(options);
    List<Sql> versionOne = new ArrayList<>();
    versionOne.add(ddl.database());
    versionOne.addAll(ddl.traces(retention(options, TRACES)));
    versionOne.addAll(ddl.traceIdLookup(retention(options, TRACE_ID_TS)));
    versionOne.add(ddl.traceIdLookupView());
    versionOne.addAll(ddl.logs(retention(options, LOGS)));
    versionOne.addAll(ddl.metrics(METRICS_GAUGE, OtelTableDdl.GAUGE_POINT, retention(options, METRICS_GAUGE)));
    versionOne.addAll(ddl.metrics(METRICS_SUM, OtelTableDdl.SUM_POINT, retention(options, METRICS_SUM)));
    versionOne.addAll(ddl.metrics(METRICS_HISTOGRAM, OtelTableDdl.HISTOGRAM_POINT,
        retention(options, METRICS_HISTOGRAM)));
    versionOne.addAll(ddl.metrics(METRICS_EXP_HISTOGRAM, OtelTableDdl.EXP_HISTOGRAM_POINT,
        retention(options, METRICS_EXP_HISTOGRAM)));
    versionOne.addAll(ddl.metrics(METRICS_SUMMARY, OtelTableDdl.SUMMARY_POINT, retention(options, METRICS_SUMMARY)));
    TABLES.forEach(table -> versionOne.addAll(ddl.addTenantColumn(table)));
    return List.of(new Migration(1, "OpenTelemetry exporter tables with TenantId", versionOne),
        MetricCatalogDdl.migration(options),
        new MetricRollupDdl(options).migration(),
        new ResourceTablesDdl(options).migration(),
        SeriesHashDdl.migration(options),
        new CounterRollupDdl(options).migration());
  }

  /** The newest schema version this code knows. */
  public static int latestVersion(SchemaOptions options) {
    return migrations(options).getLast().version();
  }

  /** The retention each table should have under {@code options}: {@link #TABLES}, the catalogs, the rollup. */
  public static List<TableRetention> retention(SchemaOptions options) {
    return java.util.stream.Stream.of(TABLES, MetricCatalogDdl.TABLES, List.of(MetricRollupDdl.ROLLUP,
        CounterRollupDdl.ROLLUP))
        .flatMap(List::stream).map(table -> retention(options, table)).toList();
  }

  /**
   * MODIFY TTL / REMOVE TTL for every table. Each sets an absolute value, but the engine rejects REMOVE TTL on a
   * table that has none and every MODIFY starts a mutation: at start-up, run only those whose table's current TTL
   * differs (the server's SchemaMigrator does).
   */
  public static List<Sql> retentionStatements(SchemaOptions options) {
    return retention(options).stream().map(TableRetention::statement).toList();
  }

  /** The retention of one of our tables. */
  public static TableRetention retention(SchemaOptions options, String table) {
    return switch (table) {
      case TRACES -> new TableRetention(options, table, "Timestamp", options.tracesTtlDays());
      case TRACE_ID_TS -> new TableRetention(options, table, "Start", options.tracesTtlDays());
      case LOGS -> new TableRetention(options, table, "Timestamp", options.logsTtlDays());
      case METRICS_GAUGE, METRICS_SUM, METRICS_HISTOGRAM, METRICS_EXP_HISTOGRAM, METRICS_SUMMARY ->
          new TableRetention(options, table, "TimeUnix", options.metricsTtlDays());
      case MetricCatalogDdl.METRIC_CATALOG, MetricCatalogDdl.ATTRIBUTE_CATALOG ->
          new TableRetention(options, table, MetricCatalogDdl.HOUR_COLUMN, options.metricsTtlDays());
      case MetricRollupDdl.ROLLUP, CounterRollupDdl.ROLLUP ->
          new TableRetention(options, table, "Minute", options.metricsTtlDays());
      default -> throw new IllegalArgumentException("no retention is defined for table " + table);
    };
  }
}
