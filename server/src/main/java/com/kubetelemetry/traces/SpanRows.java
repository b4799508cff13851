/** Maps the rows of a trace read (TraceFetchCompiler's columns) to API spans. */
package com.kubetelemetry.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.kubetelemetry.api.v1.Attribute;
import com.kubetelemetry.api.v1.AttributeValue;
import com.kubetelemetry.api.v1.Span;
import com.kubetelemetry.api.v1.SpanEvent;
import com.kubetelemetry.api.v1.SpanLink;
import com.kubetelemetry.api.v1.SpanStatus;
import com.kubetelemetry.query.traces.SpanKind;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.ProtoQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Attributes keep the engine's order (the order they were written in); events and links keep theirs. */
final class SpanRows {
  private SpanRows() {}

  static Span span(EngineRow row) {
    Span.Builder span = Span.newBuilder()
        .setTraceId(row.string(0))
        .setSpanId(row.string(1))
        .setParentSpanId(row.string(2))
        .setTraceState(row.string(3))
        .setName(row.string(4))
        .setKind(kind(row.string(5)))
        .setServiceName(row.string(6))
        .setStartTime(ProtoQueries.timestamp(row.int64(7)))
        .setDuration(ProtoQueries.duration(row.int64(8)))
        .setStatus(status(row.string(9)))
        .setStatusMessage(row.string(10))
        .addAllAttributes(attributes(row.stringMap(11)))
        .addAllResourceAttributes(attributes(row.stringMap(12)))
        .setScopeName(row.string(13))
        .setScopeVersion(row.string(14));
    long[] eventNanos = row.longs(15);
    List<String> eventNames = row.strings(16);
    JsonNode eventAttributes = row.node(17);
    for (int i = 0; i < eventNanos.length; i++) {
      span.addEvents(SpanEvent.newBuilder().setTime(ProtoQueries.timestamp(eventNanos[i]))
          .setName(eventNames.get(i)).addAllAttributes(attributes(eventAttributes.get(i))));
    }
    List<String> linkTraces = row.strings(18);
    List<String> linkSpans = row.strings(19);
    List<String> linkStates = row.strings(20);
    JsonNode linkAttributes = row.node(21);
    for (int i = 0; i < linkTraces.size(); i++) {
      span.addLinks(SpanLink.newBuilder().setTraceId(linkTraces.get(i)).setSpanId(linkSpans.get(i))
          .setTraceState(linkStates.get(i)).addAllAttributes(attributes(linkAttributes.get(i))));
    }
    return span.build();
  }

  /** The API kind of a stored kind; unspecified for "Unspecified" or anything unknown. */
  static com.kubetelemetry.api.v1.SpanKind kind(String stored) {
    SpanKind kind = SpanKind.fromStored(stored);
    return kind == null ? com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_UNSPECIFIED : switch (kind) {
      case INTERNAL -> com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_INTERNAL;
      case SERVER -> com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_SERVER;
      case CLIENT -> com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_CLIENT;
      case PRODUCER -> com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER -> com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_CONSUMER;
    };
  }

  static SpanStatus status(String stored) {
    return switch (stored) {
      case "Unset" -> SpanStatus.SPAN_STATUS_UNSET;
      case "Ok" -> SpanStatus.SPAN_STATUS_OK;
      case "Error" -> SpanStatus.SPAN_STATUS_ERROR;
      default -> SpanStatus.SPAN_STATUS_UNSPECIFIED;
    };
  }

  private static List<Attribute> attributes(Map<String, String> map) {
    List<Attribute> out = new ArrayList<>(map.size());
    map.forEach((k, v) -> out.add(attribute(k, v)));
    return out;
  }

  private static List<Attribute> attributes(JsonNode object) {
    List<Attribute> out = new ArrayList<>();
    if (object != null) {
      object.properties().forEach(e -> out.add(attribute(e.getKey(), e.getValue().asText())));
    }
    return out;
  }

  private static Attribute attribute(String key, String value) {
    return Attribute.newBuilder().setKey(key).setValue(AttributeValue.newBuilder().setStringValue(value)).build();
  }
}
