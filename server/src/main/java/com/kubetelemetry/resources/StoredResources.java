/** Decodes rows selected as ResourceColumns into API messages, and builds JSON Patch diffs between versions. */
package com.kubetelemetry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.api.v1.Condition;
import com.kubetelemetry.api.v1.OwnerReference;
import com.kubetelemetry.api.v1.Resource;
import com.kubetelemetry.api.v1.ResourceVersion;
import com.kubetelemetry.query.resources.ResourceColumns;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.ProtoQueries;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Stateless. A patch is RFC 6902 JSON text computed from the previous version's object ({} for the first). */
public final class StoredResources {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode EMPTY = JSON.createObjectNode();

  private StoredResources() {}

  /** The API message for one row. */
  public static Resource resource(EngineRow row) {
    Resource.Builder r = Resource.newBuilder()
        .setGroup(row.string(ResourceColumns.GROUP))
        .setVersion(row.string(ResourceColumns.VERSION))
        .setKind(row.string(ResourceColumns.KIND))
        .setNamespace(row.string(ResourceColumns.NAMESPACE))
        .setName(row.string(ResourceColumns.NAME))
        .setUid(row.string(ResourceColumns.UID))
        .setResourceVersion(row.string(ResourceColumns.RESOURCE_VERSION))
        .putAllLabels(row.stringMap(ResourceColumns.LABELS))
        .putAllAnnotations(row.stringMap(ResourceColumns.ANNOTATIONS))
        .setPhase(row.string(ResourceColumns.PHASE))
        .setObjectJson(row.string(ResourceColumns.OBJECT))
        .setObservedTime(ProtoQueries.timestamp(row.int64(ResourceColumns.EVENT_TIME_NANOS)))
        .setDeleted(row.int64(ResourceColumns.DELETED) != 0)
        .setCluster(row.string(ResourceColumns.CLUSTER));
    List<String> kinds = row.strings(ResourceColumns.OWNER_KINDS);
    List<String> names = row.strings(ResourceColumns.OWNER_NAMES);
    List<String> uids = row.strings(ResourceColumns.OWNER_UIDS);
    long[] controllers = row.longs(ResourceColumns.OWNER_CONTROLLERS);
    for (int i = 0; i < kinds.size(); i++) {
      r.addOwnerReferences(OwnerReference.newBuilder().setKind(kinds.get(i)).setName(names.get(i))
          .setUid(uids.get(i)).setController(controllers[i] != 0));
    }
    List<String> types = row.strings(ResourceColumns.CONDITION_TYPES);
    List<String> statuses = row.strings(ResourceColumns.CONDITION_STATUSES);
    List<String> reasons = row.strings(ResourceColumns.CONDITION_REASONS);
    List<String> messages = row.strings(ResourceColumns.CONDITION_MESSAGES);
    for (int i = 0; i < types.size(); i++) {
      r.addConditions(Condition.newBuilder().setType(types.get(i)).setStatus(statuses.get(i))
          .setReason(reasons.get(i)).setMessage(messages.get(i)));
    }
    return r.build();
  }

  /** The change type of a row. */
  public static com.kubetelemetry.api.v1.ChangeType changeType(EngineRow row) {
    return switch (ChangeType.of((int) row.int64(ResourceColumns.EVENT_TYPE))) {
      case ADDED -> com.kubetelemetry.api.v1.ChangeType.CHANGE_TYPE_ADDED;
      case MODIFIED -> com.kubetelemetry.api.v1.ChangeType.CHANGE_TYPE_MODIFIED;
      case DELETED -> com.kubetelemetry.api.v1.ChangeType.CHANGE_TYPE_DELETED;
    };
  }

  /** The position of a row in the history order. */
  public static ResourceQueryCompiler.HistoryPosition position(EngineRow row) {
    return new ResourceQueryCompiler.HistoryPosition(row.uint64(ResourceColumns.RESOURCE_VERSION_NUMBER),
        (int) row.int64(ResourceColumns.EVENT_TYPE), row.string(ResourceColumns.UID));
  }

  /** The version message of {@code row}, with the patch from {@code previous} (null: from {}). */
  public static ResourceVersion version(EngineRow row, EngineRow previous) {
    JsonNode before = previous == null ? EMPTY : parse(previous.string(ResourceColumns.OBJECT));
    JsonNode after = parse(row.string(ResourceColumns.OBJECT));
    return ResourceVersion.newBuilder().setType(changeType(row)).setResource(resource(row))
        .setPatch(JsonDiff.asJson(before, after).toString()).build();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
