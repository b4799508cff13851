/** How to open the embedded store: where the library and the data live, and how many connections to pool. */
package com.kubetelemetry.storage.chdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * @param library path to libchdb.so
 * @param dataDirectory the engine's data directory (created when missing; data survives restarts)
 * @param database database that unqualified table names in inserts belong to
 * @param poolSize connections opened; statements beyond this wait for one to come back
 * @param acquireTimeout how long a statement waits for a free connection before failing
 * @param closeTimeout how long close waits for running statements
 */
public record EmbeddedStoreOptions(Path library, Path dataDirectory, String database, int poolSize,
    Duration acquireTimeout, Duration closeTimeout) {
  public EmbeddedStoreOptions {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(database, "database");
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException("poolSize must be 1..64, got " + poolSize);
    }
  }

  /** Defaults for everything but the paths and database: 4 connections, 30 s waits. */
  public static EmbeddedStoreOptions of(Path library, Path dataDirectory, String database) {
    return new EmbeddedStoreOptions(library, dataDirectory, database, 4, Duration.ofSeconds(30),
        Duration.ofSeconds(30));
  }

  public EmbeddedStoreOptions withPoolSize(int size) {
    return new EmbeddedStoreOptions(library, dataDirectory, database, size, acquireTimeout, closeTimeout);
  }
}
