/** A streaming query on one pooled connection; the connection goes back to the pool when the stream is closed. */
package com.kubetelemetry.storage.chdb;

import com.kubetelemetry.storage.ResultStream;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

final class ChdbResultStream implements ResultStream {
  private final ChdbConnection connection;
  private final MemorySegment handle;
  private final Consumer<ChdbConnection> release;
  private boolean finished;
  private boolean closed;

  ChdbResultStream(ChdbConnection connection, MemorySegment handle, Consumer<ChdbConnection> release) {
    this.connection = connection;
    this.handle = handle;
    this.release = release;
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
      byte[] chunk = connection.fetch(handle);
      if (chunk == null) {
        finished = true;
      }
      return chunk;
    } catch (RuntimeException e) {
      finished = true;
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!finished) {
        connection.cancelStream(handle);
      }
      connection.destroy(handle);
    } finally {
      release.accept(connection);
    }
  }
}
