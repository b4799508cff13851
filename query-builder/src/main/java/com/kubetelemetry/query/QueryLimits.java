/** Server-side limits attached to every compiled read query as ClickHouse settings. */
package com.kubetelemetry.query;

import com.kubetelemetry.sql.Sql;

/**
 * @param maxExecutionSeconds {@code max_execution_time}: seconds before the engine stops the query
 * @param maxRowsToRead {@code max_rows_to_read}: rows scanned before the engine stops the query
 * @param maxResultRows {@code max_result_rows} with {@code result_overflow_mode = 'throw'}
 */
public record QueryLimits(int maxExecutionSeconds, long maxRowsToRead, long maxResultRows) {

  public QueryLimits {
    if (maxExecutionSeconds <= 0 || maxRowsToRead <= 0 || maxResultRows <= 0) {
      throw new IllegalArgumentException("query limits must be positive: " + maxExecutionSeconds + ", "
          + maxRowsToRead + ", " + maxResultRows);
    }
  }

  /** 30 seconds, 1 billion rows read, 100 000 result rows. */
  public static QueryLimits defaults() {
    return new QueryLimits(30, 1_000_000_000L, 100_000L);
  }

  /** {@code sql} with these limits and {@code readonly = 1}. */
  public Sql applyTo(Sql sql) {
    return sql.withSetting("max_execution_time", Integer.toString(maxExecutionSeconds))
        .withSetting("max_rows_to_read", Long.toString(maxRowsToRead))
        .withSetting("max_result_rows", Long.toString(maxResultRows))
        .withSetting("result_overflow_mode", "'throw'")
        .withSetting("readonly", "1");
  }
}
