/** Turns what the driver and the pool throw into {@link StoreException}s: engine codes kept, lost server = code 0. */
package com.kubetelemetry.storage.remote;

import com.clickhouse.client.api.ServerException;
import com.kubetelemetry.storage.StoreException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An error the server reported keeps its ClickHouse code and message (so limits, bad regular expressions and
 * so on map as on the embedded engine). Everything else (connection refused or reset, timeouts, no pooled
 * connection in time) means the server could not be used: code 0, which reads and ingest turn into
 * UNAVAILABLE. Messages name the host, never the password-bearing URL.
 */
final class RemoteFailures {
  /** Codes the server returns when it is overloaded or shutting down: worth another try for a read. */
  private static final int TOO_MANY_SIMULTANEOUS_QUERIES = 202;
  private static final int ABORTED = 236;

  private final String host;

  RemoteFailures(String host) {
    this.host = host;
  }

  String host() {
    return host;
  }

  StoreException toStoreException(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof StoreException already) {
      return already;
    }
    if (t instanceof ServerException server) {
      return new StoreException(server.getCode(), server.getMessage(), server);
    }
    if (t instanceof IllegalArgumentException bad) {
      throw bad;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new StoreException(0, "ClickHouse at " + host + " is unreachable: " + describe(t), t);
  }

  StoreException noConnection(SQLException e, RemoteStoreOptions options) {
    return new StoreException(0, "no ClickHouse connection to " + host + " within "
        + options.connectionTimeout().toMillis() + " ms (server down, or all " + options.poolSize()
        + " pooled connections busy): " + describe(e), e);
  }

  /**
   * True for failures to reach the server and for overload answers. Not for a pool that stayed busy: that
   * already waited the whole connection timeout, and waiting again would only make the caller wait longer.
   */
  static boolean isRetryable(StoreException e) {
    if (e.getCause() instanceof SQLException) {
      return false;
    }
    return e.code() == 0 || e.code() == TOO_MANY_SIMULTANEOUS_QUERIES || e.code() == ABORTED;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof ExecutionException || current instanceof CompletionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
