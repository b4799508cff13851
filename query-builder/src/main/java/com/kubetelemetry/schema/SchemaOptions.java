/** Where the telemetry tables live and how long each signal is kept: the inputs of the schema migrations. */
package com.kubetelemetry.schema;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * @param database database holding every table (a plain identifier, rendered backquoted)
 * @param tracesTtlDays days spans are kept (otel_traces and its trace-id lookup); 0 keeps them forever
 * @param logsTtlDays days log records are kept; 0 keeps them forever
 * @param metricsTtlDays days metric points are kept (all five otel_metrics_* tables); 0 keeps them forever
 * @param cluster ClickHouse cluster (from the server's remote_servers) the schema is created on; empty for one
 *     server. See {@link TableLayout}.
 */
public record SchemaOptions(String database, int tracesTtlDays, int logsTtlDays, int metricsTtlDays,
    String cluster) {
  private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final Pattern CLUSTER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_\\-]{0,63}$");
  /** Upper bound for retention (100 years): keeps the rendered interval far from any overflow. */
  public static final int MAX_TTL_DAYS = 36_500;

  public SchemaOptions {
    Objects.requireNonNull(database, "database");
    if (database.length() > 64 || !IDENTIFIER.matcher(database).matches()) {
      throw new IllegalArgumentException("database name '" + database
          + "' is not a plain identifier: use letters, digits and '_', not starting with a digit, at most 64 chars");
    }
    checkDays("tracesTtlDays", tracesTtlDays);
    checkDays("logsTtlDays", logsTtlDays);
    checkDays("metricsTtlDays", metricsTtlDays);
    Objects.requireNonNull(cluster, "cluster");
    if (!cluster.isEmpty() && !CLUSTER.matcher(cluster).matches()) {
      throw new IllegalArgumentException("cluster name '" + cluster
          + "' is not a plain name: use letters, digits, '_' and '-', at most 64 chars");
    }
  }

  /** Options for one server (no cluster). */
  public SchemaOptions(String database, int tracesTtlDays, int logsTtlDays, int metricsTtlDays) {
    this(database, tracesTtlDays, logsTtlDays, metricsTtlDays, "");
  }

  /** A copy on {@code name}'s cluster ("" for one server). */
  public SchemaOptions withCluster(String name) {
    return new SchemaOptions(database, tracesTtlDays, logsTtlDays, metricsTtlDays, name);
  }

  /** The database name, backquoted for use in SQL text. */
  public String quotedDatabase() {
    return "`" + database + "`";
  }

  /** {@code `database`.`table`} for one of our table names (which are fixed identifiers). */
  public String qualified(String table) {
    if (!IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException("invalid table name: " + table);
    }
    return quotedDatabase() + ".`" + table + "`";
  }

  private static void checkDays(String name, int days) {
    if (days < 0 || days > MAX_TTL_DAYS) {
      throw new IllegalArgumentException(name + " is " + days + "; use 0 (keep forever) to " + MAX_TTL_DAYS);
    }
  }
}
