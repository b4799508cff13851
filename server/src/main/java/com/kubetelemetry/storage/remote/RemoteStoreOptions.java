/** How to reach a ClickHouse server and how to pool, validate and retry its connections. */
package com.kubetelemetry.storage.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * @param jdbcUrl {@code jdbc:clickhouse://host:8123/db?prop=value} (driver properties such as {@code compress},
 *     {@code user}, {@code password}, {@code ssl} go in the URL)
 * @param database database that unqualified table names in inserts belong to
 * @param poolSize connections in the pool: statements beyond this wait up to {@code connectionTimeout}
 * @param connectionTimeout longest wait for a pooled connection (server down or all busy) before failing
 * @param validationTimeout longest a liveness check (ping) of a connection may take
 * @param readRetries extra attempts for an idempotent read that failed to reach the server (0 = none)
 * @param retryBackoff wait before the first retry; it doubles for each further one
 */
public record RemoteStoreOptions(String jdbcUrl, String database, int poolSize, Duration connectionTimeout,
    Duration validationTimeout, int readRetries, Duration retryBackoff) {
  public RemoteStoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    Objects.requireNonNull(validationTimeout, "validationTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (!jdbcUrl.startsWith("jdbc:clickhouse:") && !jdbcUrl.startsWith("jdbc:ch:")) {
      throw new IllegalArgumentException("not a ClickHouse JDBC URL: " + jdbcUrl);
    }
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException("poolSize must be 1..64, got " + poolSize);
    }
    if (connectionTimeout.toMillis() < 250 || validationTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connection and validation timeouts must be at least 250 ms");
    }
    if (readRetries < 0 || readRetries > 10) {
      throw new IllegalArgumentException("readRetries must be 0..10, got " + readRetries);
    }
  }

  /** Defaults for everything but the URL and database: 4 connections, 2 s to get one, 2 read retries from 100 ms. */
  public static RemoteStoreOptions of(String jdbcUrl, String database) {
    return new RemoteStoreOptions(jdbcUrl, database, 4, Duration.ofSeconds(2), Duration.ofSeconds(1), 2,
        Duration.ofMillis(100));
  }

  public RemoteStoreOptions withPoolSize(int size) {
    return new RemoteStoreOptions(jdbcUrl, database, size, connectionTimeout, validationTimeout, readRetries,
        retryBackoff);
  }

  public RemoteStoreOptions withConnectionTimeout(Duration timeout) {
    return new RemoteStoreOptions(jdbcUrl, database, poolSize, timeout, validationTimeout, readRetries,
        retryBackoff);
  }

  /** {@code host:port} of a ClickHouse URL, for messages (no credentials, no query string). */
  public static String hostOf(String url) {
    String rest = url.replaceFirst("^jdbc:(clickhouse|ch):", "").replaceFirst("^(https?:)?//", "");
    try {
      URI uri = URI.create("http://" + rest);
      return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "the configured server";
    }
  }
}
