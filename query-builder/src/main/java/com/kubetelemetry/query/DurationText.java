/** Parses short duration strings such as {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}, {@code 2w}. */
package com.kubetelemetry.query;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One positive number followed by one unit: s, m, h, d or w. */
public final class DurationText {
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,6})([smhdw])");

  private DurationText() {}

  /** The duration {@code text} names; a QueryException naming {@code field} when it is not one. */
  public static Duration parse(String text, String field) {
    Matcher m = text == null ? null : FORMAT.matcher(text.strip());
    if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw QueryException.invalid(field, "`" + field + "` must be a positive number followed by s, m, h, d or w"
          + " (like 90s, 15m, 1h, 7d)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** {@code d} in the largest whole unit: "90 days", "15 minutes", "90 seconds". */
  public static String describe(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return plural(s / 86_400, "day");
    }
    if (s % 3_600 == 0) {
      return plural(s / 3_600, "hour");
    }
    if (s % 60 == 0) {
      return plural(s / 60, "minute");
    }
    return d.toNanos() % 1_000_000_000L == 0 ? plural(s, "second") : d.toMillis() + " ms";
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
