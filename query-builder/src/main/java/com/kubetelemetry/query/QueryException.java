/** A request that cannot be compiled: what kind of failure, which request field, and what to do about it. */
package com.kubetelemetry.query;

import java.util.Objects;

/**
 * Thrown by every validation in this package. {@code field} is the request field path (for example
 * {@code time_range.relative}); the message is safe to show to the caller as-is.
 */
public final class QueryException extends RuntimeException {
  /** How the service layer should report the failure (maps one-to-one to a gRPC status). */
  public enum Kind { INVALID_ARGUMENT, RESOURCE_EXHAUSTED }

  private final Kind kind;
  private final String field;

  public QueryException(Kind kind, String field, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.kind = Objects.requireNonNull(kind, "kind");
    this.field = Objects.requireNonNull(field, "field");
  }

  static QueryException invalid(String field, String message) {
    return new QueryException(Kind.INVALID_ARGUMENT, field, message);
  }

  static QueryException tooLarge(String field, String message) {
    return new QueryException(Kind.RESOURCE_EXHAUSTED, field, message);
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }
}
