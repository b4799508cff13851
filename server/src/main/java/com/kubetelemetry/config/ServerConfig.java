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
    DemoSection demo) {

  public ServerConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(demo, "demo");
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
   */
  public record StorageSection(String url, Path chdbLibrary, String database, int poolSize) {
    public static final String EMBEDDED_PREFIX = "embedded:";

    public StorageSection {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(chdbLibrary, "chdbLibrary");
      Objects.requireNonNull(database, "database");
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

  /** A copy with every listening port set to 0 (a free one). */
  public ServerConfig withFreePorts() {
    return new ServerConfig(server.withFreePorts(), storage, retention, ingest, query, auth, demo);
  }

  /** A copy with another ingest section. */
  public ServerConfig withIngest(IngestSection newIngest) {
    return new ServerConfig(server, storage, retention, newIngest, query, auth, demo);
  }

  /** A copy with another storage section. */
  public ServerConfig withStorage(StorageSection newStorage) {
    return new ServerConfig(server, newStorage, retention, ingest, query, auth, demo);
  }

  /** A copy with another auth section. */
  public ServerConfig withAuth(AuthSection newAuth) {
    return new ServerConfig(server, storage, retention, ingest, query, newAuth, demo);
  }

  /** A copy with another query section. */
  public ServerConfig withQuery(QuerySection newQuery) {
    return new ServerConfig(server, storage, retention, ingest, newQuery, auth, demo);
  }

  /** A copy with another server section. */
  public ServerConfig withServer(ServerSection newServer) {
    return new ServerConfig(newServer, storage, retention, ingest, query, auth, demo);
  }
}
