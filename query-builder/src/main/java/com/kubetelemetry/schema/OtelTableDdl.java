/** CREATE statements for the OpenTelemetry Collector clickhouseexporter tables, each with a leading TenantId. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.List;

/**
 * Names, columns, types, codecs and skip indexes follow the exporter (SCHEMA.md), with bloom-filter indexes (not
 * the {@code text} indexes newer exporters pick on ClickHouse 26.2+), so Collector-written data reads the same.
 * Our addition: {@code TenantId}, first in every sort key; rows written without it belong to tenant "default".
 */
final class OtelTableDdl {
  static final String TENANT_COLUMN = "    TenantId LowCardinality(String) DEFAULT 'default' CODEC(ZSTD(1)),\n";
  /**
   * The exporter's settings plus merge_selector_base 20 (engine default 5): each merge joins more parts, so a row is
   * rewritten fewer times while small ingest parts are compacted; merges took most of the CPU under OTLP load.
   */
  static final String SETTINGS = settings(8192);
  /**
   * Spans use granules of 2,048 rows instead of the exporter's 8,192: GetTrace reads the ~10 granules whose bloom
   * filter admits the trace id, whole, so smaller granules read a quarter of the rows. Measured on copies of the
   * read benchmark's 10M spans (same run, 300 random traces): GetTrace's statement p50 43.2 ms at 8,192, 35.1 ms
   * at 2,048 (1,024: 15 % less than 8,192 in another run); scans (ListOperations, GetSpanMetrics, service graph,
   * ListServices) within 0-8 %. Tables the Collector created keep their setting (it cannot be altered).
   */
  static final String TRACE_SETTINGS = settings(2048);

  /** The table settings every table of ours ends with, for granules of {@code indexGranularity} rows. */
  static String settings(int indexGranularity) {
    return "\nSETTINGS index_granularity = " + indexGranularity + ", ttl_only_drop_parts = 1, merge_selector_base = 20";
  }

  private static final String MAP = "Map(LowCardinality(String), String)";

  /** A trace's spans (and its trace-id lookup row) stay on one shard, so a trace is read from one place. */
  static final String TRACE_SHARDING = "cityHash64(TenantId, TraceId)";
  /** Log records spread evenly: reads scan time ranges on every shard anyway. */
  static final String LOG_SHARDING = "rand()";
  /** The points of one series stay on one shard, so its rollup and catalog rows are built in one place. */
  static final String METRIC_SHARDING = "cityHash64(TenantId, ServiceName, MetricName, Attributes)";

  private final SchemaOptions options;
  private final TableLayout layout;

  OtelTableDdl(SchemaOptions options) {
    this.options = options;
    this.layout = new TableLayout(options);
  }

  Sql database() {
    return layout.createDatabase();
  }

  /**
   * Adds TenantId to a table that already existed without it (created by the Collector): a metadata-only change,
   * a no-op on our tables. Existing and Collector-written rows read as tenant "default". The sort key of such a
   * table stays the Collector's (ClickHouse cannot put a new column first in an existing key).
   */
  List<Sql> addTenantColumn(String table) {
    return layout.alterColumns(table, "ADD COLUMN IF NOT EXISTS " + TENANT_COLUMN.strip().replaceAll(",$", "")
        + " FIRST");
  }

  List<Sql> traces(TableRetention retention) {
    return layout.createTable(OtelSchema.TRACES, " (\n"
        + TENANT_COLUMN
        + """
            Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
            TraceId String CODEC(ZSTD(1)),
            SpanId String CODEC(ZSTD(1)),
            ParentSpanId String CODEC(ZSTD(1)),
            TraceState String CODEC(ZSTD(1)),
            SpanName LowCardinality(String) CODEC(ZSTD(1)),
            SpanKind LowCardinality(String) CODEC(ZSTD(1)),
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            ResourceAttributes MAP CODEC(ZSTD(1)),
            ScopeName String CODEC(ZSTD(1)),
            ScopeVersion String CODEC(ZSTD(1)),
            SpanAttributes MAP CODEC(ZSTD(1)),
            Duration UInt64 CODEC(T64, ZSTD(1)),
            StatusCode LowCardinality(String) CODEC(ZSTD(1)),
            StatusMessage String CODEC(ZSTD(1)),
            Events Nested (
                Timestamp DateTime64(9),
                Name LowCardinality(String),
                Attributes MAP
            ) CODEC(ZSTD(1)),
            Links Nested (
                TraceId String,
                SpanId String,
                TraceState String,
                Attributes MAP
            ) CODEC(ZSTD(1)),
            ResourceAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(ResourceAttributes, 'Array(Tuple(String, String))')),
            SpanAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(SpanAttributes, 'Array(Tuple(String, String))')),
            INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
            INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_duration Duration TYPE minmax GRANULARITY 1,
            INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
        ) ENGINE = MergeTree
        PARTITION BY toDate(Timestamp)
        PRIMARY KEY (TenantId, ServiceName, SpanName, toDateTime(Timestamp))
        ORDER BY (TenantId, ServiceName, SpanName, toDateTime(Timestamp), Timestamp)"""
            .replace("MAP", MAP)
        + retention.createClause() + TRACE_SETTINGS, TRACE_SHARDING);
  }

  List<Sql> traceIdLookup(TableRetention retention) {
    return layout.createTable(OtelSchema.TRACE_ID_TS, " (\n"
        + TENANT_COLUMN
        + """
            TraceId String CODEC(ZSTD(1)),
            Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
            End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
        ) ENGINE = AggregatingMergeTree
        PARTITION BY toStartOfWeek(Start)
        ORDER BY (TenantId, TraceId)"""
        + retention.createClause() + SETTINGS, TRACE_SHARDING);
  }

