/** Turns a request's time range (or its absence) into a validated {@link TimeWindow} using a clock and limits. */
package com.kubetelemetry.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * @param clock what "now" is for relative ranges and the default
 * @param defaultSpan span ending now used when a request has no range
 * @param maxSpan the longest window a request may cover
 */
public record TimeRangeResolver(Clock clock, Duration defaultSpan, Duration maxSpan) {
  public static final String FIELD = "time_range";

  public TimeRangeResolver {
    Objects.requireNonNull(clock, "clock");
    if (defaultSpan.isNegative() || defaultSpan.isZero() || maxSpan.compareTo(defaultSpan) < 0) {
      throw new IllegalArgumentException("need 0 < defaultSpan <= maxSpan: " + defaultSpan + ", " + maxSpan);
    }
  }

  /** Last 1 hour by default, at most 31 days. */
  public static TimeRangeResolver withDefaults(Clock clock) {
    return new TimeRangeResolver(clock, Duration.ofHours(1), Duration.ofDays(31));
  }

  /** The window {@code range} names; {@code null} gives the default span ending now. */
  public TimeWindow resolve(TimeRange range) {
    Instant now = clock.instant();
    return switch (range) {
      case null -> new TimeWindow(now.minus(defaultSpan), now);
      case TimeRange.Relative r -> checked(now.minus(DurationText.parse(r.last(), FIELD + ".relative")), now,
          FIELD + ".relative");
      case TimeRange.Absolute a -> {
        if (!a.start().isBefore(a.end())) {
          throw QueryException.invalid(FIELD, "time range start " + a.start() + " is not before its end "
              + a.end() + ": set `time_range.start` before `time_range.end`");
        }
        yield checked(a.start(), a.end(), FIELD);
      }
    };
  }

  private TimeWindow checked(Instant start, Instant end, String field) {
    Duration span = Duration.between(start, end);
    if (span.compareTo(maxSpan) > 0) {
      throw QueryException.tooLarge(field, "time range is " + DurationText.describe(span) + "; the maximum is "
          + DurationText.describe(maxSpan) + ": narrow `" + FIELD + "`");
    }
    return new TimeWindow(start, end);
  }
}
