/** The fields of a Kubernetes object JSON that get their own columns: identity, version, labels, owners, status. */
package com.kubetelemetry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read from {@code apiVersion} (split into group and version), {@code kind}, {@code metadata} and
 * {@code status.phase} / {@code status.conditions}. {@link #stored} is the JSON kept in the Object column: without
 * {@code metadata.managedFields}, and for core Secrets without {@code data} and {@code stringData}.
 */
public record ObjectFields(String group, String version, String kind, String namespace, String name, String uid,
    String resourceVersion, long resourceVersionNumber, Map<String, String> labels, Map<String, String> annotations,
    List<Owner> owners, String phase, List<Condition> conditions, ObjectNode stored) {

  /** One metadata.ownerReferences entry. */
  public record Owner(String kind, String name, String uid, boolean controller) {}

  /** One status.conditions entry. */
  public record Condition(String type, String status, String reason, String message) {}

  /** The fields of {@code object}; IllegalArgumentException naming what is missing when it is not an object. */
  public static ObjectFields of(ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    String uid = metadata.path("uid").asText("");
    String rv = metadata.path("resourceVersion").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty() || uid.isEmpty()) {
      throw new IllegalArgumentException("object needs apiVersion, kind, metadata.name and metadata.uid");
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    List<Owner> owners = new ArrayList<>();
    for (JsonNode o : metadata.path("ownerReferences")) {
      owners.add(new Owner(o.path("kind").asText(""), o.path("name").asText(""), o.path("uid").asText(""),
          o.path("controller").asBoolean(false)));
    }
    JsonNode status = object.path("status");
    List<Condition> conditions = new ArrayList<>();
    for (JsonNode c : status.path("conditions")) {
      conditions.add(new Condition(c.path("type").asText(""), c.path("status").asText(""),
          c.path("reason").asText(""), c.path("message").asText("")));
    }
    ObjectNode stored = object.deepCopy();
    if (stored.get("metadata") instanceof ObjectNode meta) {
      meta.remove("managedFields");
    }
    if (group.isEmpty() && kind.equals("Secret")) {
      stored.remove("data");
      stored.remove("stringData");
    }
    return new ObjectFields(group, version, kind, metadata.path("namespace").asText(""), name, uid, rv,
        versionNumber(rv), strings(metadata.path("labels")), strings(metadata.path("annotations")), owners,
        status.path("phase").isTextual() ? status.path("phase").asText() : "", conditions, stored);
  }

  /** The resource version as an unsigned number for ordering; 0 when it is not one. */
  public static long versionNumber(String resourceVersion) {
    if (resourceVersion.isEmpty() || resourceVersion.length() > 20) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(resourceVersion);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText("")));
    return out;
  }
}
