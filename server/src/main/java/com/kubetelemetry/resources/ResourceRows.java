/** Encodes object changes as Native blocks for the history and current tables, and inserts them. */
package com.kubetelemetry.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.schema.ResourceTablesDdl;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.storage.nativeformat.NativeBlockBuilder;
import com.kubetelemetry.storage.nativeformat.NativeColumn;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Both tables have the same columns, so one block serves both: every change is a history row, and the same row
 * (with {@code Deleted = 1} for deletions) replaces the object's current row when its resource version is not
 * older. Thread-safe.
 */
public final class ResourceRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResourceRows() {}

  /** The block for {@code changes}, keyed by both table names; empty for no changes. */
  public static Map<String, NativeBlock> blocks(List<ObjectChange> changes) {
    if (changes.isEmpty()) {
      return Map.of();
    }
    NativeBlock block = encode(changes);
    Map<String, NativeBlock> out = new LinkedHashMap<>();
    out.put(ResourceTablesDdl.HISTORY, block);
    out.put(ResourceTablesDdl.CURRENT, block);
    return out;
  }

  /** Inserts {@code changes} into history, then current (so a reader never sees a current row without history). */
  public static void write(Store store, List<ObjectChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    NativeBlock block = encode(changes);
    store.insert(ResourceTablesDdl.HISTORY, List.of(block));
    store.insert(ResourceTablesDdl.CURRENT, List.of(block));
  }

  static NativeBlock encode(List<ObjectChange> changes) {
    NativeBlockBuilder b = new NativeBlockBuilder(changes.size());
    NativeColumn.StringColumn tenant = b.string("TenantId");
    NativeColumn.StringColumn cluster = b.string("Cluster");
    NativeColumn.DateTime64Column time = b.dateTime64("EventTime");
    NativeColumn.UInt8Column type = b.uint8("EventType");
    NativeColumn.StringColumn group = b.string("ApiGroup");
    NativeColumn.StringColumn version = b.string("ApiVersion");
    NativeColumn.StringColumn kind = b.string("Kind");
    NativeColumn.StringColumn namespace = b.string("Namespace");
    NativeColumn.StringColumn name = b.string("Name");
    NativeColumn.StringColumn uid = b.string("Uid");
    NativeColumn.StringColumn rv = b.string("ResourceVersion");
    NativeColumn.UInt64Column rvNumber = b.uint64("ResourceVersionNumber");
    NativeColumn.UInt8Column deleted = b.uint8("Deleted");
    NativeColumn.MapColumn labels = b.map("Labels");
    NativeColumn.MapColumn annotations = b.map("Annotations");
    NativeColumn.StringArrayColumn ownerKinds = b.stringArray("OwnerKinds");
    NativeColumn.StringArrayColumn ownerNames = b.stringArray("OwnerNames");
    NativeColumn.StringArrayColumn ownerUids = b.stringArray("OwnerUids");
    NativeColumn.UInt64ArrayColumn ownerControllers = b.uint64Array("OwnerControllers");
    NativeColumn.StringColumn phase = b.string("Phase");
    NativeColumn.StringArrayColumn conditionTypes = b.stringArray("ConditionTypes");
    NativeColumn.StringArrayColumn conditionStatuses = b.stringArray("ConditionStatuses");
    NativeColumn.StringArrayColumn conditionReasons = b.stringArray("ConditionReasons");
    NativeColumn.StringArrayColumn conditionMessages = b.stringArray("ConditionMessages");
    NativeColumn.StringColumn object = b.string("Object");
    for (ObjectChange change : changes) {
      ObjectFields f = ObjectFields.of(change.object());
      tenant.add(change.tenant());
      cluster.add(change.cluster());
      time.add(change.eventTimeNanos());
      type.add(change.type().number());
      group.add(f.group());
      version.add(f.version());
      kind.add(f.kind());
      namespace.add(f.namespace());
      name.add(f.name());
      uid.add(f.uid());
      rv.add(f.resourceVersion());
      rvNumber.add(f.resourceVersionNumber());
      deleted.add(change.type() == ChangeType.DELETED ? 1 : 0);
      f.labels().forEach(labels::put);
      labels.endRow();
      f.annotations().forEach(annotations::put);
      annotations.endRow();
      for (ObjectFields.Owner o : f.owners()) {
        ownerKinds.add(o.kind());
        ownerNames.add(o.name());
        ownerUids.add(o.uid());
        ownerControllers.add(o.controller() ? 1 : 0);
      }
      ownerKinds.endRow();
      ownerNames.endRow();
      ownerUids.endRow();
      ownerControllers.endRow();
      phase.add(f.phase());
      for (ObjectFields.Condition c : f.conditions()) {
        conditionTypes.add(c.type());
        conditionStatuses.add(c.status());
        conditionReasons.add(c.reason());
        conditionMessages.add(c.message());
      }
      conditionTypes.endRow();
      conditionStatuses.endRow();
      conditionReasons.endRow();
      conditionMessages.endRow();
      try {
        object.add(JSON.writeValueAsString(f.stored()));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b.build();
  }
}
