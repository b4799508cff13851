/** The telemetry tables a query can read, with their attribute map columns and the top-level columns filters may name. */
package com.kubetelemetry.query;

import com.kubetelemetry.schema.OtelSchema;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identifiers written into SQL come only from here. {@code scopeMap} is null for traces (their scope is only a
 * name and version, filtered as the {@code name} and {@code version} scope keys). Column types are the ClickHouse
 * types of the parameters a filter on that column binds: String, or UInt64 for numbers.
 */
public enum SignalTable {
  TRACES(OtelSchema.TRACES, "Timestamp", "SpanAttributes", null, columns(
      "TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName", "SpanKind", "ServiceName", "ScopeName",
      "ScopeVersion", "StatusCode", "StatusMessage"), Map.of("Duration", "UInt64")),
  LOGS(OtelSchema.LOGS, "Timestamp", "LogAttributes", "ScopeAttributes", columns(
      "TraceId", "SpanId", "SeverityText", "ServiceName", "Body", "ScopeName", "ScopeVersion", "EventName"),
      Map.of("SeverityNumber", "UInt64", "TraceFlags", "UInt64")),
  METRICS_GAUGE(OtelSchema.METRICS_GAUGE),
  METRICS_SUM(OtelSchema.METRICS_SUM),
  METRICS_HISTOGRAM(OtelSchema.METRICS_HISTOGRAM),
  METRICS_EXP_HISTOGRAM(OtelSchema.METRICS_EXP_HISTOGRAM),
  METRICS_SUMMARY(OtelSchema.METRICS_SUMMARY);

  public static final String RESOURCE_MAP = "ResourceAttributes";

  private final String table;
  private final String timeColumn;
  private final String itemMap;
  private final String scopeMap;
  private final Map<String, String> columnTypes;

  SignalTable(String table, String timeColumn, String itemMap, String scopeMap, Map<String, String> strings,
      Map<String, String> numbers) {
    this.table = table;
    this.timeColumn = timeColumn;
    this.itemMap = itemMap;
    this.scopeMap = scopeMap;
    TreeMap<String, String> all = new TreeMap<>(strings);
    all.putAll(numbers);
    this.columnTypes = java.util.Collections.unmodifiableMap(all);
  }

  SignalTable(String metricsTable) {
    this(metricsTable, "TimeUnix", "Attributes", "ScopeAttributes", columns("ServiceName", "MetricName",
        "MetricDescription", "MetricUnit", "ScopeName", "ScopeVersion"), Map.of());
  }

  private static Map<String, String> columns(String... names) {
    TreeMap<String, String> m = new TreeMap<>();
    for (String n : names) {
      m.put(n, "String");
    }
    return m;
  }

  /** Table name (unqualified; qualify with SchemaOptions). */
  public String table() {
    return table;
  }

  /** The DateTime64(9) column a time range bounds. */
  public String timeColumn() {
    return timeColumn;
  }

  /** Span, log record or point attributes. */
  public String itemMap() {
    return itemMap;
  }

  /** Scope attributes, or null when the table has none (traces). */
  public String scopeMap() {
    return scopeMap;
  }

  /** Top-level columns a filter may name, sorted, with the parameter type a value binds as. */
  public Map<String, String> columnTypes() {
    return columnTypes;
  }

  /** Allowed column names in order, for error messages. */
  public List<String> columnNames() {
    return List.copyOf(columnTypes.keySet());
  }
}
