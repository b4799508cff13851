/** Brings a database to the schema this server knows: applies missing migrations in order, then the retention. */
package com.kubetelemetry.storage.schema;

import com.kubetelemetry.schema.Migration;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.schema.TableLayout;
import com.kubetelemetry.schema.TableRetention;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Applied versions are recorded in {@code <database>.schema_migrations}; a version is recorded only after all its
 * statements succeeded, and every statement is idempotent, so an interrupted run is finished by the next one. A
 * database recorded at a newer version than this code knows (a server downgrade) is refused, untouched.
 * Retention is compared with each table's current TTL and changed only where it differs, so a restart with the
 * same settings issues no ALTER (each would start a TTL mutation on every part).
 */
public final class SchemaMigrator {
  private final Store store;
  private final SchemaOptions options;
  private final TableLayout layout;

  public SchemaMigrator(Store store, SchemaOptions options) {
    this.store = store;
    this.options = options;
    this.layout = new TableLayout(options);
  }

  /** Runs the missing migrations and the retention; returns what changed. Throws when the schema is newer. */
  public MigrationReport migrate() {
    List<Sql> ledgerDdl = new ArrayList<>(List.of(layout.createDatabase()));
    ledgerDdl.addAll(layout.createTable(OtelSchema.SCHEMA_MIGRATIONS, " (\n"
        + "    version UInt32,\n"
        + "    description String,\n"
        + "    applied_at DateTime64(3)\n"
        + ") ENGINE = ReplacingMergeTree\n"
        + "ORDER BY version", "version"));
    store.execute(ledgerDdl);
    TreeSet<Integer> applied = appliedVersions();
    List<Migration> migrations = OtelSchema.migrations(options);
    int known = migrations.getLast().version();
    if (!applied.isEmpty() && applied.last() > known) {
      throw new IllegalStateException("database `" + options.database() + "` is at schema version "
          + applied.last() + " but this server knows versions up to " + known
          + ": it was migrated by a newer server. Run that version (or newer); downgrades are not supported");
    }
    List<Integer> appliedNow = new ArrayList<>();
    for (Migration migration : migrations) {
      if (applied.contains(migration.version())) {
        continue;
      }
      store.execute(migration.statements());
      store.execute(List.of(Sql.of(layout.insertInto(OtelSchema.SCHEMA_MIGRATIONS,
          "version, description, applied_at") + " VALUES ({v:UInt32}, {d:String}, now64(3))",
          new Param("v", "UInt32", migration.version()), new Param("d", "String", migration.description()))));
      appliedNow.add(migration.version());
    }
    return new MigrationReport(appliedNow, known, applyRetention());
  }

  /** The versions recorded in the ledger, ascending. */
  public TreeSet<Integer> appliedVersions() {
    String text = store.query(Sql.of("SELECT version FROM " + ledger() + " FINAL ORDER BY version"), "TSV").text();
    TreeSet<Integer> versions = new TreeSet<>();
    text.lines().filter(line -> !line.isBlank()).forEach(line -> versions.add(Integer.parseInt(line.strip())));
    return versions;
  }

  private List<String> applyRetention() {
    List<String> changed = new ArrayList<>();
    for (TableRetention retention : OtelSchema.retention(options)) {
      Optional<String> current = currentTtl(retention.storageTable());
      if (!current.equals(retention.expression())) {
        store.execute(List.of(retention.statement()));
        changed.add(retention.table());
      }
    }
    return changed;
  }

  /** The table's TTL expression as the engine reports it in {@code engine_full}; empty when it has none. */
  private Optional<String> currentTtl(String table) {
    String engineFull = store.query(Sql.of(
        "SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}",
        new Param("db", "String", options.database()), new Param("t", "String", table)), "TSVRaw").text().strip();
    return ttlOf(engineFull);
  }

  /** Extracts the TTL clause from an {@code engine_full} text: what follows " TTL " up to " SETTINGS ". */
  static Optional<String> ttlOf(String engineFull) {
    int start = engineFull.indexOf(" TTL ");
    if (start < 0) {
      return Optional.empty();
    }
    int end = engineFull.indexOf(" SETTINGS ", start);
    String ttl = engineFull.substring(start + 5, end < 0 ? engineFull.length() : end).strip();
    return ttl.isEmpty() ? Optional.empty() : Optional.of(ttl);
  }

  private String ledger() {
    return options.qualified(OtelSchema.SCHEMA_MIGRATIONS);
  }
}
