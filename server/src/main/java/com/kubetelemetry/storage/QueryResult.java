/** The whole result of a query, with what the engine reported about running it. */
package com.kubetelemetry.storage;

import java.nio.charset.StandardCharsets;

/**
 * @param data result bytes in the requested format
 * @param rows result rows
 * @param rowsScanned rows the engine read from storage
 * @param elapsedSeconds engine time
 */
public record QueryResult(byte[] data, long rows, long rowsScanned, double elapsedSeconds) {
  /** The result as UTF-8 text (for text formats). */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }
}
