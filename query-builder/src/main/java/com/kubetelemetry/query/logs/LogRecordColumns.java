/** The SELECT list that returns whole log records, shared by search and tail, with each column's position. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.SqlBuilder;

/**
 * Timestamps come back as Int64 nanoseconds, maps as Map(String, String), RowHash as UInt64 (the order
 * tiebreaker of {@link LogCursor}: a hash of every stored field but the timestamp and tenant).
 */
public final class LogRecordColumns {
  public static final int TIMESTAMP_NANOS = 0;
  public static final int TRACE_ID = 1;
  public static final int SPAN_ID = 2;
  public static final int TRACE_FLAGS = 3;
  public static final int SEVERITY_TEXT = 4;
  public static final int SEVERITY_NUMBER = 5;
  public static final int SERVICE_NAME = 6;
  public static final int BODY = 7;
  public static final int LOG_ATTRIBUTES = 8;
  public static final int RESOURCE_ATTRIBUTES = 9;
  public static final int RESOURCE_SCHEMA_URL = 10;
  public static final int SCOPE_NAME = 11;
  public static final int SCOPE_VERSION = 12;
  public static final int SCOPE_ATTRIBUTES = 13;
  public static final int SCOPE_SCHEMA_URL = 14;
  public static final int EVENT_NAME = 15;
  public static final int ROW_HASH = 16;
  /** Number of columns {@link #select} writes. */
  public static final int COUNT = 17;

  private LogRecordColumns() {}

  /** Writes "SELECT" and the record columns; {@code more} is appended after RowHash (e.g. ", count() OVER ()"). */
  static void select(SqlBuilder sql, String more) {
    sql.line("SELECT")
        .line("    toUnixTimestamp64Nano(Timestamp) AS TimestampNanos,")
        .line("    TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body,")
        .line("    LogAttributes, ResourceAttributes, ResourceSchemaUrl,")
        .line("    ScopeName, ScopeVersion, ScopeAttributes, ScopeSchemaUrl, EventName,")
        .line("    cityHash64(TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body,"
            + " LogAttributes, ResourceAttributes, ResourceSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes,"
            + " ScopeSchemaUrl, EventName) AS RowHash" + more);
  }
}
