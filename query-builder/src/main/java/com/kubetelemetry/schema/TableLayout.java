/** How each table of ours exists on the server: one table, or on a cluster a Replicated table per shard under a Distributed one. */
package com.kubetelemetry.schema;

import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Without a cluster every statement is rendered as for one server. With {@link SchemaOptions#cluster()} set:
 * <ul>
 *   <li>every statement runs {@code ON CLUSTER '<name>'};</li>
 *   <li>a table {@code t} is stored in {@code t_local} on every node, with the Replicated form of its engine
 *   ({@code ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')}: Keeper keeps the
 *   replicas of one shard identical), and {@code t} becomes a {@code Distributed} table over all shards' {@code
 *   t_local}, spreading inserts by a sharding key and fanning reads out; queries and inserts keep using {@code t};</li>
 *   <li>materialized views read the local table they watch and write the local target (a view fires on the node
 *   where the rows land), and retention (TTL) is set on the local tables.</li>
 * </ul>
 * A new table gets both shapes by passing its definition through {@link #createTable}.
 */
public final class TableLayout {
  /** Suffix of the per-node table under a Distributed table. */
  public static final String LOCAL_SUFFIX = "_local";
  /** Keeper path of a replicated table: one per shard, database and local table. */
  public static final String REPLICA_PATH = "/clickhouse/tables/{shard}/{database}/{table}";
  /** Setting that makes an insert into a Distributed table return only once every shard has its rows. */
  public static final String FOREGROUND_INSERT = "distributed_foreground_insert";

  /** The engine clause: a MergeTree-family name and its optional arguments (e.g. a version column). */
  private static final Pattern ENGINE = Pattern.compile("\\) ENGINE = ([A-Za-z]*MergeTree)(?:\\(([^)]*)\\))?(?=\\n|$)");

  private final SchemaOptions options;

  public TableLayout(SchemaOptions options) {
    this.options = options;
  }

  /** True when the schema lives on a cluster. */
  public boolean clustered() {
    return !options.cluster().isEmpty();
  }

  /** {@code " ON CLUSTER 'name'"}, or nothing without a cluster. */
  public String onCluster() {
    return clustered() ? " ON CLUSTER '" + options.cluster() + "'" : "";
  }

  public Sql createDatabase() {
    return Sql.of("CREATE DATABASE IF NOT EXISTS " + options.quotedDatabase() + onCluster());
  }

  /** The table that holds {@code table}'s rows on each node: {@code table_local} on a cluster, else the table. */
  public String storageTable(String table) {
    return clustered() ? table + LOCAL_SUFFIX : table;
  }

  /** {@link #storageTable} qualified with the database, for views, TTL and system.tables lookups. */
  public String qualifiedStorage(String table) {
    return options.qualified(storageTable(table));
  }

  /**
   * The statements creating {@code table}.
   *
   * @param definition what follows the table name in a single-server CREATE TABLE: {@code " (\n<columns>\n)
   *     ENGINE = <a MergeTree-family engine, with or without arguments>\n<PARTITION BY, ORDER BY, TTL, SETTINGS ...>"}
   * @param shardingKey expression choosing the shard of a row on a cluster (e.g. {@code cityHash64(TenantId,
   *     TraceId)} keeps a trace on one shard; {@code rand()} spreads evenly)
   */
  public List<Sql> createTable(String table, String definition, String shardingKey) {
    if (!clustered()) {
      return List.of(Sql.of("CREATE TABLE IF NOT EXISTS " + options.qualified(table) + definition));
    }
    Matcher engine = ENGINE.matcher(definition);
    if (!engine.find()) {
      throw new IllegalArgumentException("definition of " + table + " has no MergeTree-family ENGINE clause");
    }
    String replicated = definition.substring(0, engine.start()) + ") ENGINE = Replicated" + engine.group(1)
        + "('" + REPLICA_PATH + "', '{replica}'" + (engine.group(2) == null || engine.group(2).isBlank() ? ""
        : ", " + engine.group(2)) + ")" + definition.substring(engine.end());
    String local = storageTable(table);
    return List.of(
        Sql.of("CREATE TABLE IF NOT EXISTS " + options.qualified(local) + onCluster() + replicated),
        Sql.of("CREATE TABLE IF NOT EXISTS " + options.qualified(table) + onCluster() + " AS "
            + options.qualified(local) + "\nENGINE = Distributed('" + options.cluster() + "', '" + options.database()
            + "', '" + local + "', " + shardingKey + ")"));
  }

  /**
   * A materialized view into {@code target}. {@code select} must read the watched table through
   * {@link #qualifiedStorage} (on a cluster the view fires where rows land, on the local table).
   */
  public Sql createView(String view, String target, String select) {
    return Sql.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(view) + onCluster() + "\nTO "
        + qualifiedStorage(target) + "\nAS " + select);
  }

  /** An ALTER of the columns of {@code table}: on a cluster for the local and the Distributed table alike. */
  public List<Sql> alterColumns(String table, String action) {
    if (!clustered()) {
      return List.of(Sql.of("ALTER TABLE " + options.qualified(table) + " " + action));
    }
    return List.of(Sql.of("ALTER TABLE " + qualifiedStorage(table) + onCluster() + " " + action),
        Sql.of("ALTER TABLE " + options.qualified(table) + onCluster() + " " + action));
  }

  /** An ALTER of how {@code table} stores rows (TTL, settings): only the table that holds them. */
  public Sql alterStorage(String table, String action) {
    return Sql.of("ALTER TABLE " + qualifiedStorage(table) + onCluster() + " " + action);
  }

  /**
   * {@code INSERT INTO <table> [(<columns>)]} for statements that insert rows themselves (VALUES or SELECT
   * follows); on a cluster it waits until the rows are on their shards ({@value #FOREGROUND_INSERT}), so what it
   * returns is committed.
   */
  public String insertInto(String table, String columns) {
    return "INSERT INTO " + options.qualified(table) + (columns.isEmpty() ? "" : " (" + columns + ")")
        + (clustered() ? " SETTINGS " + FOREGROUND_INSERT + " = 1" : "");
  }
}
