/** Reads the rows of a log search or tail query into LogRecord messages and their order keys. */
package com.kubetelemetry.logs;

import com.kubetelemetry.api.v1.Attribute;
import com.kubetelemetry.api.v1.AttributeValue;
import com.kubetelemetry.api.v1.LogRecord;
import com.kubetelemetry.api.v1.Severity;
import com.kubetelemetry.query.logs.LogCursor;
import com.kubetelemetry.query.logs.LogRecordColumns;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.ProtoQueries;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Columns are those of {@link LogRecordColumns}; attributes come back sorted by key. */
final class LogRecordRows {
  private LogRecordRows() {}

  static LogRecord record(EngineRow row) {
    int severityNumber = (int) row.int64(LogRecordColumns.SEVERITY_NUMBER);
    return LogRecord.newBuilder()
        .setTimestamp(ProtoQueries.timestamp(row.int64(LogRecordColumns.TIMESTAMP_NANOS)))
        .setTraceId(row.string(LogRecordColumns.TRACE_ID))
        .setSpanId(row.string(LogRecordColumns.SPAN_ID))
        .setTraceFlags((int) row.int64(LogRecordColumns.TRACE_FLAGS))
        .setSeverityText(row.string(LogRecordColumns.SEVERITY_TEXT))
        .setSeverityNumber(severityNumber)
        .setSeverity(Severity.forNumber(LogSeverity.ofNumber(severityNumber).ordinal()))
        .setServiceName(row.string(LogRecordColumns.SERVICE_NAME))
        .setBody(row.string(LogRecordColumns.BODY))
        .addAllAttributes(attributes(row.stringMap(LogRecordColumns.LOG_ATTRIBUTES)))
        .addAllResourceAttributes(attributes(row.stringMap(LogRecordColumns.RESOURCE_ATTRIBUTES)))
        .setResourceSchemaUrl(row.string(LogRecordColumns.RESOURCE_SCHEMA_URL))
        .setScopeName(row.string(LogRecordColumns.SCOPE_NAME))
        .setScopeVersion(row.string(LogRecordColumns.SCOPE_VERSION))
        .addAllScopeAttributes(attributes(row.stringMap(LogRecordColumns.SCOPE_ATTRIBUTES)))
        .setScopeSchemaUrl(row.string(LogRecordColumns.SCOPE_SCHEMA_URL))
        .setEventName(row.string(LogRecordColumns.EVENT_NAME))
        .build();
  }

  static LogCursor.Key key(EngineRow row) {
    return new LogCursor.Key(row.int64(LogRecordColumns.TIMESTAMP_NANOS),
        new BigInteger(row.string(LogRecordColumns.ROW_HASH)));
  }

  static List<LogCursor.Key> keys(List<EngineRow> rows) {
    List<LogCursor.Key> out = new ArrayList<>(rows.size());
    for (EngineRow row : rows) {
      out.add(key(row));
    }
    return out;
  }

  private static List<Attribute> attributes(Map<String, String> map) {
    List<Attribute> out = new ArrayList<>(map.size());
    for (var e : new TreeMap<>(map).entrySet()) {
      out.add(Attribute.newBuilder().setKey(e.getKey())
          .setValue(AttributeValue.newBuilder().setStringValue(e.getValue())).build());
    }
    return out;
  }
}
