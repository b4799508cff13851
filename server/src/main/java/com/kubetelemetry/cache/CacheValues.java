/** How cached answers are stored in Redis: a one-byte format tag, then raw bytes or Deflate-compressed bytes. */
package com.kubetelemetry.cache;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Values above {@link #COMPRESS_ABOVE} bytes are compressed (answers are repetitive protobuf: labels, timestamps). */
final class CacheValues {
  static final int COMPRESS_ABOVE = 1024;
  private static final byte RAW = 0;
  private static final byte DEFLATE = 1;

  private CacheValues() {}

  static byte[] pack(byte[] value) {
    if (value.length <= COMPRESS_ABOVE) {
      byte[] out = new byte[value.length + 1];
      out[0] = RAW;
      System.arraycopy(value, 0, out, 1, value.length);
      return out;
    }
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(value);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(value.length / 4 + 16);
      out.write(DEFLATE);
      out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** The original bytes; null when {@code packed} is not in this format (read as a miss). */
  static byte[] unpack(byte[] packed) {
    if (packed.length == 0) {
      return null;
    }
    if (packed[0] == RAW) {
      byte[] out = new byte[packed.length - 1];
      System.arraycopy(packed, 1, out, 0, out.length);
      return out;
    }
    if (packed[0] != DEFLATE || packed.length < 5) {
      return null;
    }
    int length = ByteBuffer.wrap(packed, 1, 4).getInt();
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(packed, 5, packed.length - 5);
      byte[] out = new byte[length];
      int n = 0;
      while (n < length && !inflater.finished()) {
        int got = inflater.inflate(out, n, length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        n += got;
      }
      return n == length ? out : null;
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }
}
