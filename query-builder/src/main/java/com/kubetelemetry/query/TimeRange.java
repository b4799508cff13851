/** The time range of a request: absolute instants, or "the last N" resolved against a clock. */
package com.kubetelemetry.query;

import java.time.Instant;
import java.util.Objects;

/** A request's time range; a missing range is {@code null} and resolves to the default span. */
public sealed interface TimeRange {

  /** From {@code start} (inclusive) to {@code end} (exclusive). */
  record Absolute(Instant start, Instant end) implements TimeRange {
    public Absolute {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
    }
  }

  /** The span {@code last} (like {@code 15m}, {@code 1h}, {@code 7d}, {@code 90s}) ending now. */
  record Relative(String last) implements TimeRange {
    public Relative {
      Objects.requireNonNull(last, "last");
    }
  }

  static TimeRange between(Instant start, Instant end) {
    return new Absolute(start, end);
  }

  static TimeRange last(String span) {
    return new Relative(span);
  }
}
