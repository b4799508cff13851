/** Schema version 5: every metric table stores the hashes that identify a series, so reads need not hash maps. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * A series is (ServiceName, ResourceAttributes, Attributes). Metric reads group points by series, and hashing the
 * two maps of every point meant reading both maps in full: the largest part of a counter-rate query. The hashes are
 * {@code MATERIALIZED} columns, so inserts (ours or a Collector's) compute them, {@code SELECT *} does not return
 * them, and parts written before this version get them from a background {@code MATERIALIZE COLUMN} (until it
 * finishes the engine computes them on read: same answers, older speed).
 */
public final class SeriesHashDdl {
  public static final int VERSION = 5;
  public static final String RESOURCE_HASH = "ResourceHash";
  public static final String ATTRIBUTES_HASH = "AttributesHash";
  /** The metric tables, each with Attributes and ResourceAttributes maps. */
  static final List<String> TABLES = List.of(OtelSchema.METRICS_GAUGE, OtelSchema.METRICS_SUM,
      OtelSchema.METRICS_HISTOGRAM, OtelSchema.METRICS_EXP_HISTOGRAM, OtelSchema.METRICS_SUMMARY);

  private SeriesHashDdl() {}

  public static Migration migration(SchemaOptions options) {
    List<Sql> statements = new ArrayList<>();
    TableLayout layout = new TableLayout(options);
    for (String table : TABLES) {
      // On a cluster the columns go to the local and the Distributed table; only local tables hold parts.
      statements.addAll(layout.alterColumns(table, "ADD COLUMN IF NOT EXISTS " + RESOURCE_HASH
          + " UInt64 MATERIALIZED cityHash64(ResourceAttributes) CODEC(ZSTD(1)),\n    ADD COLUMN IF NOT EXISTS "
          + ATTRIBUTES_HASH + " UInt64 MATERIALIZED cityHash64(Attributes) CODEC(ZSTD(1))"));
      statements.add(layout.alterStorage(table, "MATERIALIZE COLUMN " + RESOURCE_HASH + ", MATERIALIZE COLUMN "
          + ATTRIBUTES_HASH));
    }
    return new Migration(VERSION, "series hashes stored with every metric point", statements);
  }
}
