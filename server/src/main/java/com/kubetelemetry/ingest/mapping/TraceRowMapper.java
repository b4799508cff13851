/** Maps an OTLP trace export to rows of otel_traces, validating each span per the OTLP specification. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.nativeformat.NativeBlockBuilder;
import com.kubetelemetry.storage.nativeformat.NativeColumn;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Map;

/**
 * Column names and values follow the Collector's ClickHouse exporter: hex ids ("" when absent), SpanKind as
 * "Server", "Client", ..., StatusCode as "Unset"/"Ok"/"Error", Duration in nanoseconds (0 when the end precedes
 * the start), Events and Links as nested arrays. Every row also gets {@code TenantId}. Spans with a trace id that
 * is not 16 bytes, a span id that is not 8 bytes, a parent span id that is neither empty nor 8 bytes, or no start
 * time are rejected and counted; the rest are kept. Thread-safe (no state beyond the limits).
 */
public final class TraceRowMapper {
  /** The table spans go to. */
  public static final String TABLE = "otel_traces";

  private final MappingLimits limits;
  private final AttributeWriter attributes;

  public TraceRowMapper(MappingLimits limits) {
    this.limits = limits;
    this.attributes = new AttributeWriter(limits);
  }

  public MappedExport map(WriteScope scope, ExportTraceServiceRequest request) {
    Rejections rejections = new Rejections("span", "spans", limits.maxReportedProblems());
    TraceColumns columns = null;
    long accepted = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      ResourceFields resource = null;
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scopeName = scopeSpans.getScope().getName();
        String scopeVersion = scopeSpans.getScope().getVersion();
        for (Span span : scopeSpans.getSpansList()) {
          String problem = problem(span);
          if (problem != null) {
            rejections.reject(1, problem);
            continue;
          }
          if (resource == null) {
            resource = ResourceFields.of(scope, resourceSpans.getResource(), attributes);
          }
          if (columns == null) {
            columns = new TraceColumns(spanCount(request));
          }
          columns.add(resource, scopeName, scopeVersion, span, attributes);
          accepted++;
        }
      }
    }
    Map<String, NativeBlock> blocks = columns == null ? Map.of() : Map.of(TABLE, columns.builder.build());
    return new MappedExport(blocks, accepted, rejections.count(), rejections.message());
  }

  private static int spanCount(ExportTraceServiceRequest request) {
    int count = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        count += scopeSpans.getSpansCount();
      }
    }
    return count;
  }

  /** Why the span is invalid, or null when it is valid. */
  static String problem(Span span) {
    String name = Rejections.quote(span.getName());
    if (span.getTraceId().size() != 16) {
      return "span " + name + " has a trace id of " + span.getTraceId().size() + " bytes (must be 16)";
    }
    if (span.getSpanId().size() != 8) {
      return "span " + name + " has a span id of " + span.getSpanId().size() + " bytes (must be 8)";
    }
    int parent = span.getParentSpanId().size();
    if (parent != 0 && parent != 8) {
      return "span " + name + " has a parent span id of " + parent + " bytes (must be 8, or empty for a root span)";
    }
    if (span.getStartTimeUnixNano() == 0) {
      return "span " + name + " has no start time (start_time_unix_nano is 0)";
    }
    return null;
  }

  /** SpanKind as the exporter writes it (pdata's SpanKind.String()). */
  static String kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_UNSPECIFIED -> "Unspecified";
      case SPAN_KIND_INTERNAL -> "Internal";
      case SPAN_KIND_SERVER -> "Server";
      case SPAN_KIND_CLIENT -> "Client";
      case SPAN_KIND_PRODUCER -> "Producer";
      case SPAN_KIND_CONSUMER -> "Consumer";
      case UNRECOGNIZED -> "";
    };
  }

  /** StatusCode as the exporter writes it (pdata's StatusCode.String()). */
  static String statusCode(Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_UNSET -> "Unset";
      case STATUS_CODE_OK -> "Ok";
      case STATUS_CODE_ERROR -> "Error";
      case UNRECOGNIZED -> "";
    };
  }

  /** The otel_traces columns of one block. */
  private static final class TraceColumns {
    final NativeBlockBuilder builder;
    final NativeColumn.StringColumn tenantId;
    final NativeColumn.DateTime64Column timestamp;
    final NativeColumn.StringColumn traceId;
    final NativeColumn.StringColumn spanId;
    final NativeColumn.StringColumn parentSpanId;
    final NativeColumn.StringColumn traceState;
    final NativeColumn.StringColumn spanName;
    final NativeColumn.StringColumn spanKind;
    final NativeColumn.StringColumn serviceName;
    final NativeColumn.MapColumn resourceAttributes;
    final NativeColumn.StringColumn scopeName;
    final NativeColumn.StringColumn scopeVersion;
    final NativeColumn.MapColumn spanAttributes;
    final NativeColumn.UInt64Column duration;
    final NativeColumn.StringColumn statusCode;
    final NativeColumn.StringColumn statusMessage;
    final NativeColumn.DateTime64ArrayColumn eventTimestamp;
    final NativeColumn.StringArrayColumn eventName;
    final NativeColumn.MapArrayColumn eventAttributes;
    final NativeColumn.StringArrayColumn linkTraceId;
    final NativeColumn.StringArrayColumn linkSpanId;
    final NativeColumn.StringArrayColumn linkTraceState;
    final NativeColumn.MapArrayColumn linkAttributes;

    TraceColumns(int expectedRows) {
      builder = new NativeBlockBuilder(expectedRows);
      tenantId = builder.string("TenantId");
      timestamp = builder.dateTime64("Timestamp");
      traceId = builder.string("TraceId");
      spanId = builder.string("SpanId");
      parentSpanId = builder.string("ParentSpanId");
      traceState = builder.string("TraceState");
      spanName = builder.string("SpanName");
      spanKind = builder.string("SpanKind");
      serviceName = builder.string("ServiceName");
      resourceAttributes = builder.map("ResourceAttributes");
      scopeName = builder.string("ScopeName");
      scopeVersion = builder.string("ScopeVersion");
      spanAttributes = builder.map("SpanAttributes");
      duration = builder.uint64("Duration");
      statusCode = builder.string("StatusCode");
      statusMessage = builder.string("StatusMessage");
      eventTimestamp = builder.dateTime64Array("Events.Timestamp");
      eventName = builder.stringArray("Events.Name");
      eventAttributes = builder.mapArray("Events.Attributes");
      linkTraceId = builder.stringArray("Links.TraceId");
      linkSpanId = builder.stringArray("Links.SpanId");
      linkTraceState = builder.stringArray("Links.TraceState");
      linkAttributes = builder.mapArray("Links.Attributes");
    }

    void add(ResourceFields resource, String scope, String version, Span span, AttributeWriter writer) {
      tenantId.add(resource.tenant());
      timestamp.add(span.getStartTimeUnixNano());
      traceId.add(Ids.hex(span.getTraceId()));
      spanId.add(Ids.hex(span.getSpanId()));
      parentSpanId.add(Ids.hex(span.getParentSpanId()));
      traceState.add(span.getTraceState());
      spanName.add(span.getName());
      spanKind.add(kind(span.getKind()));
      serviceName.add(resource.serviceName());
      resourceAttributes.putAll(resource.attributes());
      resourceAttributes.endRow();
      scopeName.add(scope);
      scopeVersion.add(version);
      writer.put(span.getAttributesList(), spanAttributes);
      spanAttributes.endRow();
      long start = span.getStartTimeUnixNano();
      long end = span.getEndTimeUnixNano();
      duration.add(Long.compareUnsigned(end, start) > 0 ? end - start : 0);
      statusCode.add(statusCode(span.getStatus().getCode()));
      statusMessage.add(span.getStatus().getMessage());
      for (Span.Event event : span.getEventsList()) {
        eventTimestamp.add(event.getTimeUnixNano());
        eventName.add(event.getName());
        writer.putElement(event.getAttributesList(), eventAttributes);
      }
      eventTimestamp.endRow();
      eventName.endRow();
      eventAttributes.endRow();
      for (Span.Link link : span.getLinksList()) {
        linkTraceId.add(Ids.hex(link.getTraceId()));
        linkSpanId.add(Ids.hex(link.getSpanId()));
        linkTraceState.add(link.getTraceState());
        writer.putElement(link.getAttributesList(), linkAttributes);
      }
      linkTraceId.endRow();
      linkSpanId.endRow();
      linkTraceState.endRow();
      linkAttributes.endRow();
    }
  }
}
