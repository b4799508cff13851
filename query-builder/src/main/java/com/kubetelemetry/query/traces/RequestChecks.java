/** Validation shared by the trace compilers: bounded names, limits and the field-named errors they raise. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;

/** Every failure is a {@link QueryException} whose field is the request field path the caller sent. */
final class RequestChecks {
  /** Longest service, span or prefix name accepted (the engine keeps longer ones, but no real name is this long). */
  static final int MAX_NAME_LENGTH = 1024;

  private RequestChecks() {}

  static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }

  /** {@code value} when at most {@link #MAX_NAME_LENGTH} characters long. */
  static String name(String value, String field) {
    if (value.length() > MAX_NAME_LENGTH) {
      throw invalid(field, "`" + field + "` is " + value.length() + " characters; the maximum is " + MAX_NAME_LENGTH);
    }
    return value;
  }

  /** {@code requested}, or {@code fallback} for 0; INVALID_ARGUMENT outside 0..max. */
  static int limit(int requested, int fallback, int max, String field) {
    if (requested < 0 || requested > max) {
      throw invalid(field, "`" + field + "` is " + requested + "; use 1 to " + max + " (0 for the default of "
          + fallback + ")");
    }
    return requested == 0 ? fallback : requested;
  }

  /**
   * The window of {@code range}, with errors naming {@code field} instead of the resolver's {@code time_range}
   * (for requests whose range field has another name).
   */
  static TimeWindow window(TimeRangeResolver ranges, TimeRange range, String field) {
    try {
      return ranges.resolve(range);
    } catch (QueryException e) {
      if (field.equals(TimeRangeResolver.FIELD)) {
        throw e;
      }
      throw new QueryException(e.kind(), e.field().replace(TimeRangeResolver.FIELD, field),
          e.getMessage().replace(TimeRangeResolver.FIELD, field));
    }
  }
}
