/** The signals a structured query reads, each with its allow-listed fields and the rows it reads from. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every identifier a structured query writes into SQL comes from here. Field names are the API's snake_case names
 * (common.proto, ATTRIBUTE_TARGET_FIELD); METRICS reads the number points of gauges and sums together.
 */
public enum QuerySignal {
  TRACES(SignalTable.TRACES, fields(
      "service_name", "ServiceName", "span_name", "SpanName", "span_kind", "SpanKind", "status_code", "StatusCode",
      "status_message", "StatusMessage", "trace_id", "TraceId", "span_id", "SpanId", "parent_span_id",
      "ParentSpanId", "duration_nanos", "Duration:INT64", "scope_name", "ScopeName", "scope_version",
      "ScopeVersion")),
  LOGS(SignalTable.LOGS, fields(
      "service_name", "ServiceName", "severity_text", "SeverityText", "severity_number", "SeverityNumber:INT64",
      "body", "Body", "trace_id", "TraceId", "span_id", "SpanId", "event_name", "EventName", "scope_name",
      "ScopeName")),
  METRICS(SignalTable.METRICS_GAUGE, fields(
      "service_name", "ServiceName", "metric_name", "MetricName", "metric_unit", "MetricUnit", "value",
      "Value:DOUBLE"));

  /** Columns the METRICS source reads from each of the gauge and sum tables. */
  private static final String METRIC_COLUMNS = "TenantId, TimeUnix, ServiceName, MetricName, MetricUnit, Value, "
      + "ResourceAttributes, ScopeName, ScopeVersion, ScopeAttributes, Attributes";

  /** One allow-listed top-level field: API name, ClickHouse column, value type. */
  public record Field(String name, String column, ValueType type) {
    public boolean numeric() {
      return type != ValueType.STRING;
    }
  }

  private final SignalTable table;
  private final Map<String, Field> fields;

  QuerySignal(SignalTable table, Map<String, Field> fields) {
    this.table = table;
    this.fields = fields;
  }

  private static Map<String, Field> fields(String... pairs) {
    Map<String, Field> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      String[] column = pairs[i + 1].split(":");
      ValueType type = column.length == 2 ? ValueType.valueOf(column[1]) : ValueType.STRING;
      out.put(pairs[i], new Field(pairs[i], column[0], type));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The table whose attribute maps and filterable columns this signal has (for METRICS: the gauge table's). */
  public SignalTable table() {
    return table;
  }

  /** The DateTime64(9) column bounded by the time range. */
  public String timeColumn() {
    return table.timeColumn();
  }

  /** The field called {@code name}, or null. */
  public Field field(String name) {
    return fields.get(name);
  }

  /** Allowed field names in the API's order, for error messages. */
  public List<String> fieldNames() {
    return List.copyOf(fields.keySet());
  }

  /** Lines of the FROM clause: the qualified table, or for METRICS a union of the gauge and sum tables. */
  public List<String> fromLines(SchemaOptions schema) {
    if (this != METRICS) {
      return List.of("FROM " + schema.qualified(table.table()));
    }
    return List.of("FROM (",
        "    SELECT " + METRIC_COLUMNS + " FROM " + schema.qualified(OtelSchema.METRICS_GAUGE),
        "    UNION ALL",
        "    SELECT " + METRIC_COLUMNS + " FROM " + schema.qualified(OtelSchema.METRICS_SUM),
        ")");
  }
}
