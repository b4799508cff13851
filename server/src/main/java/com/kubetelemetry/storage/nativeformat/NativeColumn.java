/** The typed columns a {@link NativeBlockBuilder} writes, each encoding its values in ClickHouse's Native layout. */
package com.kubetelemetry.storage.nativeformat;

/**
 * One column of a block: a name, a ClickHouse type name and the encoded values. Scalar columns take one value
 * per row ({@code add}); map and array columns collect a row's entries and close it with {@code endRow()}.
 * Columns are created by {@link NativeBlockBuilder}; they are not thread-safe.
 */
public abstract class NativeColumn {
  private final String name;
  private final String type;
  int rows;

  NativeColumn(String name, String type) {
    this.name = name;
    this.type = type;
  }

  public final String name() {
    return name;
  }

  /** The ClickHouse type written in the block header, e.g. "Map(String, String)". */
  public final String type() {
    return type;
  }

  /** Rows completed so far. */
  public final int rows() {
    return rows;
  }

  /** Size in bytes of the encoded values. */
  abstract int dataSize();

  /** Appends the encoded values to {@code out}. */
  abstract void writeData(ByteSink out);

  /** Columns whose values are one fixed-size number per row. */
  abstract static class Fixed extends NativeColumn {
    final ByteSink data;

    Fixed(String name, String type, int expectedRows, int width) {
      super(name, type);
      data = new ByteSink(expectedRows * width);
    }

    @Override
    final int dataSize() {
      return data.size();
    }

    @Override
    final void writeData(ByteSink out) {
      out.writeSink(data);
    }
  }

  /** {@code String} (also used for {@code LowCardinality(String)} columns: the server converts). */
  public static final class StringColumn extends NativeColumn {
    private final ByteSink data;

    StringColumn(String name, int expectedRows) {
      super(name, "String");
      data = new ByteSink(expectedRows * 16);
    }

    public void add(String value) {
      data.writeString(value);
      rows++;
    }

    /** Adds a value already encoded as UTF-8 (encode repeated values once). */
    public void add(byte[] utf8) {
      data.writeVarUInt(utf8.length);
      data.writeBytes(utf8);
      rows++;
    }

    @Override
    int dataSize() {
      return data.size();
    }

    @Override
    void writeData(ByteSink out) {
      out.writeSink(data);
    }
  }

  /** {@code UInt8}: the low 8 bits of the value. */
  public static final class UInt8Column extends Fixed {
    UInt8Column(String name, int expectedRows) {
      super(name, "UInt8", expectedRows, 1);
    }

    public void add(int value) {
      data.writeByte(value);
      rows++;
    }
  }

  /** {@code Bool}: one byte, 0 or 1. */
  public static final class BoolColumn extends Fixed {
    BoolColumn(String name, int expectedRows) {
      super(name, "Bool", expectedRows, 1);
    }

    public void add(boolean value) {
      data.writeByte(value ? 1 : 0);
      rows++;
    }
  }

  /** {@code UInt32}: the low 32 bits of the value. */
  public static final class UInt32Column extends Fixed {
    UInt32Column(String name, int expectedRows) {
      super(name, "UInt32", expectedRows, 4);
    }

    public void add(long value) {
      data.writeIntLE((int) value);
      rows++;
    }
  }

  /** {@code Int32}. */
  public static final class Int32Column extends Fixed {
    Int32Column(String name, int expectedRows) {
      super(name, "Int32", expectedRows, 4);
    }

    public void add(int value) {
      data.writeIntLE(value);
      rows++;
    }
  }

  /** {@code UInt64}: the long's bits read as unsigned. */
  public static final class UInt64Column extends Fixed {
    UInt64Column(String name, int expectedRows) {
      super(name, "UInt64", expectedRows, 8);
    }

    public void add(long value) {
      data.writeLongLE(value);
      rows++;
    }
  }

  /** {@code Float64}. */
  public static final class Float64Column extends Fixed {
    Float64Column(String name, int expectedRows) {
      super(name, "Float64", expectedRows, 8);
    }

    public void add(double value) {
      data.writeDoubleLE(value);
      rows++;
    }
  }

  /** {@code DateTime64(9)}: nanoseconds since the Unix epoch. */
  public static final class DateTime64Column extends Fixed {
    DateTime64Column(String name, int expectedRows) {
      super(name, "DateTime64(9)", expectedRows, 8);
    }

    public void add(long epochNanos) {
      data.writeLongLE(epochNanos);
      rows++;
    }
  }

  /** {@code Map(String, String)}: add a row's entries with {@code put}, then {@link #endRow()}. */
  public static final class MapColumn extends NativeColumn {
    private final MapData maps;

    MapColumn(String name, int expectedRows) {
      super(name, "Map(String, String)");
      maps = new MapData(expectedRows);
    }

    public void put(String key, String value) {
      maps.put(key, value, value.length());
    }

    /** Adds an entry whose value is the first {@code valueChars} chars of {@code value}. */
    public void put(String key, String value, int valueChars) {
      maps.put(key, value, valueChars);
    }

