/** The server's whole configuration: one immutable value, built by {@link ConfigLoader} from YAML and environment. */
package com.kubetelemetry.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every setting the server reads, grouped in sections as in the YAML file. Values here are already validated;
 * the compact constructors only guard against programming errors.
 */
public record ServerConfig(
    ServerSection server,
    StorageSection storage,
    RetentionSection retention,
    IngestSection ingest,
    QuerySection query,
    AuthSection auth,
    DemoSection demo,
    KubernetesSection kubernetes,
    CacheSection cache) {

  public ServerConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(demo, "demo");
    Objects.requireNonNull(kubernetes, "kubernetes");
    Objects.requireNonNull(cache, "cache");
  }

  /** Port value for the extra OTLP ports meaning "do not listen". */
  public static final int DISABLED_PORT = -1;

  /** How log lines are written. */
  public enum LogFormat { JSON, TEXT }

  /**
   * Listening and process settings. A port of 0 picks a free one; {@link #DISABLED_PORT} turns an extra OTLP port
   * off (OTLP/gRPC is always served on the main port too). {@code webUiDirectory} is a built web UI
   * ({@code web-ui/dist}) to serve at {@code /} instead of the copy packaged in the jar; empty: the packaged copy.
   */
  public record ServerSection(
      String host,
      int port,
      int otlpGrpcPort,
      int otlpHttpPort,
      Duration shutdownGracePeriod,
      List<String> corsAllowedOrigins,
      LogFormat logFormat,
      String webUiDirectory) {
    public ServerSection {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
      Objects.requireNonNull(logFormat, "logFormat");
      Objects.requireNonNull(webUiDirectory, "webUiDirectory");
      corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    }

    /** Without a web UI directory: the copy packaged in the jar is served. */
    public ServerSection(String host, int port, int otlpGrpcPort, int otlpHttpPort, Duration shutdownGracePeriod,
        List<String> corsAllowedOrigins, LogFormat logFormat) {
      this(host, port, otlpGrpcPort, otlpHttpPort, shutdownGracePeriod, corsAllowedOrigins, logFormat, "");
    }

    /** A copy serving the web UI from this directory (empty: the copy packaged in the jar). */
    public ServerSection withWebUiDirectory(String directory) {
      return new ServerSection(host, port, otlpGrpcPort, otlpHttpPort, shutdownGracePeriod, corsAllowedOrigins,
          logFormat, directory);
    }

    /** A copy listening on free ports (main, OTLP/gRPC and OTLP/HTTP): what tests use. */
    public ServerSection withFreePorts() {
      return new ServerSection(host, 0, 0, 0, shutdownGracePeriod, corsAllowedOrigins, logFormat, webUiDirectory);
    }
  }

  /**
   * Where telemetry is stored. {@code url} is {@code embedded:<data directory>} or a remote ClickHouse URL
   * ({@code jdbc:clickhouse://...}, {@code http(s)://...}); {@code chdbLibrary} is already resolved to a path.
   * {@code poolSize} is the number of engine connections (embedded) or pooled HTTP connections (remote). The
   * remote store also uses {@code connectionTimeout} (longest wait for a pooled connection), {@code
   * validationTimeout} (connection ping), {@code readRetries} and {@code retryBackoff} (idempotent reads only).
   * {@code cluster}, when not blank, names the ClickHouse cluster the schema is created on (ON CLUSTER,
   * Replicated and Distributed tables).
   */
  public record StorageSection(String url, Path chdbLibrary, String database, int poolSize,
      Duration connectionTimeout, Duration validationTimeout, int readRetries, Duration retryBackoff,
      String cluster) {
    public static final String EMBEDDED_PREFIX = "embedded:";

    public StorageSection {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(chdbLibrary, "chdbLibrary");
      Objects.requireNonNull(database, "database");
      Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      Objects.requireNonNull(validationTimeout, "validationTimeout");
      Objects.requireNonNull(retryBackoff, "retryBackoff");
      Objects.requireNonNull(cluster, "cluster");
    }

    /** The storage settings with the remote and cluster settings at their defaults. */
    public StorageSection(String url, Path chdbLibrary, String database, int poolSize) {
      this(url, chdbLibrary, database, poolSize, Duration.ofSeconds(2), Duration.ofSeconds(1), 2,
          Duration.ofMillis(100), "");
    }

    /** A copy with another url (the rest kept). */
    public StorageSection withUrl(String newUrl) {
      return new StorageSection(newUrl, chdbLibrary, database, poolSize, connectionTimeout, validationTimeout,
          readRetries, retryBackoff, cluster);
    }

    /** A copy with another pool size (the rest kept). */
    public StorageSection withPoolSize(int newPoolSize) {
      return new StorageSection(url, chdbLibrary, database, newPoolSize, connectionTimeout, validationTimeout,
          readRetries, retryBackoff, cluster);
    }

    /** A copy with another wait for a pooled connection (the rest kept). */
    public StorageSection withConnectionTimeout(Duration timeout) {
      return new StorageSection(url, chdbLibrary, database, poolSize, timeout, validationTimeout, readRetries,
          retryBackoff, cluster);
    }

    /** True when the url names the embedded engine. */
    public boolean embedded() {
      return url.startsWith(EMBEDDED_PREFIX);
    }

    /** The embedded engine's data directory; only meaningful when {@link #embedded()}. */
    public Path embeddedDataDirectory() {
      if (!embedded()) {
        throw new IllegalStateException("storage.url is not embedded: " + url);
      }
      return Path.of(url.substring(EMBEDDED_PREFIX.length()));
    }
  }

  /** Days each signal is kept; 0 keeps it forever. */
  public record RetentionSection(int tracesDays, int logsDays, int metricsDays) {}

  /**
   * Ingest limits: largest accepted request, attribute value truncation, buffer capacity in bytes, rows per
   * insert and how long rows wait before a group commit.
   */
  public record IngestSection(
      long maxMessageBytes, int maxAttributeValueLength, long bufferBytes, int maxBatchRows, Duration flushInterval) {
    public IngestSection {
      Objects.requireNonNull(flushInterval, "flushInterval");
    }
  }

  /**
   * Limits of read queries: the range used when a request has none, the widest range, and the engine limits
   * every read carries ({@code max_execution_time}, {@code max_rows_to_read}, {@code max_result_rows}), plus the
   * most series and points per series a time-series answer may hold.
   */
  public record QuerySection(
      Duration defaultTimeRange, Duration maxTimeRange, Duration maxExecutionTime, long maxRowsToRead,
      long maxResultRows, int maxSeries, int maxPoints) {
    public QuerySection {
      Objects.requireNonNull(defaultTimeRange, "defaultTimeRange");
      Objects.requireNonNull(maxTimeRange, "maxTimeRange");
      Objects.requireNonNull(maxExecutionTime, "maxExecutionTime");
    }
  }

  /** Authentication; when disabled every request acts for {@code defaultTenant}. */
  public record AuthSection(boolean enabled, String defaultTenant) {
    public AuthSection {
      Objects.requireNonNull(defaultTenant, "defaultTenant");
    }
  }

  /** Built-in demo data generator. */
  public record DemoSection(boolean enabled, Duration interval) {
    public DemoSection {
      Objects.requireNonNull(interval, "interval");
    }
  }

  /** Whether the Kubernetes collector runs: AUTO runs it when a cluster is configured and reachable. */
  public enum KubernetesMode { AUTO, TRUE, FALSE }

  /**
   * The built-in Kubernetes collector. {@code kubeconfig} empty: the usual discovery (KUBECONFIG, ~/.kube/config,
   * in-cluster service account). {@code kinds}: names from the collector's table (pods, deployments, ...) and
   * {@code customresources} for every served CRD. {@code resync} 0 disables periodic resync. Objects are stored for
   * {@code tenant} with {@code clusterName} in their Cluster column.
   */
  public record KubernetesSection(KubernetesMode enabled, String kubeconfig, List<String> kinds, Duration resync,
      String clusterName, String tenant) {
    public KubernetesSection {
      Objects.requireNonNull(enabled, "enabled");
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      kinds = List.copyOf(kinds);
      Objects.requireNonNull(resync, "resync");
      Objects.requireNonNull(clusterName, "clusterName");
      Objects.requireNonNull(tenant, "tenant");
    }
  }

  /** A copy with another kubernetes section. */
  public ServerConfig withKubernetes(KubernetesSection newKubernetes) {
    return new ServerConfig(server, storage, retention, ingest, query, auth, demo, newKubernetes, cache);
  }

  /** A copy with every listening port set to 0 (a free one). */
  public ServerConfig withFreePorts() {
    return new ServerConfig(server.withFreePorts(), storage, retention, ingest, query, auth, demo, kubernetes, cache);
  }

  /** A copy with another ingest section. */
  public ServerConfig withIngest(IngestSection newIngest) {
    return new ServerConfig(server, storage, retention, newIngest, query, auth, demo, kubernetes, cache);
  }

  /** A copy with another storage section. */
  public ServerConfig withStorage(StorageSection newStorage) {
    return new ServerConfig(server, newStorage, retention, ingest, query, auth, demo, kubernetes, cache);
  }

  /** A copy with another auth section. */
  public ServerConfig withAuth(AuthSection newAuth) {
    return new ServerConfig(server, storage, retention, ingest, query, newAuth, demo, kubernetes, cache);
  }

  /** A copy with another query section. */
  public ServerConfig withQuery(QuerySection newQuery) {
    return new ServerConfig(server, storage, retention, ingest, newQuery, auth, demo, kubernetes, cache);
  }

  /** A copy with another server section. */
  public ServerConfig withServer(ServerSection newServer) {
    return new ServerConfig(newServer, storage, retention, ingest, query, auth, demo, kubernetes, cache);
  }

  /** A copy with another cache section. */
  public ServerConfig withCache(CacheSection newCache) {
    return new ServerConfig(server, storage, retention, ingest, query, auth, demo, kubernetes, newCache);
  }

  /**
   * The query cache: L1 in process bounded by {@code l1MaxBytes}; L2 Redis when {@code redisUrl} is not blank.
   * Completed time buckets (ending before now - {@code ingestDelay}) live {@code bucketTtl}; answers that reach
   * into the last {@code ingestDelay} live {@code freshTtl}. Redis calls wait at most {@code redisTimeout}.
   */
  public record CacheSection(boolean enabled, long l1MaxBytes, String redisUrl, Duration ingestDelay,
      Duration bucketTtl, Duration freshTtl, Duration redisTimeout, int bucketSteps) {
    public CacheSection {
      Objects.requireNonNull(redisUrl, "redisUrl");
      Objects.requireNonNull(ingestDelay, "ingestDelay");
      Objects.requireNonNull(bucketTtl, "bucketTtl");
      Objects.requireNonNull(freshTtl, "freshTtl");
      Objects.requireNonNull(redisTimeout, "redisTimeout");
    }

    /** Enabled, 256 MiB of L1, no Redis. */
    public static CacheSection defaults() {
      return new CacheSection(true, 256L << 20, "", Duration.ofSeconds(30), Duration.ofHours(6),
          Duration.ofSeconds(30), Duration.ofMillis(50), 30);
    }

    /** A copy using Redis at {@code url}. */
    public CacheSection withRedisUrl(String url) {
      return new CacheSection(enabled, l1MaxBytes, url, ingestDelay, bucketTtl, freshTtl, redisTimeout, bucketSteps);
    }
  }
}
