/** A log search request: a time range, a filter, an order and one page. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.TimeRange;

/**
 * @param timeRange null for the default range
 * @param filter conditions on the records
 * @param ascending oldest first when true; newest first otherwise
 * @param pageSize 0 for the default; above the maximum it is lowered to it
 * @param cursor where the page starts; null for the first page
 */
public record LogSearch(TimeRange timeRange, LogFilter filter, boolean ascending, int pageSize, LogCursor cursor) {
  public LogSearch {
    filter = filter == null ? LogFilter.all() : filter;
  }

  /** Every record of the default range, newest first, first page of the default size. */
  public static LogSearch of(LogFilter filter) {
    return new LogSearch(null, filter, false, 0, null);
  }

  public LogSearch withTimeRange(TimeRange r) {
    return new LogSearch(r, filter, ascending, pageSize, cursor);
  }

  public LogSearch withAscending(boolean a) {
    return new LogSearch(timeRange, filter, a, pageSize, cursor);
  }

  public LogSearch withPageSize(int n) {
    return new LogSearch(timeRange, filter, ascending, n, cursor);
  }

  public LogSearch withCursor(LogCursor c) {
    return new LogSearch(timeRange, filter, ascending, pageSize, c);
  }
}
