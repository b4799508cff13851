/** Trace and span ids as the exporter writes them: lowercase hex, empty when absent. */
package com.kubetelemetry.ingest.mapping;

import com.google.protobuf.ByteString;

final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** Lowercase hex of every byte; "" for an empty id. */
  static String hex(ByteString id) {
    int n = id.size();
    if (n == 0) {
      return "";
    }
    char[] out = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int b = id.byteAt(i) & 0xFF;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xF];
    }
    return new String(out);
  }

  /** Hex of an id that is written as zeros when absent (exemplar ids: the exporter hexes the fixed-size array). */
  static String hexOrZeros(ByteString id, int width) {
    return id.isEmpty() ? "0".repeat(width * 2) : hex(id);
  }
}
