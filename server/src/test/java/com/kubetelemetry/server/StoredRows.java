/** Reads rows back from the store a test server writes to, as JSON objects, for field-by-field checks. */
package com.kubetelemetry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Queries take one String parameter {@code {key:String}} so tests select their own rows by a unique value. */
final class StoredRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredRows() {}

  static List<JsonNode> select(Store store, String sql, String key) {
    String text = store.query(Sql.of(sql, new Param("key", "String", key)), "JSONEachRow").text();
    List<JsonNode> rows = new ArrayList<>();
    try {
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          rows.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  static long count(Store store, String sql, String key) {
    return Long.parseLong(store.query(Sql.of(sql, new Param("key", "String", key)), "TSV").text().strip());
  }
}
