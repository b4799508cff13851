/** A failed statement, carrying ClickHouse's error code and message. */
package com.kubetelemetry.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thrown by {@link Store} when the engine rejects or fails a statement. {@code code} is ClickHouse's numeric
 * error code (e.g. 60 UNKNOWN_TABLE, 159 TIMEOUT_EXCEEDED, 158 TOO_MANY_ROWS), or 0 when the failure did not come
 * from the engine (connection lost, I/O).
 */
public final class StoreException extends RuntimeException {
  private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");
  private static final long serialVersionUID = 1L;

  private final int code;

  public StoreException(int code, String message) {
    super(message);
    this.code = code;
  }

  public StoreException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** Builds the exception from an engine error text such as "Code: 60. DB::Exception: Unknown table ...". */
  public static StoreException fromEngineMessage(String text) {
    String trimmed = text == null ? "unknown engine error" : text.strip();
    Matcher m = CODE.matcher(trimmed);
    int code = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return new StoreException(code, trimmed);
  }

  /** ClickHouse error code, 0 when unknown. */
  public int code() {
    return code;
  }
}
