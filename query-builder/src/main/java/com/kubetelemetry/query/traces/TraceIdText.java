/** Parses the trace ids callers send: 32 hexadecimal characters in either case, stored lowercase. */
package com.kubetelemetry.query.traces;

/**
 * Ids are accepted in upper, lower or mixed case (the W3C header uses lowercase, many tools print uppercase) and
 * normalised to lowercase, the form the ingest path and the Collector's exporter store.
 */
public final class TraceIdText {
  public static final int LENGTH = 32;

  private TraceIdText() {}

  /** {@code raw} in lowercase; INVALID_ARGUMENT naming {@code field} unless it is 32 hex digits, not all zero. */
  public static String normalize(String raw, String field) {
    if (raw == null || raw.isEmpty()) {
      throw RequestChecks.invalid(field, "`" + field + "` is empty: give the trace id as 32 hexadecimal characters");
    }
    if (raw.length() != LENGTH) {
      throw RequestChecks.invalid(field, "`" + field + "` has " + raw.length() + " characters; a trace id is "
          + LENGTH + " hexadecimal characters");
    }
    char[] out = new char[LENGTH];
    boolean allZero = true;
    for (int i = 0; i < LENGTH; i++) {
      char c = raw.charAt(i);
      c = c >= 'A' && c <= 'F' ? (char) (c + ('a' - 'A')) : c;
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw RequestChecks.invalid(field, "`" + field + "` has a character that is not hexadecimal at position "
            + (i + 1) + ": use only 0-9 and a-f");
      }
      allZero &= c == '0';
      out[i] = c;
    }
    if (allZero) {
      throw RequestChecks.invalid(field, "`" + field + "` is all zeros, which OpenTelemetry defines as invalid");
    }
    return new String(out);
  }
}
