/** Builds one ClickHouse Native-format block, column by column: the fast insert path of the storage layer. */
package com.kubetelemetry.storage.nativeformat;

import com.kubetelemetry.storage.NativeBlock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Declare the columns first ({@link #string}, {@link #map}, ...), fill them row by row, then {@link #build()}.
 * The block is laid out as ClickHouse reads {@code FORMAT Native}: var-uint column count, var-uint row count,
 * then for each column its name, its type name and its values. Every column must hold the same number of rows.
 * Nested columns are written as separate arrays named {@code Parent.Child}. Not thread-safe.
 */
public final class NativeBlockBuilder {
  private final int expectedRows;
  private final List<NativeColumn> columns = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  /** @param expectedRows a sizing hint for the column buffers (they grow as needed) */
  public NativeBlockBuilder(int expectedRows) {
    this.expectedRows = Math.max(1, Math.min(expectedRows, 1 << 20));
  }

  public NativeBlockBuilder() {
    this(64);
  }

  public NativeColumn.StringColumn string(String name) {
    return register(new NativeColumn.StringColumn(name, expectedRows));
  }

  public NativeColumn.UInt8Column uint8(String name) {
    return register(new NativeColumn.UInt8Column(name, expectedRows));
  }

  public NativeColumn.BoolColumn bool(String name) {
    return register(new NativeColumn.BoolColumn(name, expectedRows));
  }

  public NativeColumn.UInt32Column uint32(String name) {
    return register(new NativeColumn.UInt32Column(name, expectedRows));
  }

  public NativeColumn.Int32Column int32(String name) {
    return register(new NativeColumn.Int32Column(name, expectedRows));
  }

  public NativeColumn.UInt64Column uint64(String name) {
    return register(new NativeColumn.UInt64Column(name, expectedRows));
  }

  public NativeColumn.Float64Column float64(String name) {
    return register(new NativeColumn.Float64Column(name, expectedRows));
  }

  public NativeColumn.DateTime64Column dateTime64(String name) {
    return register(new NativeColumn.DateTime64Column(name, expectedRows));
  }

  public NativeColumn.MapColumn map(String name) {
    return register(new NativeColumn.MapColumn(name, expectedRows));
  }

  public NativeColumn.StringArrayColumn stringArray(String name) {
    return register(new NativeColumn.StringArrayColumn(name, expectedRows));
  }

  public NativeColumn.UInt64ArrayColumn uint64Array(String name) {
    return register(new NativeColumn.UInt64ArrayColumn(name, expectedRows));
  }

  public NativeColumn.Float64ArrayColumn float64Array(String name) {
    return register(new NativeColumn.Float64ArrayColumn(name, expectedRows));
  }

  public NativeColumn.DateTime64ArrayColumn dateTime64Array(String name) {
    return register(new NativeColumn.DateTime64ArrayColumn(name, expectedRows));
  }

  public NativeColumn.MapArrayColumn mapArray(String name) {
    return register(new NativeColumn.MapArrayColumn(name, expectedRows));
  }

  private <C extends NativeColumn> C register(C column) {
    if (!names.add(column.name())) {
      throw new IllegalArgumentException("column " + column.name() + " declared twice");
    }
    columns.add(column);
    return column;
  }

  /** Rows completed so far (of the first column; 0 when there are no columns). */
  public int rows() {
    return columns.isEmpty() ? 0 : columns.getFirst().rows();
  }

  /** Encodes the block. Throws IllegalStateException when the columns hold different numbers of rows. */
  public NativeBlock build() {
    int rows = rows();
    long total = varUIntSize(columns.size()) + varUIntSize(rows);
    List<String> columnNames = new ArrayList<>(columns.size());
    for (NativeColumn column : columns) {
      if (column.rows() != rows) {
        throw new IllegalStateException("column " + column.name() + " has " + column.rows() + " rows, column "
            + columns.getFirst().name() + " has " + rows);
      }
      columnNames.add(column.name());
      total += stringSize(column.name()) + stringSize(column.type()) + column.dataSize();
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("block larger than 2 GiB: insert fewer rows per block");
    }
    ByteSink out = new ByteSink((int) total);
    out.writeVarUInt(columns.size());
    out.writeVarUInt(rows);
    for (NativeColumn column : columns) {
      out.writeString(column.name());
      out.writeString(column.type());
      column.writeData(out);
    }
    return new NativeBlock(columnNames, rows, out.toExactByteArray());
  }

  private static int varUIntSize(long value) {
    int size = 1;
    for (long v = value >>> 7; v != 0; v >>>= 7) {
      size++;
    }
    return size;
  }

  private static long stringSize(String value) {
    int bytes = ByteSink.utf8Length(value, value.length());
    return varUIntSize(bytes) + bytes;
  }
}
