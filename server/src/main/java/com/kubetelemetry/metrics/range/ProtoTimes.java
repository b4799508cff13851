/** Converts request times (time ranges, timestamps) into query-builder values and durations back into protobuf. */
package com.kubetelemetry.metrics.range;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.query.TimeRange;
import java.time.Duration;
import java.time.Instant;

final class ProtoTimes {
  private ProtoTimes() {}

  /** The range {@code in} names, or null (the default range) when none is set. */
  static TimeRange timeRange(com.kubetelemetry.api.v1.TimeRange in, java.time.Clock clock) {
    return switch (in.getRangeCase()) {
      case ABSOLUTE -> {
        var a = in.getAbsolute();
        if (!a.hasStart()) {
          throw ProtoMetricQuery.invalid("time_range.absolute.start", "`time_range.absolute.start` is required");
        }
        Instant end = a.hasEnd() ? instant(a.getEnd(), "time_range.absolute.end") : clock.instant();
        yield new TimeRange.Absolute(instant(a.getStart(), "time_range.absolute.start"), end);
      }
      case LAST -> new TimeRange.Relative(ProtoMetricQuery.duration(in.getLast(), "time_range.last").toSeconds()
          + "s");
      case RELATIVE -> new TimeRange.Relative(in.getRelative());
      case RANGE_NOT_SET -> null;
    };
  }

  static Instant instant(Timestamp t, String field) {
    if (t.getNanos() < 0 || t.getNanos() > 999_999_999 || t.getSeconds() < 0 || t.getSeconds() > 253_402_300_799L) {
      throw ProtoMetricQuery.invalid(field, "`" + field + "` is not a valid timestamp");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
