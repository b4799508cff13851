/** The cluster-mode schema statements checked by the real engine's parser, and the insert shape they use. */
package com.kubetelemetry.storage.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.schema.TableLayout;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No ClickHouse cluster (Keeper, remote_servers) runs here: the engine parses what it cannot execute. */
class ClusterDdlOnEngineTest {
  @Test
  void everyClusterStatementParsesAndTheForegroundInsertRuns(@TempDir Path dir) {
    SchemaOptions options = new SchemaOptions("otel", 7, 14, 30).withCluster("telemetry");
    List<Sql> statements = new ArrayList<>();
    OtelSchema.migrations(options).forEach(m -> statements.addAll(m.statements()));
    statements.addAll(OtelSchema.retentionStatements(options));
    try (EmbeddedStore store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "c"))) {
      for (Sql statement : statements) {
        String formatted = store.query(Sql.of("SELECT formatQuerySingleLine({q:String})",
            new Param("q", "String", statement.text())), "TSVRaw").text().strip();
        String expected = statement.text().startsWith("INSERT") ? "distributed_foreground_insert = 1"
            : "ON CLUSTER telemetry";
        assertThat(formatted).as(statement.text()).contains(expected);
      }
      // The insert shape of the ledger and back-fills (settings before VALUES / SELECT) runs on one server too.
      TableLayout layout = new TableLayout(options);
      store.execute(List.of(Sql.of("CREATE DATABASE otel"),
          Sql.of("CREATE TABLE otel.schema_migrations (version UInt32, description String) ENGINE = Memory"),
          Sql.of(layout.insertInto("schema_migrations", "version, description") + " VALUES (1, 'one')"),
          Sql.of(layout.insertInto("schema_migrations", "") + "\nSELECT 2, 'two'")));
      assertThat(store.query(Sql.of("SELECT count() FROM otel.schema_migrations"), "TSV").text().strip())
          .isEqualTo("2");
    }
  }
}
