/** Coarse log severity levels, each covering four OpenTelemetry severity numbers, and their SQL mapping. */
package com.kubetelemetry.query.logs;

/**
 * Ordinals match the proto enum {@code telemetry.v1.Severity}: UNSPECIFIED (number 0), TRACE (1-4), DEBUG (5-8),
 * INFO (9-12), WARN (13-16), ERROR (17-20), FATAL (21-24; numbers above 24, which OTLP does not define, count as
 * FATAL too).
 */
public enum LogSeverity {
  UNSPECIFIED, TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

  /** The level of a stored {@code SeverityNumber}, as an SQL expression giving the ordinal (UInt8). */
  public static final String LEVEL_SQL =
      "multiIf(SeverityNumber = 0, 0, SeverityNumber > 24, 6, intDiv(SeverityNumber + 3, 4))";

  /** Lowest severity number of this level; 0 for UNSPECIFIED. */
  public int lowestNumber() {
    return this == UNSPECIFIED ? 0 : 4 * ordinal() - 3;
  }

  /** The level of severity number {@code n} (same rule as {@link #LEVEL_SQL}). */
  public static LogSeverity ofNumber(int n) {
    if (n <= 0) {
      return UNSPECIFIED;
    }
    return n > 24 ? FATAL : values()[(n + 3) / 4];
  }

  /** The level with proto number {@code ordinal}; unknown numbers are rejected naming {@code field}. */
  public static LogSeverity ofOrdinal(int ordinal, String field) {
    if (ordinal < 0 || ordinal >= values().length) {
      throw LogFilterCompiler.invalid(field, "`" + field + "` is " + ordinal + ", not a known severity: use "
          + "SEVERITY_TRACE, SEVERITY_DEBUG, SEVERITY_INFO, SEVERITY_WARN, SEVERITY_ERROR or SEVERITY_FATAL");
    }
    return values()[ordinal];
  }
}
