/** One versioned step of the schema: statements applied once, in order, and recorded by version. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.Objects;

/**
 * Every statement must be idempotent on its own ({@code IF NOT EXISTS}, {@code IF EXISTS}), so a migration that
 * failed half way can simply be run again.
 *
 * @param version positive, strictly increasing across the list {@link OtelSchema#migrations} returns
 * @param description what the step does, stored next to the version
 * @param statements DDL run in order
 */
public record Migration(int version, String description, List<Sql> statements) {
  public Migration {
    Objects.requireNonNull(description, "description");
    if (version < 1) {
      throw new IllegalArgumentException("migration version must be positive, got " + version);
    }
    if (description.isBlank()) {
      throw new IllegalArgumentException("migration " + version + " needs a description");
    }
    statements = List.copyOf(statements);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("migration " + version + " has no statements");
    }
  }
}
