/** Everything below the transport: the store, the ingest path and its counters, opened and closed together. */
package com.kubetelemetry.server;

import com.kubetelemetry.ingest.IngestStats;
import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.storage.Store;

/**
 * Opened by a {@link BackendFactory} before the server starts listening. {@link #close()} runs after the server
 * has drained its requests: it flushes the ingest buffer, then closes the store.
 */
public interface Backend extends AutoCloseable {
  Store store();

  OtlpIngest ingest();

  IngestStats stats();

  @Override
  void close();

  /**
   * A view of {@code owner} whose {@link #close()} does nothing: a second server in the same process (one process
   * opens one chDB directory) reads and writes through the first one's backend, which its owner closes.
   */
  static Backend borrowed(Backend owner) {
    return new Backend() {
      @Override
      public Store store() {
        return owner.store();
      }

      @Override
      public OtlpIngest ingest() {
        return owner.ingest();
      }

      @Override
      public IngestStats stats() {
        return owner.stats();
      }

      @Override
      public void close() {}
    };
  }
}
