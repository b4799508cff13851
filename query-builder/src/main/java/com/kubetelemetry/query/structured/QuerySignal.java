/** The signals a structured query reads, each with its allow-listed fields and the rows it reads from. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import java.util.List;

/**
 * Fields come from the allow-lists of {@link SignalTable} (the API's snake_case names); METRICS reads the number
 * points of gauges and sums together, through a UNION ALL of the two tables.
 */
public enum QuerySignal {
  TRACES(SignalTable.TRACES),
  LOGS(SignalTable.LOGS),
  METRICS(SignalTable.METRICS_GAUGE);

  /** Columns the METRICS source reads from each of the gauge and sum tables. */
  private static final String METRIC_COLUMNS = "TenantId, TimeUnix, ServiceName, MetricName, MetricDescription, "
      + "MetricUnit, Value, ResourceAttributes, ScopeName, ScopeVersion, ScopeAttributes, Attributes";

  private final SignalTable table;

  QuerySignal(SignalTable table) {
    this.table = table;
  }

  /** The table whose attribute maps and fields this signal has (for METRICS: the gauge table's, as sums'). */
  public SignalTable table() {
    return table;
  }

  /** The DateTime64(9) column bounded by the time range. */
  public String timeColumn() {
    return table.timeColumn();
  }

  /** The output type of a field's values. */
  static ValueType type(SignalTable.Field field) {
    return switch (field.type()) {
      case "String" -> ValueType.STRING;
      case "Float64" -> ValueType.DOUBLE;
      default -> ValueType.INT64;
    };
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
