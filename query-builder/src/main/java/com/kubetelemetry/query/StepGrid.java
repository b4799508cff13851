/** A time window aligned to a step: the buckets a time series query fills, bounded in number. */
package com.kubetelemetry.query;

import java.time.Duration;
import java.time.Instant;

/**
 * @param start window start rounded down to a multiple of {@code step} (since the epoch)
 * @param end window end rounded up to a multiple of {@code step}
 * @param step bucket width
 * @param points number of buckets, {@code (end - start) / step}
 */
public record StepGrid(Instant start, Instant end, Duration step, long points) {
  /** The most steps a range answer has per series, whatever the answer's total point cap (as Prometheus). */
  public static final int MAX_STEPS = 11_000;

  /** Aligns {@code window} to {@code step}; rejects steps below one second or giving more than maxPoints buckets. */
  public static StepGrid align(TimeWindow window, Duration step, long maxPoints, String field) {
    if (step == null || step.compareTo(Duration.ofSeconds(1)) < 0 || step.toNanos() % 1_000_000_000L != 0) {
      throw QueryException.invalid(field, "`" + field + "` must be a whole number of seconds, at least 1s");
    }
    long stepSeconds = step.toSeconds();
    long start = Math.floorDiv(window.start().getEpochSecond(), stepSeconds) * stepSeconds;
    long endSeconds = window.end().getEpochSecond() + (window.end().getNano() > 0 ? 1 : 0);
    long end = Math.ceilDiv(endSeconds, stepSeconds) * stepSeconds;
    long points = (end - start) / stepSeconds;
    if (points > maxPoints) {
      long minStep = Math.ceilDiv(end - start, maxPoints);
      throw QueryException.tooLarge(field, "step " + DurationText.describe(step) + " gives " + points
          + " points over the time range; the maximum is " + maxPoints + ": use a step of at least " + minStep
          + "s or narrow `" + TimeRangeResolver.FIELD + "`");
    }
    return new StepGrid(Instant.ofEpochSecond(start), Instant.ofEpochSecond(end), step, points);
  }
}
