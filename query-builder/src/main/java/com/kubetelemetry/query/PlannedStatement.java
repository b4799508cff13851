/** One statement a read request runs, with a short description: what Explain shows and the service executes. */
package com.kubetelemetry.query;

import com.kubetelemetry.sql.Sql;
import java.util.Objects;

/**
 * @param purpose what the statement does, e.g. "find matching trace ids"
 * @param sql the statement exactly as it is sent to the engine (text, parameters, settings)
 */
public record PlannedStatement(String purpose, Sql sql) {
  public PlannedStatement {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(sql, "sql");
  }
}
