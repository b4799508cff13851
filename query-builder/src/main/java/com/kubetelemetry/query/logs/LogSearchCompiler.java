/** Compiles a {@link LogSearch} into one query returning a page of log records in (Timestamp, RowHash) order. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Instant;
import java.util.Objects;

/**
 * Columns are {@link LogRecordColumns}. The query asks for one record more than the page size: when it comes back
 * there is a next page, and {@link LogCursor#after} over the page's keys gives its cursor. A page continues at its
 * cursor's key (inclusive) and skips the records with that key already returned, so paging neither repeats nor
 * misses records, even many with the same timestamp.
 */
public final class LogSearchCompiler {
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public LogSearchCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The statement and the page size it was compiled for. */
  public record Statement(Sql sql, int pageSize) {}

  public Statement compile(TenantId tenant, LogSearch search) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(search.timeRange());
    int pageSize = pageSize(search.pageSize());
    SqlBuilder sql = new SqlBuilder();
    LogRecordColumns.select(sql, "");
    LogFilterCompiler.fromWhere(sql, schema.qualified(SignalTable.LOGS.table()), tenant, window.start(),
        window.end(), search.filter());
    String direction = search.ascending() ? "ASC" : "DESC";
    LogCursor cursor = search.cursor();
    String offset = null;
    if (cursor != null) {
      String ts = sql.param("DateTime64(9)", Instant.ofEpochSecond(0, cursor.timestampNanos()));
      String hash = sql.param("UInt64", cursor.rowHash());
      String op = search.ascending() ? ">=" : "<=";
      sql.line("  AND Timestamp " + op + " " + ts)
          .line("  AND (Timestamp, RowHash) " + op + " (" + ts + ", " + hash + ")");
      offset = sql.param("UInt64", cursor.skip());
    }
    sql.line("ORDER BY Timestamp " + direction + ", RowHash " + direction);
    String limit = "LIMIT " + sql.param("UInt32", pageSize + 1);
    sql.line(offset == null ? limit : limit + " OFFSET " + offset);
    return new Statement(sql.build(limits), pageSize);
  }

  private static int pageSize(int requested) {
    if (requested < 0) {
      throw LogFilterCompiler.invalid("page.page_size", "`page.page_size` is " + requested + "; use 1 to "
          + MAX_PAGE_SIZE + " (0 for the default of " + DEFAULT_PAGE_SIZE + ")");
    }
    return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
  }
}
