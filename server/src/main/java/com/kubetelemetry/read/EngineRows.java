/** Runs a compiled read on the store and decodes its rows (JSONCompactEachRow), with what the engine reported. */
package com.kubetelemetry.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compilers select timestamps as {@code toUnixTimestamp64Nano(...)} (Int64 nanoseconds), so no row carries
 * time-zone dependent text. Invalid UTF-8 in stored strings is replaced by the engine rather than breaking JSON.
 */
public final class EngineRows {
  public static final String FORMAT = "JSONCompactEachRow";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineRows() {}

  /**
   * @param rows decoded rows
   * @param rowsRead rows the engine read from storage
   * @param elapsedSeconds engine time
   */
  public record EngineResult(List<EngineRow> rows, long rowsRead, double elapsedSeconds) {}

  /** {@code sql} with the output settings the decoder relies on. */
  public static Sql withOutputSettings(Sql sql) {
    return sql.withSetting("output_format_json_quote_denormals", "1")
        .withSetting("output_format_json_validate_utf8", "1");
  }

  /** Runs {@code sql} and decodes every row. */
  public static EngineResult run(Store store, Sql sql) {
    QueryResult result = store.query(withOutputSettings(sql), FORMAT);
    return new EngineResult(decode(result.data()), result.rowsScanned(), result.elapsedSeconds());
  }

  /** Decodes concatenated JSON arrays, one per row. */
  public static List<EngineRow> decode(byte[] data) {
    List<EngineRow> rows = new ArrayList<>();
    if (data.length == 0) {
      return rows;
    }
    try (JsonParser parser = JSON.createParser(data)) {
      var it = JSON.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) {
        rows.add(new EngineRow(it.nextValue()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot decode the engine's answer", e);
    }
    return rows;
  }
}
