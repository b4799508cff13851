/** Turns JSONCompactEachRow output of a compiled structured query into typed API rows, chunk by chunk. */
package com.kubetelemetry.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.Row;
import com.kubetelemetry.api.v1.Value;
import com.kubetelemetry.query.structured.OutputColumn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Each line is one JSON array with one element per output column. Chunks may end inside a line: the unfinished
 * tail waits for the next chunk. Int64 values may arrive quoted (ClickHouse quotes 64-bit integers), doubles as
 * null, "nan" or "inf"; timestamps are Int64 nanoseconds since the epoch. Not thread-safe.
 */
final class RowDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

  private final List<OutputColumn> columns;
  private final ByteArrayOutputStream tail = new ByteArrayOutputStream();

  RowDecoder(List<OutputColumn> columns) {
    this.columns = List.copyOf(columns);
  }

  /** The complete rows in {@code chunk} (plus any line begun in the previous chunk). */
  List<Row> decode(byte[] chunk) {
    List<Row> rows = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] != '\n') {
        continue;
      }
      if (tail.size() > 0) {
        tail.write(chunk, start, i - start);
        byte[] line = tail.toByteArray();
        tail.reset();
        addRow(rows, line, 0, line.length);
      } else {
        addRow(rows, chunk, start, i - start);
      }
      start = i + 1;
    }
    tail.write(chunk, start, chunk.length - start);
    return rows;
  }

  /** Rows of a whole result. */
  List<Row> decodeAll(byte[] data) {
    List<Row> rows = decode(data);
    finish(rows);
    return rows;
  }

  /** Adds a last line that had no newline, if any, to {@code rows}. */
  void finish(List<Row> rows) {
    if (tail.size() > 0) {
      byte[] line = tail.toByteArray();
      tail.reset();
      addRow(rows, line, 0, line.length);
    }
  }

  private void addRow(List<Row> rows, byte[] data, int offset, int length) {
    if (length == 0) {
      return;
    }
    JsonNode array;
    try {
      array = JSON.readTree(data, offset, length);
    } catch (IOException e) {
      throw new IllegalStateException("the engine returned a row that is not JSON", e);
    }
    if (array == null || !array.isArray() || array.size() != columns.size()) {
      throw new IllegalStateException("the engine returned a row with " + (array == null ? 0 : array.size())
          + " values for " + columns.size() + " columns");
    }
    Row.Builder row = Row.newBuilder();
    for (int i = 0; i < columns.size(); i++) {
      row.addValues(value(array.get(i), columns.get(i)));
    }
    rows.add(row.build());
  }

  private static Value value(JsonNode node, OutputColumn column) {
    if (node == null || node.isNull()) {
      return NULL;
    }
    return switch (column.type()) {
      case STRING -> Value.newBuilder().setStringValue(node.asText()).build();
      case INT64 -> Value.newBuilder().setIntValue(integer(node)).build();
      case DOUBLE -> {
        double d = decimal(node);
        yield Double.isNaN(d) ? NULL : Value.newBuilder().setDoubleValue(d).build();
      }
      case BOOL -> Value.newBuilder().setBoolValue(node.isBoolean() ? node.booleanValue()
          : node.asText().equals("true") || node.asText().equals("1")).build();
      case TIMESTAMP -> {
        long nanos = integer(node);
        yield Value.newBuilder().setTimestampValue(Timestamp.newBuilder()
            .setSeconds(Math.floorDiv(nanos, 1_000_000_000L)).setNanos((int) Math.floorMod(nanos, 1_000_000_000L)))
            .build();
      }
    };
  }

  private static long integer(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    return new BigDecimal(node.asText().strip()).longValue();
  }

  private static double decimal(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return switch (node.asText().strip()) {
      case "nan", "-nan" -> Double.NaN;
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(node.asText());
    };
  }
}
