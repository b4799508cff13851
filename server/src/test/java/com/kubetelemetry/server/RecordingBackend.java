/** Test backend for transport tests: the real embedded store on a temporary directory plus a RecordingIngest. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.IngestStats;
import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;

/** {@link #close()} records "backend closed" in the ingest's event log, so tests can check shutdown order. */
public final class RecordingBackend implements Backend {
  private final EmbeddedStore store;
  private final RecordingIngest ingest = new RecordingIngest();

  public RecordingBackend(ServerConfig config) {
    this.store = new EmbeddedStore(EmbeddedStoreOptions.of(config.storage().chdbLibrary(),
        config.storage().embeddedDataDirectory(), config.storage().database()).withPoolSize(2));
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public RecordingIngest ingest() {
    return ingest;
  }

  @Override
  public IngestStats stats() {
    return ingest;
  }

  @Override
  public void close() {
    ingest.event("backend closed");
    store.close();
  }

  /** Typed view of the OtlpIngest seam, for tests that only have the interface. */
  static RecordingIngest recording(OtlpIngest ingest) {
    return (RecordingIngest) ingest;
  }
}
