/** Our tables against the OpenTelemetry Collector clickhouseexporter's column lists, read back from the engine. */
package com.kubetelemetry.storage.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.schema.SeriesHashDdl;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture copies the column declarations of open-telemetry/opentelemetry-collector-contrib,
 * exporter/clickhouseexporter/internal/sqltemplates (bloom-filter variant, i.e. ClickHouse before 26.2):
 * <ul>
 *   <li>otel_traces: traces_table.sql at 2bf6b9e1f8c8716ab54eaac1635e56b4d0649900 (with the two ALIAS
 *       *AttributeItems columns and idx_lower_span_name);</li>
 *   <li>otel_traces_trace_id_ts: traces_id_ts_lookup_table.sql at 1b08503058e58c68b9175b4d0663d0aaf16b5398 and
 *       traces_id_ts_lookup_mv.sql at 57b29d74154d72320747c8dd2a0b4a1629a39187;</li>
 *   <li>otel_logs: logs_table.sql at e3bd2d1d648f1868f50a8f2c1b68f7ce451ee6eb (EventName). We use the newest sort
 *       key ({@code toStartOfFiveMinutes(Timestamp), ServiceName, Timestamp}, partition on Timestamp), which no
 *       longer needs {@code TimestampTime}; we keep that column as a zero-cost {@code ALIAS toDateTime(Timestamp)}
 *       (the exporter declares {@code DEFAULT}) so queries written for the widely deployed layout still run;</li>
 *   <li>otel_metrics_*: gauge at e3bd2d1d648f1868f50a8f2c1b68f7ce451ee6eb, histogram at
 *       61540ced55e993255df9bcfca48ed89a87d3914f, summary at 4d14328b3c3f47870f98155a34f2950417eca7ea, with the
 *       newer layout's {@code MetricName LowCardinality(String)} (sum at 0d21cdd34de687554ec5083c84cd15d0700557c8,
 *       exp_histogram at 469a40cec1e7b3eb41936114d603550acd5b15da). Those newer files also narrow the times to
 *       {@code DateTime}; we keep {@code DateTime64(9)} (SCHEMA.md, the deployed layout, OTLP's nanoseconds).</li>
 * </ul>
 * Each line is "Name Type [CODEC(...)]"; Nested columns are written on one line and expand to Array columns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExporterSchemaCompatibilityTest {
  private static final String MAP = "Map(LowCardinality(String), String)";
  private static final String METRIC_COMMON = """
      ResourceAttributes MAP CODEC(ZSTD(1))
      ResourceSchemaUrl String CODEC(ZSTD(1))
      ScopeName String CODEC(ZSTD(1))
      ScopeVersion String CODEC(ZSTD(1))
      ScopeAttributes MAP CODEC(ZSTD(1))
      ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1))
      ScopeSchemaUrl String CODEC(ZSTD(1))
      ServiceName LowCardinality(String) CODEC(ZSTD(1))
      MetricName LowCardinality(String) CODEC(ZSTD(1))
      MetricDescription String CODEC(ZSTD(1))
      MetricUnit String CODEC(ZSTD(1))
      Attributes MAP CODEC(ZSTD(1))
      StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1))
      TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1))
      """;
  private static final String EXEMPLARS = "Exemplars Nested(FilteredAttributes MAP, TimeUnix DateTime64(9), "
      + "Value Float64, SpanId String, TraceId String) CODEC(ZSTD(1))\n";
  private static final String METRIC_INDEXES = """
      idx_res_attr_key mapKeys(ResourceAttributes) bloom_filter(0.01) 1
      idx_res_attr_value mapValues(ResourceAttributes) bloom_filter(0.01) 1
      idx_scope_attr_key mapKeys(ScopeAttributes) bloom_filter(0.01) 1
      idx_scope_attr_value mapValues(ScopeAttributes) bloom_filter(0.01) 1
      idx_attr_key mapKeys(Attributes) bloom_filter(0.01) 1
      idx_attr_value mapValues(Attributes) bloom_filter(0.01) 1
      """;

  /** Table -> the exporter's column declarations. */
  private static final Map<String, String> EXPORTER_COLUMNS = new LinkedHashMap<>();
  /** Table -> the exporter's skip indexes: "name expression type granularity". */
  private static final Map<String, String> EXPORTER_INDEXES = new LinkedHashMap<>();

  static {
    EXPORTER_COLUMNS.put(OtelSchema.TRACES, """
        Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1))
        TraceId String CODEC(ZSTD(1))
        SpanId String CODEC(ZSTD(1))
        ParentSpanId String CODEC(ZSTD(1))
        TraceState String CODEC(ZSTD(1))
        SpanName LowCardinality(String) CODEC(ZSTD(1))
        SpanKind LowCardinality(String) CODEC(ZSTD(1))
        ServiceName LowCardinality(String) CODEC(ZSTD(1))
        ResourceAttributes MAP CODEC(ZSTD(1))
        ScopeName String CODEC(ZSTD(1))
        ScopeVersion String CODEC(ZSTD(1))
        SpanAttributes MAP CODEC(ZSTD(1))
        Duration UInt64 CODEC(T64, ZSTD(1))
        StatusCode LowCardinality(String) CODEC(ZSTD(1))
        StatusMessage String CODEC(ZSTD(1))
        Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes MAP) CODEC(ZSTD(1))
        Links Nested(TraceId String, SpanId String, TraceState String, Attributes MAP) CODEC(ZSTD(1))
        ResourceAttributeItems Array(String) ALIAS
        SpanAttributeItems Array(String) ALIAS
        """);
    EXPORTER_INDEXES.put(OtelSchema.TRACES, """
        idx_trace_id TraceId bloom_filter(0.001) 1
        idx_res_attr_key mapKeys(ResourceAttributes) bloom_filter(0.01) 1
        idx_res_attr_value mapValues(ResourceAttributes) bloom_filter(0.01) 1
        idx_span_attr_key mapKeys(SpanAttributes) bloom_filter(0.01) 1
        idx_span_attr_value mapValues(SpanAttributes) bloom_filter(0.01) 1
        idx_duration Duration minmax 1
        idx_lower_span_name lower(SpanName) tokenbf_v1(32768, 3, 0) 8
        """);
    EXPORTER_COLUMNS.put(OtelSchema.TRACE_ID_TS, """
        TraceId String CODEC(ZSTD(1))
        Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1))
        End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
        """);
    EXPORTER_INDEXES.put(OtelSchema.TRACE_ID_TS, "");
    EXPORTER_COLUMNS.put(OtelSchema.LOGS, """
        Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1))
        TimestampTime DateTime ALIAS
        TraceId String CODEC(ZSTD(1))
        SpanId String CODEC(ZSTD(1))
        TraceFlags UInt8
        SeverityText LowCardinality(String) CODEC(ZSTD(1))
        SeverityNumber UInt8
        ServiceName LowCardinality(String) CODEC(ZSTD(1))
        Body String CODEC(ZSTD(1))
        ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1))
        ResourceAttributes MAP CODEC(ZSTD(1))
        ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1))
        ScopeName String CODEC(ZSTD(1))
        ScopeVersion LowCardinality(String) CODEC(ZSTD(1))
        ScopeAttributes MAP CODEC(ZSTD(1))
        LogAttributes MAP CODEC(ZSTD(1))
        EventName String CODEC(ZSTD(1))
        """);
    EXPORTER_INDEXES.put(OtelSchema.LOGS, """
        idx_trace_id TraceId bloom_filter(0.001) 1
        idx_res_attr_key mapKeys(ResourceAttributes) bloom_filter(0.01) 1
        idx_res_attr_value mapValues(ResourceAttributes) bloom_filter(0.01) 1
        idx_scope_attr_key mapKeys(ScopeAttributes) bloom_filter(0.01) 1
        idx_scope_attr_value mapValues(ScopeAttributes) bloom_filter(0.01) 1
        idx_log_attr_key mapKeys(LogAttributes) bloom_filter(0.01) 1
        idx_log_attr_value mapValues(LogAttributes) bloom_filter(0.01) 1
        idx_lower_body lower(Body) tokenbf_v1(32768, 3, 0) 8
        """);
    EXPORTER_COLUMNS.put(OtelSchema.METRICS_GAUGE, METRIC_COMMON + """
        Value Float64 CODEC(ZSTD(1))
        Flags UInt32 CODEC(ZSTD(1))
        """ + EXEMPLARS);
    EXPORTER_COLUMNS.put(OtelSchema.METRICS_SUM, METRIC_COMMON + """
        Value Float64 CODEC(ZSTD(1))
        Flags UInt32 CODEC(ZSTD(1))
        """ + EXEMPLARS + """
        AggregationTemporality Int32 CODEC(ZSTD(1))
        IsMonotonic Boolean CODEC(Delta, ZSTD(1))
        """);
    EXPORTER_COLUMNS.put(OtelSchema.METRICS_HISTOGRAM, METRIC_COMMON + """
        Count UInt64 CODEC(Delta, ZSTD(1))
        Sum Float64 CODEC(ZSTD(1))
        BucketCounts Array(UInt64) CODEC(ZSTD(1))
        ExplicitBounds Array(Float64) CODEC(ZSTD(1))
        """ + EXEMPLARS + """
        Flags UInt32 CODEC(ZSTD(1))
        Min Float64 CODEC(ZSTD(1))
        Max Float64 CODEC(ZSTD(1))
        AggregationTemporality Int32 CODEC(ZSTD(1))
        """);
    EXPORTER_COLUMNS.put(OtelSchema.METRICS_EXP_HISTOGRAM, METRIC_COMMON + """
        Count UInt64 CODEC(Delta, ZSTD(1))
        Sum Float64 CODEC(ZSTD(1))
        Scale Int32 CODEC(ZSTD(1))
        ZeroCount UInt64 CODEC(ZSTD(1))
        PositiveOffset Int32 CODEC(ZSTD(1))
        PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1))
        NegativeOffset Int32 CODEC(ZSTD(1))
        NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1))
        """ + EXEMPLARS + """
        Flags UInt32 CODEC(ZSTD(1))
        Min Float64 CODEC(ZSTD(1))
        Max Float64 CODEC(ZSTD(1))
        AggregationTemporality Int32 CODEC(ZSTD(1))
        """);
    EXPORTER_COLUMNS.put(OtelSchema.METRICS_SUMMARY, METRIC_COMMON + """
        Count UInt64 CODEC(Delta, ZSTD(1))
        Sum Float64 CODEC(ZSTD(1))
        ValueAtQuantiles Nested(Quantile Float64, Value Float64) CODEC(ZSTD(1))
        Flags UInt32 CODEC(ZSTD(1))
        """);
    for (String metrics : List.of(OtelSchema.METRICS_GAUGE, OtelSchema.METRICS_SUM, OtelSchema.METRICS_HISTOGRAM,
        OtelSchema.METRICS_EXP_HISTOGRAM, OtelSchema.METRICS_SUMMARY)) {
      EXPORTER_INDEXES.put(metrics, METRIC_INDEXES);
    }
  }

  /** One column as declared: type as the engine names it, codec as declared ("" for none), and ALIAS or not. */
  record Column(String name, String type, String codec, boolean alias) {}

  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, new SchemaOptions("compat", 7, 7, 7)).migrate();
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void theFixtureCoversEveryTable() {
    assertThat(EXPORTER_COLUMNS.keySet()).containsExactlyElementsOf(OtelSchema.TABLES);
  }

  @Test
  void everyExporterColumnExistsWithTheSameTypeAndCodec() {
    for (String table : OtelSchema.TABLES) {
      Map<String, Column> actual = new LinkedHashMap<>();
      for (String line : rows("SELECT name, type, compression_codec, default_kind = 'ALIAS' FROM system.columns"
          + " WHERE database = 'compat' AND table = {t:String} ORDER BY position", table)) {
        String[] f = line.split("\t", -1);
        actual.put(f[0], new Column(f[0], f[1], f[2], f[3].equals("1") || f[3].equals("true")));
      }
      List<Column> expected = expand(EXPORTER_COLUMNS.get(table));
      for (Column column : expected) {
        assertThat(actual).as("%s.%s", table, column.name()).containsKey(column.name());
        Column ours = actual.get(column.name());
        assertThat(ours.type()).as("type of %s.%s", table, column.name()).isEqualTo(column.type());
        assertThat(ours.alias()).as("ALIAS %s.%s", table, column.name()).isEqualTo(column.alias());
        if (!column.alias()) {
          assertThat(ours.codec()).as("codec of %s.%s", table, column.name())
              .isEqualTo(engineCodec(column.codec(), column.type()));
        }
      }
      List<String> extra = new ArrayList<>(actual.keySet());
      extra.removeAll(expected.stream().map(Column::name).toList());
      // Ours: the tenant everywhere, and the stored series hashes (MATERIALIZED: SELECT * does not show them).
      List<String> ours = table.startsWith("otel_metrics_")
          ? List.of("TenantId", SeriesHashDdl.RESOURCE_HASH, SeriesHashDdl.ATTRIBUTES_HASH) : List.of("TenantId");
      assertThat(extra).as("columns of %s beyond the exporter's", table).containsExactlyInAnyOrderElementsOf(ours);
      assertThat(actual.get("TenantId").type()).isEqualTo("LowCardinality(String)");
      assertThat(actual.get("TenantId").codec()).isEqualTo("CODEC(ZSTD(1))");
    }
  }

  @Test
  void everySortKeyStartsWithTheTenant() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String line : rows("SELECT name, sorting_key, primary_key FROM system.tables WHERE database = 'compat'"
        + " AND name != {t:String} AND engine LIKE '%MergeTree' ORDER BY name", "schema_migrations")) {
      String[] f = line.split("\t");
      keys.put(f[0], f[1]);
      assertThat(f[2]).as("primary key of %s", f[0]).startsWith("TenantId, ");
    }
    List<String> tables = new ArrayList<>(OtelSchema.TABLES);
    tables.addAll(com.kubetelemetry.schema.MetricCatalogDdl.TABLES);
    tables.add(com.kubetelemetry.schema.MetricRollupDdl.ROLLUP);
    tables.add(com.kubetelemetry.schema.CounterRollupDdl.ROLLUP);
    tables.add(com.kubetelemetry.schema.ResourceTablesDdl.HISTORY);
    tables.add(com.kubetelemetry.schema.ResourceTablesDdl.CURRENT);
    assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(tables);
    assertThat(keys).allSatisfy((table, key) -> assertThat(key).as(table).startsWith("TenantId, "));
    assertThat(keys.get(OtelSchema.TRACES))
        .isEqualTo("TenantId, ServiceName, SpanName, toDateTime(Timestamp), Timestamp");
    assertThat(keys.get(OtelSchema.TRACE_ID_TS)).isEqualTo("TenantId, TraceId");
    assertThat(keys.get(OtelSchema.LOGS)).isEqualTo("TenantId, toStartOfFiveMinutes(Timestamp), ServiceName, Timestamp");
    assertThat(keys.get(OtelSchema.METRICS_GAUGE))
        .isEqualTo("TenantId, ServiceName, MetricName, toStartOfHour(TimeUnix), cityHash64(Attributes), TimeUnix");
  }

  @Test
  void everyExporterSkipIndexExists() {
    for (String table : OtelSchema.TABLES) {
      List<String> actual = rows("SELECT name, expr, type_full, granularity FROM system.data_skipping_indices"
          + " WHERE database = 'compat' AND table = {t:String} ORDER BY name", table).stream()
          .map(line -> line.replace('\t', ' ')).toList();
      List<String> expected = EXPORTER_INDEXES.get(table).lines().filter(l -> !l.isBlank()).map(String::strip)
          .toList();
      assertThat(actual).as("skip indexes of %s", table).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void tablesUseTheExporterEnginesPartitionsAndSettings() {
    for (String table : OtelSchema.TABLES) {
      String engineFull = rows("SELECT engine_full FROM system.tables WHERE database = 'compat'"
          + " AND name = {t:String}", table).getFirst();
      // Spans use smaller granules (GetTrace reads whole granules); the other tables keep the exporter's.
      int granularity = table.equals(OtelSchema.TRACES) ? 2048 : 8192;
      assertThat(engineFull).as(table).endsWith("SETTINGS index_granularity = " + granularity
          + ", ttl_only_drop_parts = 1, merge_selector_base = 20");
      String partition = switch (table) {
        case OtelSchema.TRACES, OtelSchema.LOGS -> "PARTITION BY toDate(Timestamp) ";
        case OtelSchema.TRACE_ID_TS -> "PARTITION BY toStartOfWeek(Start) ";
        default -> "PARTITION BY toDate(TimeUnix) ";
      };
      assertThat(engineFull).as(table).contains(partition)
          .startsWith(table.equals(OtelSchema.TRACE_ID_TS) ? "AggregatingMergeTree" : "MergeTree");
    }
    assertThat(rows("SELECT as_select FROM system.tables WHERE database = 'compat' AND name = {t:String}",
        OtelSchema.TRACE_ID_TS_MV).getFirst())
        .contains("min(Timestamp) AS Start", "max(Timestamp) AS End", "WHERE TraceId != ''",
            "GROUP BY TenantId, TraceId");
  }

  /** Parses the fixture: one column per line, Nested(...) expanded to its Array(...) columns. */
  private static List<Column> expand(String declarations) {
    List<Column> columns = new ArrayList<>();
    for (String raw : declarations.replace("MAP", MAP).lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String name = line.substring(0, line.indexOf(' '));
      String rest = line.substring(name.length() + 1);
      boolean alias = rest.endsWith(" ALIAS");
      String codec = "";
      if (alias) {
        rest = rest.substring(0, rest.length() - " ALIAS".length());
      } else if (rest.contains(" CODEC(")) {
        codec = rest.substring(rest.indexOf(" CODEC(") + 1);
        rest = rest.substring(0, rest.indexOf(" CODEC("));
      }
      if (rest.startsWith("Nested(")) {
        for (String field : splitTopLevel(rest.substring("Nested(".length(), rest.length() - 1))) {
          String fieldName = field.substring(0, field.indexOf(' '));
          String fieldType = field.substring(fieldName.length() + 1);
          columns.add(new Column(name + "." + fieldName, "Array(" + fieldType + ")", codec, false));
        }
      } else {
        columns.add(new Column(name, rest.equals("Boolean") ? "Bool" : rest, codec, alias));
      }
    }
    return columns;
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).strip());
    return parts;
  }

  /** The codec as the engine reports it: a bare Delta gets the width of the column's values. */
  private static String engineCodec(String declared, String type) {
    int width = switch (type) {
      case "Bool" -> 1;
      default -> 8;
    };
    return declared.replace("Delta,", "Delta(" + width + "),");
  }

  private List<String> rows(String sql, String table) {
    return store.query(Sql.of(sql, new Param("t", "String", table)), "TSVRaw").text().lines()
        .filter(l -> !l.isEmpty()).toList();
  }
}
