/** Schema version 4: the Kubernetes object tables, one row per observed change (history) and per object (current). */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * <ul>
 *   <li>{@link #HISTORY}: one row per observed change (ADDED, MODIFIED, DELETED). A ReplacingMergeTree whose sort
 *   key ends with uid, numeric resource version and change type, so the same change written twice (a restart, a
 *   push retried) is one row when read with FINAL.</li>
 *   <li>{@link #CURRENT}: one row per object, a ReplacingMergeTree by the numeric resource version; a deletion is a
 *   tombstone row ({@code Deleted = 1}). Read with FINAL.</li>
 * </ul>
 * Both lead their sort key with TenantId, then kind and namespace, so a list of one kind reads a narrow range.
 * {@code ResourceVersion} keeps the API server's opaque text; {@code ResourceVersionNumber} is its UInt64 parse
 * (0 when not numeric), used for ordering. Owner references and conditions are parallel arrays.
 */
public final class ResourceTablesDdl {
  public static final int VERSION = 4;
  public static final String HISTORY = "k8s_resource_history";
  public static final String CURRENT = "k8s_resources_current";

  private static final String COLUMNS = """
          Cluster LowCardinality(String) CODEC(ZSTD(1)),
          EventTime DateTime64(9) CODEC(Delta(8), ZSTD(1)),
          EventType Enum8('ADDED' = 1, 'MODIFIED' = 2, 'DELETED' = 3),
          ApiGroup LowCardinality(String) CODEC(ZSTD(1)),
          ApiVersion LowCardinality(String) CODEC(ZSTD(1)),
          Kind LowCardinality(String) CODEC(ZSTD(1)),
          Namespace LowCardinality(String) CODEC(ZSTD(1)),
          Name String CODEC(ZSTD(1)),
          Uid String CODEC(ZSTD(1)),
          ResourceVersion String CODEC(ZSTD(1)),
          ResourceVersionNumber UInt64 CODEC(ZSTD(1)),
          Deleted UInt8,
          Labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
          Annotations Map(LowCardinality(String), String) CODEC(ZSTD(1)),
          OwnerKinds Array(LowCardinality(String)) CODEC(ZSTD(1)),
          OwnerNames Array(String) CODEC(ZSTD(1)),
          OwnerUids Array(String) CODEC(ZSTD(1)),
          OwnerControllers Array(UInt8) CODEC(ZSTD(1)),
          Phase LowCardinality(String) CODEC(ZSTD(1)),
          ConditionTypes Array(LowCardinality(String)) CODEC(ZSTD(1)),
          ConditionStatuses Array(LowCardinality(String)) CODEC(ZSTD(1)),
          ConditionReasons Array(String) CODEC(ZSTD(1)),
          ConditionMessages Array(String) CODEC(ZSTD(1)),
          Object String CODEC(ZSTD(3)),
          INDEX idx_rv ResourceVersionNumber TYPE minmax GRANULARITY 1,
          INDEX idx_uid Uid TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_label_key mapKeys(Labels) TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_label_value mapValues(Labels) TYPE bloom_filter(0.01) GRANULARITY 1""";

  /**
   * Granules of 1024 rows (not 8192): reads look up one object or one page, and the Object column is large, so a
   * smaller granule reads less around the rows wanted.
   */
  static final String SETTINGS = OtelTableDdl.settings(1024);

  /** On a cluster every version of one object lives on one shard, so FINAL collapses them there. */
  static final String SHARDING_KEY = "cityHash64(TenantId, Uid)";

  private final SchemaOptions options;

  public ResourceTablesDdl(SchemaOptions options) {
    this.options = options;
  }

  /** The migration creating both tables. */
  public Migration migration() {
    List<Sql> statements = new ArrayList<>(history());
    statements.addAll(current());
    return new Migration(VERSION, "Kubernetes object history and current state", statements);
  }

  List<Sql> history() {
    return new TableLayout(options).createTable(HISTORY, " (\n" + OtelTableDdl.TENANT_COLUMN + COLUMNS + """

        ) ENGINE = ReplacingMergeTree
        ORDER BY (TenantId, Kind, Namespace, Name, Uid, ResourceVersionNumber, EventType)"""
        + SETTINGS, SHARDING_KEY);
  }

  List<Sql> current() {
    return new TableLayout(options).createTable(CURRENT, " (\n" + OtelTableDdl.TENANT_COLUMN + COLUMNS + """

        ) ENGINE = ReplacingMergeTree(ResourceVersionNumber)
        ORDER BY (TenantId, Kind, Namespace, Name, Uid)"""
        + SETTINGS, SHARDING_KEY);
  }
}