  Sql traceIdLookupView() {
    return layout.createView(OtelSchema.TRACE_ID_TS_MV, OtelSchema.TRACE_ID_TS,
        "SELECT TenantId, TraceId, min(Timestamp) AS Start, max(Timestamp) AS End\n"
        + "FROM " + layout.qualifiedStorage(OtelSchema.TRACES) + "\n"
        + "WHERE TraceId != ''\n"
        + "GROUP BY TenantId, TraceId");
  }

  List<Sql> logs(TableRetention retention) {
    return layout.createTable(OtelSchema.LOGS, " (\n"
        + TENANT_COLUMN
        + """
            Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
            TimestampTime DateTime ALIAS toDateTime(Timestamp),
            TraceId String CODEC(ZSTD(1)),
            SpanId String CODEC(ZSTD(1)),
            TraceFlags UInt8,
            SeverityText LowCardinality(String) CODEC(ZSTD(1)),
            SeverityNumber UInt8,
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            Body String CODEC(ZSTD(1)),
            ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
            ResourceAttributes MAP CODEC(ZSTD(1)),
            ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
            ScopeName String CODEC(ZSTD(1)),
            ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
            ScopeAttributes MAP CODEC(ZSTD(1)),
            LogAttributes MAP CODEC(ZSTD(1)),
            EventName String CODEC(ZSTD(1)),
            INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
            INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_lower_body lower(Body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
        ) ENGINE = MergeTree
        PARTITION BY toDate(Timestamp)
        PRIMARY KEY (TenantId, toStartOfFiveMinutes(Timestamp), ServiceName)
        ORDER BY (TenantId, toStartOfFiveMinutes(Timestamp), ServiceName, Timestamp)"""
            .replace("MAP", MAP)
        + retention.createClause() + SETTINGS, LOG_SHARDING);
  }

  /** One metrics table: the columns all five share, then {@code pointColumns} (each line ending with a comma). */
  List<Sql> metrics(String table, String pointColumns, TableRetention retention) {
    return layout.createTable(table, " (\n"
        + TENANT_COLUMN
        + """
            ResourceAttributes MAP CODEC(ZSTD(1)),
            ResourceSchemaUrl String CODEC(ZSTD(1)),
            ScopeName String CODEC(ZSTD(1)),
            ScopeVersion String CODEC(ZSTD(1)),
            ScopeAttributes MAP CODEC(ZSTD(1)),
            ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1)),
            ScopeSchemaUrl String CODEC(ZSTD(1)),
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            MetricName LowCardinality(String) CODEC(ZSTD(1)),
            MetricDescription String CODEC(ZSTD(1)),
            MetricUnit String CODEC(ZSTD(1)),
            Attributes MAP CODEC(ZSTD(1)),
            StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
            TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
        """.replace("MAP", MAP)
        + pointColumns.replace("MAP", MAP)
        + """
            INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
            INDEX idx_attr_value mapValues(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
        ) ENGINE = MergeTree
        PARTITION BY toDate(TimeUnix)
        ORDER BY (TenantId, ServiceName, MetricName, toStartOfHour(TimeUnix), cityHash64(Attributes), TimeUnix)"""
        + retention.createClause() + SETTINGS, METRIC_SHARDING);
  }

  static final String EXEMPLARS = """
          Exemplars Nested (
              FilteredAttributes MAP,
              TimeUnix DateTime64(9),
              Value Float64,
              SpanId String,
              TraceId String
          ) CODEC(ZSTD(1)),
      """;

  static final String GAUGE_POINT = """
          Value Float64 CODEC(ZSTD(1)),
          Flags UInt32 CODEC(ZSTD(1)),
      """ + EXEMPLARS;

  static final String SUM_POINT = GAUGE_POINT + """
          AggregationTemporality Int32 CODEC(ZSTD(1)),
          IsMonotonic Boolean CODEC(Delta, ZSTD(1)),
      """;

  static final String HISTOGRAM_POINT = """
          Count UInt64 CODEC(Delta, ZSTD(1)),
          Sum Float64 CODEC(ZSTD(1)),
          BucketCounts Array(UInt64) CODEC(ZSTD(1)),
          ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
      """ + EXEMPLARS + """
          Flags UInt32 CODEC(ZSTD(1)),
          Min Float64 CODEC(ZSTD(1)),
          Max Float64 CODEC(ZSTD(1)),
          AggregationTemporality Int32 CODEC(ZSTD(1)),
      """;

  static final String EXP_HISTOGRAM_POINT = """
          Count UInt64 CODEC(Delta, ZSTD(1)),
          Sum Float64 CODEC(ZSTD(1)),
          Scale Int32 CODEC(ZSTD(1)),
          ZeroCount UInt64 CODEC(ZSTD(1)),
          PositiveOffset Int32 CODEC(ZSTD(1)),
          PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
          NegativeOffset Int32 CODEC(ZSTD(1)),
          NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),
      """ + EXEMPLARS + """
          Flags UInt32 CODEC(ZSTD(1)),
          Min Float64 CODEC(ZSTD(1)),
          Max Float64 CODEC(ZSTD(1)),
          AggregationTemporality Int32 CODEC(ZSTD(1)),
      """;

  static final String SUMMARY_POINT = """
          Count UInt64 CODEC(Delta, ZSTD(1)),
          Sum Float64 CODEC(ZSTD(1)),
          ValueAtQuantiles Nested (
              Quantile Float64,
              Value Float64
          ) CODEC(ZSTD(1)),
          Flags UInt32 CODEC(ZSTD(1)),
      """;
}
