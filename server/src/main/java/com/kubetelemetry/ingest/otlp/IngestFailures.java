/** The one mapping from ingest failures to gRPC status and to OTLP/HTTP responses. */
package com.kubetelemetry.ingest.otlp;

import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StatusException} from an ingest future passes through unchanged: it already says what the client should
 * do. Anything else is a bug or an unexpected failure: it is logged with its details and the client only sees
 * INTERNAL with a generic message.
 */
final class IngestFailures {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFailures.class);
  static final String GENERIC_MESSAGE = "internal error while ingesting; the server log has the details";

  private IngestFailures() {}

  static Status toStatus(Throwable failure, String what) {
    Throwable t = unwrap(failure);
    if (t instanceof StatusException e) {
      return e.getStatus();
    }
    if (t instanceof StatusRuntimeException e) {
      return e.getStatus();
    }
    LOG.error("unexpected failure in {}", what, t);
    return Status.INTERNAL.withDescription(GENERIC_MESSAGE);
  }

  /** OTLP/HTTP status for a gRPC status (OTLP spec: 429 and 503 are retryable, 400 is not). */
  static HttpStatus toHttpStatus(Status.Code code) {
    return switch (code) {
      case OK -> HttpStatus.OK;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
      case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
      case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
      case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
      case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
      case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
      case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
      default -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
