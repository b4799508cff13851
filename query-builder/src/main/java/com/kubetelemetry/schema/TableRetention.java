/** How long one table keeps its rows: the TTL clause a table is created with and changed to later. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.Optional;

/**
 * @param options the database the table lives in
 * @param table table name
 * @param timeColumn column the age is measured from (converted with {@code toDateTime})
 * @param days days to keep rows; 0 means no TTL
 */
public record TableRetention(SchemaOptions options, String table, String timeColumn, int days) {
  public TableRetention {
    if (days < 0) {
      throw new IllegalArgumentException("retention days must be >= 0, got " + days);
    }
  }

  /** The TTL expression, e.g. {@code toDateTime(Timestamp) + toIntervalDay(7)}; empty when rows never expire. */
  public Optional<String> expression() {
    if (days == 0) {
      return Optional.empty();
    }
    return Optional.of("toDateTime(" + timeColumn + ") + toIntervalDay(" + days + ")");
  }

  /** The clause a CREATE TABLE carries: a new line with {@code TTL ...}, or nothing. */
  String createClause() {
    return expression().map(e -> "\nTTL " + e).orElse("");
  }

  /** The statement that sets this retention on an existing table (MODIFY TTL, or REMOVE TTL when 0). */
  public Sql statement() {
    return new TableLayout(options).alterStorage(table, expression().map(e -> "MODIFY TTL " + e)
        .orElse("REMOVE TTL"));
  }

  /** The table whose TTL this is on each server: the table, or its local table on a cluster. */
  public String storageTable() {
    return new TableLayout(options).storageTable(table);
  }
}
