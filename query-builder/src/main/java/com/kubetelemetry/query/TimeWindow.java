/** A resolved, validated time window: start inclusive, end exclusive. */
package com.kubetelemetry.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** @param start first instant included; @param end first instant excluded (after start) */
public record TimeWindow(Instant start, Instant end) {
  public TimeWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("window start " + start + " is not before end " + end);
    }
  }

  public Duration span() {
    return Duration.between(start, end);
  }
}
