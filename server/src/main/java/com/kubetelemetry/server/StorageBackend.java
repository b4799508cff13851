/** The running backend: one store and the ingest path that writes into it, closed in that dependency order. */
package com.kubetelemetry.server;

import com.kubetelemetry.ingest.BufferedOtlpIngest;
import com.kubetelemetry.ingest.IngestStats;
import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.storage.Store;

/** {@link #close()} first commits what the ingest buffer holds, then closes the store. */
record StorageBackend(Store store, BufferedOtlpIngest bufferedIngest) implements Backend {
  @Override
  public OtlpIngest ingest() {
    return bufferedIngest;
  }

  @Override
  public IngestStats stats() {
    return bufferedIngest;
  }

  @Override
  public void close() {
    try {
      bufferedIngest.close();
    } finally {
      store.close();
    }
  }
}
