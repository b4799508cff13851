/** Builds the {@link QueryException}s the metric compilers throw, with the request field each one names. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.QueryException;

final class MetricErrors {
  private MetricErrors() {}

  static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }

  static QueryException tooLarge(String field, String message) {
    return new QueryException(QueryException.Kind.RESOURCE_EXHAUSTED, field, message);
  }

  /** A user-supplied text cut and flattened for an error message. */
  static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String flat = s.replaceAll("\\p{Cntrl}", "?");
    return flat.length() <= 64 ? flat : flat.substring(0, 64) + "...";
  }
}
