/** Test fixture: the real engine with the real OpenTelemetry tables (OtelSchema migrations), and row read-back. */
package com.kubetelemetry.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.schema.Migration;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class OtelTables implements AutoCloseable {
  static final String DATABASE = "otel";
  private static final ObjectMapper JSON = new ObjectMapper();

  final EmbeddedStore store;

  OtelTables(Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, DATABASE).withPoolSize(1));
    for (Migration migration : OtelSchema.migrations(new SchemaOptions(DATABASE, 0, 0, 0))) {
      store.execute(migration.statements());
    }
  }

  /** Inserts every block of the export into its table. */
  void insert(MappedExport export) {
    export.blocksByTable().forEach((table, block) -> store.insert(table, List.of(block)));
  }

  void truncate(String table) {
    store.execute(List.of(Sql.of("TRUNCATE TABLE " + DATABASE + "." + table)));
  }

  /** Rows of {@code select} (a full SELECT over qualified tables) as JSON objects. */
  List<JsonNode> rows(String select) {
    String text = store.query(Sql.of(select), "JSONEachRow").text();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        try {
          rows.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException(line, e);
        }
      }
    }
    return rows;
  }

  /** A JSON object's fields as a map of strings (how Map columns come back). */
  static Map<String, String> map(JsonNode node) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  static void assertSingleBlock(MappedExport export, String table, int rows) {
    assertThat(export.blocksByTable()).containsOnlyKeys(table);
    assertThat(export.blocksByTable().get(table).rows()).isEqualTo(rows);
  }

  @Override
  public void close() {
    store.close();
  }
}
