/** The remote ClickHouse store: clickhouse-jdbc (HTTP) connections in a HikariCP pool, raw formatted results. */
package com.kubetelemetry.storage.remote;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;
import com.clickhouse.jdbc.DataSourceImpl;
import com.kubetelemetry.schema.TableLayout;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.InsertTarget;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.RenderedParamValue;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.storage.StoreException;
import com.kubetelemetry.storage.chdb.ParamText;
import com.kubetelemetry.storage.chdb.SqlText;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads go through the driver's client API ({@code Client.query} with a parameter map and a format) so the
 * engine's bytes come back exactly as the embedded store returns them; no ResultSet conversion. Parameters are
 * rendered with the embedded store's {@link ParamText} and travel as {@code param_<name>} (server-side binding);
 * settings join the text as a SETTINGS clause exactly as on the embedded engine. Inserts send the Native blocks as
 * the request body of {@code INSERT INTO db.table (cols) FORMAT Native}. Idempotent reads that could not reach the
 * server are retried with exponential backoff; inserts and DDL never are. Failures to reach the server, or to get
 * a pooled connection in time, are {@link StoreException}s with code 0, which the API maps to UNAVAILABLE;
 * the pool recovers by itself once the server answers again.
 */
public final class RemoteStore implements Store {
  private static final Pattern READ_ONLY =
      Pattern.compile("(?is)^\\s*(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN)\\b.*");
  private static final int CHUNK = 64 * 1024;
  /**
   * On a cluster the tables we insert into are Distributed: wait until every shard has its rows, so an
   * acknowledged export is stored (a single server ignores the setting).
   */
  private static final InsertSettings INSERT_SETTINGS =
      new InsertSettings().serverSetting(TableLayout.FOREGROUND_INSERT, "1");

  private final RemoteStoreOptions options;
  private final HikariDataSource pool;
  private final RemoteFailures failures;
  private final String engineVersion;
  private volatile boolean closed;

  /** Opens the pool and asks the server for its version; fails with a StoreException when it cannot. */
  public RemoteStore(RemoteStoreOptions options) {
    this.options = options;
    this.failures = new RemoteFailures(RemoteStoreOptions.hostOf(options.jdbcUrl()));
    // The store retries idempotent reads itself; the driver must never resend an insert.
    Properties driverProperties = new Properties();
    driverProperties.setProperty("retry", "0");
    HikariConfig config = new HikariConfig();
    config.setPoolName("clickhouse");
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(options.connectionTimeout().toMillis());
    config.setValidationTimeout(options.validationTimeout().toMillis());
    // The first connection is made while the pool opens (not lazily on a loaded machine's first statement).
    config.setInitializationFailTimeout(options.connectionTimeout().toMillis());
    try {
      config.setDataSource(new DataSourceImpl(options.jdbcUrl(), driverProperties));
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(0, "cannot open the ClickHouse connection pool for " + failures.host() + ": "
          + e.getMessage(), e);
    }
    try {
      this.engineVersion = query(Sql.of("SELECT version()"), "TSV").text().strip();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  @Override
  public QueryResult query(Sql sql, String format) {
    return withReadRetries(sql, () -> {
      // The whole result is buffered here anyway: let the server finish first, so its summary (rows read) is whole.
      try (Connection connection = borrow(); QueryResponse response = start(connection, sql, format, true)) {
        byte[] data = response.getInputStream().readAllBytes();
        return new QueryResult(data, response.getResultRows(), response.getReadRows(),
            response.getServerTime() / 1e9);
      } catch (Exception e) {
        throw failures.toStoreException(e);
      }
    });
  }

  @Override
  public ResultStream stream(Sql sql, String format) {
    return withReadRetries(sql, () -> {
      Connection connection = borrow();
      try {
        QueryResponse response = start(connection, sql, format, false);
        return new RemoteResultStream(connection, response, failures, CHUNK);
      } catch (Exception e) {
        closeQuietly(connection);
        throw failures.toStoreException(e);
      }
    });
  }

  @Override
  public void execute(List<Sql> statements) {
    try (Connection connection = borrow()) {
      for (Sql statement : statements) {
        try (QueryResponse response = start(connection, statement, "TSV", true)) {
          response.getInputStream().readAllBytes();
        }
      }
    } catch (Exception e) {
      throw failures.toStoreException(e);
    }
  }

  @Override
  public void insert(String table, List<NativeBlock> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    List<String> quotedColumns = InsertTarget.columns(table, blocks);
    String qualified = qualify(table);
    InputStream body = new SequenceInputStream(Collections.enumeration(
        blocks.stream().map(b -> (InputStream) new ByteArrayInputStream(b.data())).toList()));
    try (Connection connection = borrow();
        InsertResponse ignored = client(connection).insert(qualified, quotedColumns, body, ClickHouseFormat.Native,
            INSERT_SETTINGS).get()) {
      // Committed when the server answered.
    } catch (Exception e) {
      throw failures.toStoreException(e);
    }
  }

  @Override
  public String engineVersion() {
    return engineVersion;
  }

  @Override
  public String kind() {
    return "remote";
  }

  /** True when a pooled connection can be had and the server answers a ping in time. */
  @Override
  public boolean isHealthy() {
    if (closed) {
      return false;
    }
    try (Connection connection = borrow()) {
      return client(connection).ping(options.validationTimeout().toMillis());
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
  }

  /** Name of the database that unqualified table names belong to. */
  public String database() {
    return options.database();
  }

  private QueryResponse start(Connection connection, Sql sql, String format, boolean waitForEnd) throws Exception {
    QuerySettings settings = new QuerySettings().setFormat(formatOf(format));
    if (waitForEnd) {
      settings.serverSetting("wait_end_of_query", "1");
    }
    Map<String, Object> params = new LinkedHashMap<>();
    for (Param param : sql.params()) {
      params.put(param.name(), new RenderedParamValue(ParamText.render(param)));
    }
    return client(connection).query(SqlText.withSettings(sql), params, settings).get();
  }

  private Connection borrow() {
    if (closed) {
      throw new StoreException(0, "the remote store is closed");
    }
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw failures.noConnection(e, options);
    }
  }

  private static Client client(Connection connection) throws SQLException {
    return connection.unwrap(ConnectionImpl.class).getClient();
  }

  private <T> T withReadRetries(Sql sql, Supplier<T> attempt) {
    boolean idempotent = READ_ONLY.matcher(sql.text()).matches();
    long backoff = options.retryBackoff().toMillis();
    for (int tried = 0; ; tried++) {
      try {
        return attempt.get();
      } catch (StoreException e) {
        if (!idempotent || tried >= options.readRetries() || !RemoteFailures.isRetryable(e) || closed) {
          throw e;
        }
      }
      try {
        Thread.sleep(backoff << tried);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(0, "interrupted while waiting to retry a read", e);
      }
    }
  }

  private static ClickHouseFormat formatOf(String format) {
    try {
      return ClickHouseFormat.valueOf(format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown ClickHouse format " + format, e);
    }
  }

  private String qualify(String table) {
    return InsertTarget.qualified(table, options.database());
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Returning a connection to the pool does not fail in a way the caller could act on.
    }
  }
}
