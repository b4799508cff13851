/**
 * Maps an OTLP logs export to rows of otel_logs, validating each log record per the OTLP specification; records of
 * the Collector's k8sobjects receiver also become rows of the Kubernetes object tables.
 */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.resources.K8sObjectLogs;
import com.kubetelemetry.resources.ObjectChange;
import com.kubetelemetry.resources.ResourceRows;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.nativeformat.EncodedMap;
import com.kubetelemetry.storage.nativeformat.NativeBlockBuilder;
import com.kubetelemetry.storage.nativeformat.NativeColumn;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Column names and values follow the Collector's ClickHouse exporter: Timestamp is time_unix_nano, or
 * observed_time_unix_nano when that is 0; Body is the flattened AnyValue (any kind); TraceFlags is the low byte of
 * flags; ids are hex ("" when absent). Every row also gets {@code TenantId}. Records with a trace id that is
 * neither empty nor 16 bytes, a span id that is neither empty nor 8 bytes, or neither timestamp are rejected and
 * counted; the rest are kept. Thread-safe.
 */
public final class LogRowMapper {
  /** The table log records go to. */
  public static final String TABLE = "otel_logs";

  private final MappingLimits limits;
  private final AttributeWriter attributes;

  public LogRowMapper(MappingLimits limits) {
    this.limits = limits;
    this.attributes = new AttributeWriter(limits);
  }

  public MappedExport map(WriteScope scope, ExportLogsServiceRequest request) {
    Rejections rejections = new Rejections("log record", "log records", limits.maxReportedProblems());
    LogColumns columns = null;
    long accepted = 0;
    List<ObjectChange> objects = new ArrayList<>();
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      ResourceFields resource = null;
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        EncodedMap scopeAttributes = null;
        for (LogRecord log : scopeLogs.getLogRecordsList()) {
          String problem = problem(log);
          if (problem != null) {
            rejections.reject(1, problem);
            continue;
          }
          if (resource == null) {
            resource = ResourceFields.of(scope, resourceLogs.getResource(), attributes);
          }
          if (scopeAttributes == null) {
            scopeAttributes = attributes.encode(scopeLogs.getScope().getAttributesList());
          }
          if (columns == null) {
            columns = new LogColumns(recordCount(request));
          }
          columns.add(resource, resourceLogs.getSchemaUrl(), scopeLogs, scopeAttributes, log, attributes);
          ObjectChange object = K8sObjectLogs.change(resource.tenant(), resourceLogs.getResource(), log);
          if (object != null) {
            objects.add(object);
          }
          accepted++;
        }
      }
    }
    Map<String, NativeBlock> blocks = new HashMap<>(ResourceRows.blocks(objects));
    if (columns != null) {
      blocks.put(TABLE, columns.builder.build());
    }
    return new MappedExport(blocks, accepted, rejections.count(), rejections.message());
  }

  private static int recordCount(ExportLogsServiceRequest request) {
    int count = 0;
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        count += scopeLogs.getLogRecordsCount();
      }
    }
    return count;
  }

  /** Why the record is invalid, or null when it is valid. */
  static String problem(LogRecord log) {
    int traceId = log.getTraceId().size();
    if (traceId != 0 && traceId != 16) {
      return "log record has a trace id of " + traceId + " bytes (must be 16, or empty)";
    }
    int spanId = log.getSpanId().size();
    if (spanId != 0 && spanId != 8) {
      return "log record has a span id of " + spanId + " bytes (must be 8, or empty)";
    }
    if (log.getTimeUnixNano() == 0 && log.getObservedTimeUnixNano() == 0) {
      return "log record has no time (time_unix_nano and observed_time_unix_nano are both 0)";
    }
    return null;
  }

  /** The otel_logs columns of one block. */
  private static final class LogColumns {
    final NativeBlockBuilder builder;
    final NativeColumn.StringColumn tenantId;
    final NativeColumn.DateTime64Column timestamp;
    final NativeColumn.StringColumn traceId;
    final NativeColumn.StringColumn spanId;
    final NativeColumn.UInt8Column traceFlags;
    final NativeColumn.StringColumn severityText;
    final NativeColumn.UInt8Column severityNumber;
    final NativeColumn.StringColumn serviceName;
    final NativeColumn.StringColumn body;
    final NativeColumn.StringColumn resourceSchemaUrl;
    final NativeColumn.MapColumn resourceAttributes;
    final NativeColumn.StringColumn scopeSchemaUrl;
    final NativeColumn.StringColumn scopeName;
    final NativeColumn.StringColumn scopeVersion;
    final NativeColumn.MapColumn scopeAttributes;
    final NativeColumn.MapColumn logAttributes;
    final NativeColumn.StringColumn eventName;

    LogColumns(int expectedRows) {
      builder = new NativeBlockBuilder(expectedRows);
      tenantId = builder.string("TenantId");
      timestamp = builder.dateTime64("Timestamp");
      traceId = builder.string("TraceId");
      spanId = builder.string("SpanId");
      traceFlags = builder.uint8("TraceFlags");
      severityText = builder.string("SeverityText");
      severityNumber = builder.uint8("SeverityNumber");
      serviceName = builder.string("ServiceName");
      body = builder.string("Body");
      resourceSchemaUrl = builder.string("ResourceSchemaUrl");
      resourceAttributes = builder.map("ResourceAttributes");
      scopeSchemaUrl = builder.string("ScopeSchemaUrl");
      scopeName = builder.string("ScopeName");
      scopeVersion = builder.string("ScopeVersion");
      scopeAttributes = builder.map("ScopeAttributes");
      logAttributes = builder.map("LogAttributes");
      eventName = builder.string("EventName");
    }

    void add(ResourceFields resource, String resourceSchema, ScopeLogs scope, EncodedMap scopeAttrs, LogRecord log,
        AttributeWriter writer) {
      tenantId.add(resource.tenant());
      timestamp.add(log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano());
      traceId.add(Ids.hex(log.getTraceId()));
      spanId.add(Ids.hex(log.getSpanId()));
      traceFlags.add(log.getFlags() & 0xFF);
      severityText.add(log.getSeverityText());
      severityNumber.add(log.getSeverityNumberValue());
      serviceName.add(resource.serviceName());
      body.add(AnyValueText.asString(log.getBody(), 0));
      resourceSchemaUrl.add(resourceSchema);
      resourceAttributes.putAll(resource.attributes());
      resourceAttributes.endRow();
      scopeSchemaUrl.add(scope.getSchemaUrl());
      scopeName.add(scope.getScope().getName());
      scopeVersion.add(scope.getScope().getVersion());
      scopeAttributes.putAll(scopeAttrs);
      scopeAttributes.endRow();
      writer.put(log.getAttributesList(), logAttributes);
      logAttributes.endRow();
      eventName.add(log.getEventName());
    }
  }
}
