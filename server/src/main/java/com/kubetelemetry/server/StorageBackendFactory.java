/** The production BackendFactory: opens the configured store, applies the schema and starts the ingest path. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.BufferedOtlpIngest;
import com.kubetelemetry.ingest.IngestSettings;
import com.kubetelemetry.ingest.mapping.LogRowMapper;
import com.kubetelemetry.ingest.mapping.MappingLimits;
import com.kubetelemetry.ingest.mapping.MetricRowMapper;
import com.kubetelemetry.ingest.mapping.TraceRowMapper;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.storage.StoreException;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.remote.RemoteStore;
import com.kubetelemetry.storage.remote.RemoteStoreOptions;
import com.kubetelemetry.storage.schema.MigrationReport;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the store {@code storage.url} names (the embedded engine on {@code embedded:<directory>}, a ClickHouse
 * server on {@code jdbc:clickhouse://...}), runs the schema migrations and retention, and starts
 * {@link BufferedOtlpIngest} with the OTLP row mappers. Anything that fails after the store opened closes it again.
 */
public final class StorageBackendFactory implements BackendFactory {
  /** Two committers keep the engine inserting on one connection while the next batch is gathered. */
  static final int COMMITTERS = 2;
  private static final Logger LOG = LoggerFactory.getLogger(StorageBackendFactory.class);

  @Override
  public Backend open(ServerConfig config) {
    ServerConfig.StorageSection storage = config.storage();
    Store store = storage.embedded() ? openEmbedded(storage) : openRemote(storage);
    String where = storage.embedded() ? storage.embeddedDataDirectory().toAbsolutePath().toString()
        : RemoteStoreOptions.hostOf(storage.url());
    try {
      ServerConfig.RetentionSection retention = config.retention();
      MigrationReport report = new SchemaMigrator(store, new SchemaOptions(storage.database(),
          retention.tracesDays(), retention.logsDays(), retention.metricsDays(), storage.cluster())).migrate();
      LOG.info("schema at version {} in {} (applied now: {}, retention changed: {})", report.schemaVersion(),
          where, report.appliedVersions(), report.retentionChangedTables());
      ServerConfig.IngestSection ingest = config.ingest();
      MappingLimits limits = new MappingLimits(ingest.maxAttributeValueLength());
      IngestSettings settings = new IngestSettings(ingest.bufferBytes(), ingest.maxBatchRows(),
          ingest.flushInterval(), config.server().shutdownGracePeriod().plus(Duration.ofSeconds(20)), COMMITTERS);
      BufferedOtlpIngest otlp = new BufferedOtlpIngest(store, settings, new TraceRowMapper(limits)::map,
          new MetricRowMapper(limits)::map, new LogRowMapper(limits)::map);
      return new StorageBackend(store, otlp);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static Store openEmbedded(ServerConfig.StorageSection storage) {
    Path library = storage.chdbLibrary();
    if (!Files.isRegularFile(library)) {
      throw new IllegalArgumentException("libchdb.so not found at " + library
          + ": run `make chdb`, or set storage.chdbLibrary (TELEMETRY_STORAGE_CHDB_LIBRARY) or CHDB_LIB");
    }
    Path dataDirectory = storage.embeddedDataDirectory().toAbsolutePath();
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDirectory, e);
    }
    return new EmbeddedStore(EmbeddedStoreOptions.of(library, dataDirectory, storage.database())
        .withPoolSize(storage.poolSize()));
  }

  /** {@code http(s)://...} URLs are read as the driver's {@code jdbc:clickhouse:http(s)://...} form. */
  private static Store openRemote(ServerConfig.StorageSection storage) {
    String url = storage.url().startsWith("jdbc:") ? storage.url() : "jdbc:clickhouse:" + storage.url();
    RemoteStoreOptions options = new RemoteStoreOptions(url, storage.database(), storage.poolSize(),
        storage.connectionTimeout(), storage.validationTimeout(), storage.readRetries(), storage.retryBackoff());
    try {
      return new RemoteStore(options);
    } catch (StoreException e) {
      throw new IllegalStateException("cannot use the ClickHouse server at " + RemoteStoreOptions.hostOf(url)
          + " (storage.url / TELEMETRY_CLICKHOUSE_URL): " + e.getMessage(), e);
    }
  }
}
