/** The telemetry tables a query can read, with their attribute map columns and the top-level fields filters may name. */
package com.kubetelemetry.query;

import com.kubetelemetry.schema.OtelSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Identifiers written into SQL come only from here. Requests name top-level fields by their API name (snake_case,
 * as documented in common.proto); {@link #field} maps that name to the ClickHouse column and the type a value
 * binds as (String, UInt64 or Float64). {@code scopeMap} is null for traces (their scope is only a name and
 * version, filtered as the {@code name} and {@code version} scope keys).
 */
public enum SignalTable {
  TRACES(OtelSchema.TRACES, "Timestamp", "SpanAttributes", null, fields(
      "service_name", "ServiceName", "span_name", "SpanName", "span_kind", "SpanKind", "status_code", "StatusCode",
      "status_message", "StatusMessage", "trace_id", "TraceId", "span_id", "SpanId", "parent_span_id",
      "ParentSpanId", "trace_state", "TraceState", "scope_name", "ScopeName", "scope_version", "ScopeVersion"),
      Map.of("duration_nanos", new Field("duration_nanos", "Duration", "UInt64"))),
  LOGS(OtelSchema.LOGS, "Timestamp", "LogAttributes", "ScopeAttributes", fields(
      "service_name", "ServiceName", "severity_text", "SeverityText", "body", "Body", "trace_id", "TraceId",
      "span_id", "SpanId", "event_name", "EventName", "scope_name", "ScopeName", "scope_version", "ScopeVersion"),
      Map.of("severity_number", new Field("severity_number", "SeverityNumber", "UInt64"),
          "trace_flags", new Field("trace_flags", "TraceFlags", "UInt64"))),
  METRICS_GAUGE(OtelSchema.METRICS_GAUGE, true),
  METRICS_SUM(OtelSchema.METRICS_SUM, true),
  METRICS_HISTOGRAM(OtelSchema.METRICS_HISTOGRAM, false),
  METRICS_EXP_HISTOGRAM(OtelSchema.METRICS_EXP_HISTOGRAM, false),
  METRICS_SUMMARY(OtelSchema.METRICS_SUMMARY, false);

  public static final String RESOURCE_MAP = "ResourceAttributes";

  /**
   * A top-level field a request may name.
   *
   * @param name API name, e.g. {@code duration_nanos}
   * @param column ClickHouse column, e.g. {@code Duration}
   * @param type parameter type a compared value binds as: String, UInt64 or Float64
   */
  public record Field(String name, String column, String type) {
    public boolean isText() {
      return type.equals("String");
    }
  }

  private final String table;
  private final String timeColumn;
  private final String itemMap;
  private final String scopeMap;
  private final Map<String, Field> fields;

  SignalTable(String table, String timeColumn, String itemMap, String scopeMap, Map<String, Field> text,
      Map<String, Field> numbers) {
    this.table = table;
    this.timeColumn = timeColumn;
    this.itemMap = itemMap;
    this.scopeMap = scopeMap;
    TreeMap<String, Field> all = new TreeMap<>(text);
    all.putAll(numbers);
    this.fields = java.util.Collections.unmodifiableMap(all);
  }

  SignalTable(String metricsTable, boolean hasValue) {
    this(metricsTable, "TimeUnix", "Attributes", "ScopeAttributes", fields("service_name", "ServiceName",
        "metric_name", "MetricName", "metric_description", "MetricDescription", "metric_unit", "MetricUnit",
        "scope_name", "ScopeName", "scope_version", "ScopeVersion"),
        hasValue ? Map.of("value", new Field("value", "Value", "Float64")) : Map.of());
  }

  /** Text fields from alternating API name / column name pairs. */
  private static Map<String, Field> fields(String... pairs) {
    Map<String, Field> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], new Field(pairs[i], pairs[i + 1], "String"));
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

  /** The field a request names by {@code apiName}, if it is on the allow-list of this table. */
  public Optional<Field> field(String apiName) {
    return apiName == null ? Optional.empty() : Optional.ofNullable(fields.get(apiName));
  }

  /** Allowed field names in order, for error messages. */
  public List<String> fieldNames() {
    return List.copyOf(fields.keySet());
  }
}
