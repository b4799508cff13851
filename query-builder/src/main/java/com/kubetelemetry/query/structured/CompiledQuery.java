/** A compiled structured query: the statement, its output columns in order, and the row limit it enforces. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.sql.Sql;
import java.util.List;

/**
 * The statement returns at most {@code limit + 1} rows: one more than the caller may receive, so that the caller
 * can tell a result cut by the limit ({@code truncated}) from one that fits exactly.
 *
 * @param sql the statement; one result column per entry of {@code columns}, in the same order
 * @param columns output columns
 * @param limit rows the caller returns at most
 */
public record CompiledQuery(Sql sql, List<OutputColumn> columns, int limit) {
  public CompiledQuery {
    columns = List.copyOf(columns);
  }
}
