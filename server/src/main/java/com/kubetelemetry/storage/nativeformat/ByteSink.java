/** A growable little-endian byte buffer: the backing store of every column the Native encoder writes. */
package com.kubetelemetry.storage.nativeformat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends primitives, ClickHouse var-uints and length-prefixed UTF-8 strings without allocating per value
 * (strings are encoded straight into the buffer). Not thread-safe.
 */
public final class ByteSink {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** Strings shorter than this (in chars) take at most 126 UTF-8 bytes: a one-byte length prefix. */
  private static final int SHORT_STRING_CHARS = 43;

  private byte[] buffer;
  private int size;

  public ByteSink(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed > buffer.length) {
      if (needed < 0) {
        throw new IllegalStateException("column larger than 2 GiB");
      }
      int grown = buffer.length + (buffer.length >> 1);
      buffer = Arrays.copyOf(buffer, Math.max(needed, grown < 0 ? Integer.MAX_VALUE - 8 : grown));
    }
  }

  public void writeByte(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  public void writeIntLE(int value) {
    ensure(4);
    INT_LE.set(buffer, size, value);
    size += 4;
  }

  public void writeLongLE(long value) {
    ensure(8);
    LONG_LE.set(buffer, size, value);
    size += 8;
  }

  public void writeDoubleLE(double value) {
    writeLongLE(Double.doubleToRawLongBits(value));
  }

  /** ClickHouse's unsigned LEB128 ("VarUInt"). */
  public void writeVarUInt(long value) {
    int bytes = 1;
    for (long rest = value >>> 7; rest != 0; rest >>>= 7) {
      bytes++;
    }
    ensure(bytes);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[size++] = (byte) v;
  }

  public void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  public void writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  /** Appends everything {@code other} holds. */
  public void writeSink(ByteSink other) {
    writeBytes(other.buffer, 0, other.size);
  }

  /** Writes a Native-format string: var-uint byte length, then the UTF-8 bytes of {@code value}. */
  public void writeString(String value) {
    writeString(value, value.length());
  }

  /**
   * Writes the first {@code end} chars of {@code value} as a Native-format string. Unpaired surrogates become
   * '?', as {@link String#getBytes} does.
   */
  public void writeString(String value, int end) {
    if (end < SHORT_STRING_CHARS && buffer.length - size > 3 * end) {
      writeShortString(value, end);
      return;
    }
    int utf8Length = utf8Length(value, end);
    writeVarUInt(utf8Length);
    ensure(utf8Length);
    size = encodeUtf8(value, end, buffer, size);
  }

  /**
   * One pass for strings under {@value #SHORT_STRING_CHARS} chars: their UTF-8 form is under 128 bytes, so the
   * length prefix is one byte and can be filled in after encoding.
   */
  private void writeShortString(String value, int end) {
    int start = size;
    int pos = encodeUtf8(value, end, buffer, start + 1);
    buffer[start] = (byte) (pos - start - 1);
    size = pos;
  }

  /**
   * Writes the UTF-8 form of {@code value[0, end)} into {@code out} from {@code pos} (room already ensured) and
   * returns the position after it. A lone surrogate becomes '?'.
   */
  private static int encodeUtf8(String value, int end, byte[] out, int pos) {
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(++i));
        out[pos++] = (byte) (0xF0 | (cp >> 18));
        out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[pos++] = (byte) '?';
      } else {
        out[pos++] = (byte) (0xE0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }

  /** Bytes the first {@code end} chars of {@code value} take in UTF-8 (unpaired surrogates count as one). */
  static int utf8Length(String value, int end) {
    int length = end;
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          length += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
          length += 2;
          i++;
        } else if (!Character.isSurrogate(c)) {
          length += 2;
        }
      }
    }
    return length;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** The bytes written so far: the buffer itself when it is exactly full (no copy), else a copy. */
  byte[] toExactByteArray() {
    return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
  }

  /** Forgets what was written, keeping the capacity. */
  public void clear() {
    size = 0;
  }
}
