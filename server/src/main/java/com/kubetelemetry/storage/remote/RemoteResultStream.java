/** A streaming read from a remote ClickHouse: the HTTP response body read chunk by chunk while it arrives. */
package com.kubetelemetry.storage.remote;

import com.clickhouse.client.api.query.QueryResponse;
import com.kubetelemetry.storage.ResultStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.Arrays;

/**
 * Holds its pooled connection until closed, like the embedded stream holds its engine connection. Closing before
 * the end drops the HTTP response, which makes the server cancel the query.
 */
final class RemoteResultStream implements ResultStream {
  private final Connection connection;
  private final QueryResponse response;
  private final InputStream body;
  private final RemoteFailures failures;
  private final int chunkSize;
  private boolean finished;
  private boolean closed;

  RemoteResultStream(Connection connection, QueryResponse response, RemoteFailures failures, int chunkSize) {
    this.connection = connection;
    this.response = response;
    this.body = response.getInputStream();
    this.failures = failures;
    this.chunkSize = chunkSize;
  }

  @Override
  public byte[] next() {
    if (closed) {
      throw new IllegalStateException("stream is closed");
    }
    if (finished) {
      return null;
    }
    try {
      byte[] chunk = body.readNBytes(chunkSize);
      if (chunk.length == 0) {
        finished = true;
        return null;
      }
      return chunk.length == chunkSize ? chunk : Arrays.copyOf(chunk, chunk.length);
    } catch (IOException | RuntimeException e) {
      finished = true;
      throw failures.toStoreException(e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      response.close();
    } catch (Exception ignored) {
      // The response is abandoned either way; the connection goes back to the pool below.
    } finally {
      try {
        connection.close();
      } catch (Exception ignored) {
        // Returning a connection to the pool does not fail in a way the reader could act on.
      }
    }
  }
}
