/** A string map encoded once in the Native layout, to be copied into many rows of a map column. */
package com.kubetelemetry.storage.nativeformat;

/**
 * Keys and values already encoded as Native strings. Build it with {@link #put}; then hand it to
 * {@link NativeColumn.MapColumn#putAll} for every row that carries it (a byte copy, no re-encoding).
 */
public final class EncodedMap {
  private final ByteSink keys = new ByteSink(64);
  private final ByteSink values = new ByteSink(128);
  private int size;

  public EncodedMap put(String key, String value) {
    return put(key, value, value.length());
  }

  /** Adds an entry whose value is the first {@code valueChars} chars of {@code value}. */
  public EncodedMap put(String key, String value, int valueChars) {
    keys.writeString(key);
    values.writeString(value, valueChars);
    size++;
    return this;
  }

  public int size() {
    return size;
  }

  ByteSink keys() {
    return keys;
  }

  ByteSink values() {
    return values;
  }
}
