/** Recognises log records written by the OpenTelemetry Collector's k8sobjects receiver and reads their objects. */
package com.kubetelemetry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Base64;

/**
 * The receiver sets the record attribute {@code k8s.resource.name} (the plural, e.g. "pods") and puts the object in
 * the body as a map: in pull mode the object itself (stored as MODIFIED: a pull says nothing about what changed;
 * repeated pulls of an unchanged object collapse into one history row), in watch mode {@code {type, object}} with
 * type ADDED, MODIFIED or DELETED (BOOKMARK and ERROR are ignored). The cluster is the resource attribute
 * {@code k8s.cluster.name} when present. Pure; thread-safe.
 */
public final class K8sObjectLogs {
  public static final String RESOURCE_ATTRIBUTE = "k8s.resource.name";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private K8sObjectLogs() {}

  /** The change the record carries, or null when it is not a k8sobjects record with a usable object. */
  public static ObjectChange change(String tenant, Resource resource, LogRecord log) {
    if (log.getAttributesList().stream().noneMatch(a -> a.getKey().equals(RESOURCE_ATTRIBUTE))
        || !log.getBody().hasKvlistValue()) {
      return null;
    }
    JsonNode body = json(log.getBody(), 0);
    ChangeType type = ChangeType.MODIFIED;
    JsonNode object = body;
    if (body.has("object") && body.path("type").isTextual()) {
      switch (body.path("type").asText()) {
        case "ADDED" -> type = ChangeType.ADDED;
        case "MODIFIED" -> type = ChangeType.MODIFIED;
        case "DELETED" -> type = ChangeType.DELETED;
        default -> {
          return null;
        }
      }
      object = body.get("object");
    }
    if (!(object instanceof ObjectNode node)) {
      return null;
    }
    try {
      ObjectFields.of(node);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String cluster = "";
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("k8s.cluster.name")) {
        cluster = kv.getValue().getStringValue();
      }
    }
    long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
    return new ObjectChange(tenant, cluster, type, time, node);
  }

  /** An OTLP value as JSON; nesting deeper than 64 levels is cut off as null. */
  static JsonNode json(AnyValue value, int depth) {
    if (depth > 64) {
      return NODES.nullNode();
    }
    return switch (value.getValueCase()) {
      case STRING_VALUE -> NODES.textNode(value.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
      case INT_VALUE -> NODES.numberNode(value.getIntValue());
      case DOUBLE_VALUE -> NODES.numberNode(value.getDoubleValue());
      case BYTES_VALUE -> NODES.textNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        ArrayNode array = NODES.arrayNode();
        value.getArrayValue().getValuesList().forEach(v -> array.add(json(v, depth + 1)));
        yield array;
      }
      case KVLIST_VALUE -> {
        ObjectNode object = NODES.objectNode();
        value.getKvlistValue().getValuesList().forEach(kv -> object.set(kv.getKey(), json(kv.getValue(), depth + 1)));
        yield object;
      }
      default -> NODES.nullNode();
    };
  }
}
