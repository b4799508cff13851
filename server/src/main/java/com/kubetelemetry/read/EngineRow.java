/** One row of a JSONCompactEachRow result, read by column position with typed accessors. */
package com.kubetelemetry.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 64-bit integers arrive quoted and non-finite floats as "nan"/"inf" text (the settings {@link EngineRows} sends),
 * so the accessors accept both numbers and text.
 */
public record EngineRow(JsonNode values) {

  public int size() {
    return values.size();
  }

  public JsonNode node(int column) {
    return values.get(column);
  }

  public boolean isNull(int column) {
    JsonNode n = values.get(column);
    return n == null || n.isNull();
  }

  public String string(int column) {
    JsonNode n = values.get(column);
    return n == null || n.isNull() ? "" : n.asText();
  }

  public long int64(int column) {
    JsonNode n = values.get(column);
    if (n == null || n.isNull()) {
      return 0;
    }
    return n.isNumber() ? n.asLong() : Long.parseLong(n.asText());
  }

  /** An unsigned 64-bit value read as its bit pattern: compare with {@link Long#compareUnsigned}. */
  public long uint64(int column) {
    JsonNode n = values.get(column);
    return n == null || n.isNull() ? 0 : Long.parseUnsignedLong(n.asText());
  }

  public double float64(int column) {
    JsonNode n = values.get(column);
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    return n.isNumber() ? n.asDouble() : parseFloat(n.asText());
  }

  public boolean bool(int column) {
    JsonNode n = values.get(column);
    return n != null && (n.isBoolean() ? n.asBoolean() : n.asLong() != 0);
  }

  /** An Array(String) column. */
  public List<String> strings(int column) {
    JsonNode n = values.get(column);
    List<String> out = new ArrayList<>(n == null ? 0 : n.size());
    if (n != null) {
      n.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  /** An Array of signed integers (including quoted 64-bit ones). */
  public long[] longs(int column) {
    JsonNode n = values.get(column);
    long[] out = new long[n == null ? 0 : n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = n.get(i);
      out[i] = e.isNumber() ? e.asLong() : Long.parseLong(e.asText());
    }
    return out;
  }

  /** A Map(String, String) column, in the engine's order. */
  public Map<String, String> stringMap(int column) {
    JsonNode n = values.get(column);
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null) {
      n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  private static double parseFloat(String text) {
    return switch (text) {
      case "nan", "-nan" -> Double.NaN;
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
