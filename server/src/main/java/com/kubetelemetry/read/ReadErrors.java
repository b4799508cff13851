/** Turns failures of a read into gRPC statuses whose messages a person can act on, without leaking internals. */
package com.kubetelemetry.read;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.storage.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request errors ({@link QueryException}) keep their message and say which field. Engine errors are mapped by
 * ClickHouse code: limits to RESOURCE_EXHAUSTED naming the limit and how to narrow, a bad regular expression to
 * INVALID_ARGUMENT, a lost engine to UNAVAILABLE; anything else is INTERNAL with a generic message (the details
 * are logged, not sent).
 */
public final class ReadErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ReadErrors.class);

  /** ClickHouse error codes the mapping knows. */
  static final int TOO_MANY_ROWS = 158;
  static final int TIMEOUT_EXCEEDED = 159;
  static final int MEMORY_LIMIT_EXCEEDED = 241;
  static final int TOO_MANY_ROWS_OR_BYTES = 396;
  static final int CANNOT_COMPILE_REGEXP = 427;
  static final int QUERY_WAS_CANCELLED = 394;
  static final int TOO_MANY_SIMULTANEOUS_QUERIES = 202;
  /** A ClickHouse server could not reach another (a shard of a cluster is down): storage is unavailable. */
  static final java.util.Set<Integer> UNREACHABLE = java.util.Set.of(209, 210, 279);

  private static final String NARROW = "narrow the time range, add filters (service, attributes) or lower the "
      + "limit";

  private ReadErrors() {}

  /** The status for {@code failure} raised while serving {@code rpc}. */
  public static StatusRuntimeException status(String rpc, Throwable failure, QueryLimits limits) {
    return switch (failure) {
      case StatusRuntimeException already -> already;
      case QueryException q -> (q.kind() == QueryException.Kind.INVALID_ARGUMENT ? Status.INVALID_ARGUMENT
          : Status.RESOURCE_EXHAUSTED).withDescription(namingField(q)).asRuntimeException();
      case StoreException s -> fromEngine(rpc, s, limits);
      default -> {
        LOG.error("{} failed", rpc, failure);
        yield Status.INTERNAL.withDescription(rpc + " failed on the server; the error is logged").asRuntimeException();
      }
    };
  }

  /** The message, led by the field path unless it already names it. */
  private static String namingField(QueryException q) {
    String message = q.getMessage();
    return message.contains(q.field()) ? message : q.field() + ": " + message;
  }

  private static StatusRuntimeException fromEngine(String rpc, StoreException e, QueryLimits limits) {
    String message = switch (e.code()) {
      case TIMEOUT_EXCEEDED -> "the query ran longer than the limit of " + limits.maxExecutionSeconds()
          + "s (query.maxExecutionTime): " + NARROW;
      case TOO_MANY_ROWS, TOO_MANY_ROWS_OR_BYTES -> e.getMessage().contains("result")
          ? "the answer has more rows than the limit of " + limits.maxResultRows() + " (query.maxResultRows): "
              + NARROW
          : "the query would read more than " + limits.maxRowsToRead() + " rows (query.maxRowsToRead): " + NARROW;
      case MEMORY_LIMIT_EXCEEDED -> "the query needs more memory than the engine allows: " + NARROW;
      default -> null;
    };
    if (message != null) {
      LOG.info("{} stopped by a limit: {}", rpc, firstLine(e.getMessage()));
      return Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException();
    }
    if (e.code() == CANNOT_COMPILE_REGEXP) {
      return Status.INVALID_ARGUMENT.withDescription("a regular expression in the request does not compile (RE2 "
          + "syntax): " + regexDetail(e.getMessage())).asRuntimeException();
    }
    if (e.code() == 0 || e.code() == TOO_MANY_SIMULTANEOUS_QUERIES || UNREACHABLE.contains(e.code())) {
      LOG.warn("{}: storage unavailable: {}", rpc, firstLine(e.getMessage()));
      return Status.UNAVAILABLE.withDescription("storage is unavailable; retry shortly").asRuntimeException();
    }
    if (e.code() == QUERY_WAS_CANCELLED) {
      return Status.CANCELLED.withDescription("the query was cancelled").asRuntimeException();
    }
    LOG.error("{} failed in the engine (code {})", rpc, e.code(), e);
    return Status.INTERNAL.withDescription(rpc + " failed in the storage engine (code " + e.code()
        + "); the error is logged").asRuntimeException();
  }

  /** The engine's reason, which names only the pattern the caller sent (no table or query text). */
  private static String regexDetail(String engineMessage) {
    String line = firstLine(engineMessage);
    int at = line.indexOf("cannot compile re2:");
    String detail = at >= 0 ? line.substring(at) : "check the pattern";
    return detail.length() > 300 ? detail.substring(0, 300) + "..." : detail;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
