/** The one storage seam: every read, insert and DDL statement the server runs goes through this interface. */
package com.kubetelemetry.storage;

import com.kubetelemetry.sql.Sql;
import java.util.List;

/**
 * A ClickHouse engine: embedded (chDB, in process) or remote (a ClickHouse server). Implementations are
 * thread-safe and run statements in parallel up to their pool size. Failures throw {@link StoreException}.
 */
public interface Store extends AutoCloseable {

  /** Runs a query and returns its whole result in {@code format} (e.g. "JSONEachRow", "RowBinary"). */
  QueryResult query(Sql sql, String format);

  /** Runs a query and returns its result as a stream of chunks; close the stream to cancel the query. */
  ResultStream stream(Sql sql, String format);

  /** Runs statements that return nothing (DDL, SET, OPTIMIZE, ...), in order, on one connection. */
  void execute(List<Sql> statements);

  /**
   * Inserts blocks of rows into {@code table} as one INSERT. All blocks must have the same columns; the rows
   * are committed when this returns.
   */
  void insert(String table, List<NativeBlock> blocks);

  /** Engine version as ClickHouse reports it, e.g. "26.5.1.1". */
  String engineVersion();

  /** "embedded" or "remote". */
  String kind();

  /** True while the engine answers a trivial query. */
  boolean isHealthy();

  /** Releases connections; waits for running statements. Idempotent. */
  @Override
  void close();
}
