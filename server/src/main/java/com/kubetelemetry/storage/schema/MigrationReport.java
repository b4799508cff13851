/** What one start-up's schema migration did: versions applied, the resulting version, tables whose TTL changed. */
package com.kubetelemetry.storage.schema;

import java.util.List;

/**
 * @param appliedVersions migrations applied by this run, in order (empty when the schema was current)
 * @param schemaVersion the database's schema version after this run
 * @param retentionChangedTables tables whose TTL this run set, because it differed from the configured retention
 */
public record MigrationReport(List<Integer> appliedVersions, int schemaVersion, List<String> retentionChangedTables) {
  public MigrationReport {
    appliedVersions = List.copyOf(appliedVersions);
    retentionChangedTables = List.copyOf(retentionChangedTables);
  }
}
