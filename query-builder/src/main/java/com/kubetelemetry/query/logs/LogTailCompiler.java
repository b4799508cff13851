/** Compiles one poll of a log tail: the newest matching records after a position, and how many there were. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Columns are {@link LogRecordColumns} followed by Matched (UInt64: all matching records after the position, of
 * which at most {@code limit} are returned). Records come newest first so that, over the rate limit, the newest
 * are sent and the older ones counted as dropped; the caller reverses them. The position is exclusive: records
 * after {@code (Timestamp, RowHash)} of the cursor, or from {@code start} (inclusive) when there is none; records
 * at or after {@code until} wait for a later poll, so a record stamped in the future cannot move the position
 * past records still to come.
 */
public final class LogTailCompiler {
  /** How far back {@code since} may reach (TailLogsRequest.since). */
  public static final Duration MAX_BACKLOG = Duration.ofHours(1);
  public static final int MAX_LIMIT = 1000;

  private final SchemaOptions schema;
  private final QueryLimits limits;

  public LogTailCompiler(SchemaOptions schema, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * @param after the last record sent or dropped (its skip is ignored); null before the first record
   * @param start records from this instant on when {@code after} is null
   * @param until records before this instant (the time of the poll)
   * @param limit most records returned, 1 to {@link #MAX_LIMIT}
   */
  public Sql compile(TenantId tenant, LogFilter filter, LogCursor after, Instant start, Instant until, int limit) {
    Objects.requireNonNull(tenant, "tenant");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("tail limit must be 1 to " + MAX_LIMIT + ": " + limit);
    }
    Instant from = after == null ? start : Instant.ofEpochSecond(0, after.timestampNanos());
    if (!from.isBefore(until)) {
      until = from.plusNanos(1);
    }
    SqlBuilder sql = new SqlBuilder();
    LogRecordColumns.select(sql, ",");
    sql.line("    count() OVER () AS Matched");
    String fromParam = LogFilterCompiler.fromWhere(sql, schema.qualified(SignalTable.LOGS.table()), tenant, from,
        until, filter);
    if (after != null) {
      String hash = sql.param("UInt64", after.rowHash());
      sql.line("  AND (Timestamp, RowHash) > (" + fromParam + ", " + hash + ")");
    }
    sql.line("ORDER BY Timestamp DESC, RowHash DESC")
        .line("LIMIT " + sql.param("UInt32", limit));
    return sql.build(limits);
  }

  /** Checks a tail's start: {@code since} at most {@link #MAX_BACKLOG} before {@code now}, and not after it. */
  public static Instant start(Instant since, Instant now) {
    if (since == null) {
      return now;
    }
    if (since.isBefore(now.minus(MAX_BACKLOG))) {
      throw LogFilterCompiler.invalid("since", "`since` is " + since + ", more than one hour ago: tail at most "
          + "one hour back, or use SearchLogs for older records");
    }
    return since.isAfter(now) ? now : since;
  }
}