    /** Adds every entry of a map encoded once (e.g. resource attributes repeated on many rows). */
    public void putAll(EncodedMap entries) {
      maps.putAll(entries);
    }

    public void endRow() {
      maps.endMap();
      rows++;
    }

    @Override
    int dataSize() {
      return maps.dataSize();
    }

    @Override
    void writeData(ByteSink out) {
      maps.writeData(out);
    }
  }

  /** Array columns: offsets (UInt64, cumulative) then the flattened elements. */
  abstract static class ArrayColumn extends NativeColumn {
    final ByteSink offsets;
    long elements;

    ArrayColumn(String name, String type, int expectedRows) {
      super(name, type);
      offsets = new ByteSink(expectedRows * 8);
    }

    public final void endRow() {
      offsets.writeLongLE(elements);
      rows++;
    }

    abstract int elementsSize();

    abstract void writeElements(ByteSink out);

    @Override
    final int dataSize() {
      return offsets.size() + elementsSize();
    }

    @Override
    final void writeData(ByteSink out) {
      out.writeSink(offsets);
      writeElements(out);
    }
  }

  /** Array columns whose elements are one fixed-size number each. */
  abstract static class FixedArrayColumn extends ArrayColumn {
    final ByteSink values;

    FixedArrayColumn(String name, String type, int expectedRows) {
      super(name, type, expectedRows);
      values = new ByteSink(expectedRows * 8);
    }

    @Override
    final int elementsSize() {
      return values.size();
    }

    @Override
    final void writeElements(ByteSink out) {
      out.writeSink(values);
    }
  }

  /** {@code Array(String)}. */
  public static final class StringArrayColumn extends ArrayColumn {
    private final ByteSink values;

    StringArrayColumn(String name, int expectedRows) {
      super(name, "Array(String)", expectedRows);
      values = new ByteSink(expectedRows * 8);
    }

    public void add(String value) {
      values.writeString(value);
      elements++;
    }

    @Override
    int elementsSize() {
      return values.size();
    }

    @Override
    void writeElements(ByteSink out) {
      out.writeSink(values);
    }
  }

  /** {@code Array(UInt64)}. */
  public static final class UInt64ArrayColumn extends FixedArrayColumn {
    UInt64ArrayColumn(String name, int expectedRows) {
      super(name, "Array(UInt64)", expectedRows);
    }

    public void add(long value) {
      values.writeLongLE(value);
      elements++;
    }
  }

  /** {@code Array(Float64)}. */
  public static final class Float64ArrayColumn extends FixedArrayColumn {
    Float64ArrayColumn(String name, int expectedRows) {
      super(name, "Array(Float64)", expectedRows);
    }

    public void add(double value) {
      values.writeDoubleLE(value);
      elements++;
    }
  }

  /** {@code Array(DateTime64(9))}: nanoseconds since the Unix epoch. */
  public static final class DateTime64ArrayColumn extends FixedArrayColumn {
    DateTime64ArrayColumn(String name, int expectedRows) {
      super(name, "Array(DateTime64(9))", expectedRows);
    }

    public void add(long epochNanos) {
      values.writeLongLE(epochNanos);
      elements++;
    }
  }

  /**
   * {@code Array(Map(String, String))}: for each element {@code put} its entries and call {@link #endElement()};
   * close the row with {@link #endRow()}.
   */
  public static final class MapArrayColumn extends ArrayColumn {
    private final MapData maps;

    MapArrayColumn(String name, int expectedRows) {
      super(name, "Array(Map(String, String))", expectedRows);
      maps = new MapData(expectedRows);
    }

    public void put(String key, String value) {
      maps.put(key, value, value.length());
    }

    public void put(String key, String value, int valueChars) {
      maps.put(key, value, valueChars);
    }

    public void endElement() {
      maps.endMap();
      elements++;
    }

    @Override
    int elementsSize() {
      return maps.dataSize();
    }

    @Override
    void writeElements(ByteSink out) {
      maps.writeData(out);
    }
  }

  /** The Native layout of a run of maps: offsets (UInt64, cumulative), then all keys, then all values. */
  static final class MapData {
    private final ByteSink offsets;
    private final ByteSink keys;
    private final ByteSink values;
    private long entries;

    MapData(int expectedMaps) {
      offsets = new ByteSink(expectedMaps * 8);
      keys = new ByteSink(expectedMaps * 32);
      values = new ByteSink(expectedMaps * 32);
    }

    void put(String key, String value, int valueChars) {
      keys.writeString(key);
      values.writeString(value, valueChars);
      entries++;
    }

    void putAll(EncodedMap map) {
      keys.writeSink(map.keys());
      values.writeSink(map.values());
      entries += map.size();
    }

    void endMap() {
      offsets.writeLongLE(entries);
    }

    int dataSize() {
      return offsets.size() + keys.size() + values.size();
    }

    void writeData(ByteSink out) {
      out.writeSink(offsets);
      out.writeSink(keys);
      out.writeSink(values);
    }
  }
}
