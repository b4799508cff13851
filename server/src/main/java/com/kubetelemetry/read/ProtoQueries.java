/** Converts the shared protobuf request types (time ranges, matchers, attribute refs, times) to query-builder values. */
package com.kubetelemetry.read;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TimeRange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateless conversions. Validation of values (lengths, regex syntax, allowed fields) stays in the query builder;
 * here only what the proto itself can get wrong is checked: out-of-range timestamps and durations, unknown enum
 * numbers. Errors name the request field.
 */
public final class ProtoQueries {
  private ProtoQueries() {}

  /** The request's range, or null when unset (the compiler then uses the default range); no end means now. */
  public static TimeRange timeRange(com.kubetelemetry.api.v1.TimeRange range, Clock clock) {
    return switch (range.getRangeCase()) {
      case ABSOLUTE -> {
        var absolute = range.getAbsolute();
        if (!absolute.hasStart()) {
          throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "time_range.absolute.start",
              "`time_range.absolute.start` is required when `time_range.absolute` is set");
        }
        Instant start = instant(absolute.getStart(), "time_range.absolute.start");
        yield new TimeRange.Absolute(start, absolute.hasEnd() ? instant(absolute.getEnd(), "time_range.absolute.end")
            : clock.instant());
      }
      case LAST -> new TimeRange.Relative(seconds(range.getLast(), "time_range.last") + "s");
      case RELATIVE -> new TimeRange.Relative(range.getRelative());
      case RANGE_NOT_SET -> null;
    };
  }

  /** The request's step, or null when unset (the compiler then picks one). */
  public static Duration step(com.kubetelemetry.api.v1.TimeRange range) {
    return range.hasStep() ? duration(range.getStep(), "time_range.step") : null;
  }

  /** The request's matchers; {@code field} is their request path, e.g. "matchers". */
  public static List<AttributeMatcher> matchers(List<com.kubetelemetry.api.v1.AttributeMatcher> in, String field) {
    List<AttributeMatcher> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      var m = in.get(i);
      String path = field + "[" + i + "]";
      List<String> values = switch (m.getOperator()) {
        case MATCH_OPERATOR_IN, MATCH_OPERATOR_NOT_IN -> m.getValuesList();
        case MATCH_OPERATOR_EXISTS, MATCH_OPERATOR_NOT_EXISTS -> List.of();
        default -> List.of(m.getValue());
      };
      out.add(new AttributeMatcher(target(m.getTarget(), path), m.getKey(), op(m.getOperator(), path), values));
    }
    return out;
  }

  /** One attribute reference; {@code field} is its request path, e.g. "group_by[1]". */
  public static AttributeRef ref(com.kubetelemetry.api.v1.AttributeRef in, String field) {
    return new AttributeRef(target(in.getTarget(), field), in.getKey());
  }

  /** A protobuf timestamp as an instant; INVALID_ARGUMENT at {@code field} when out of range. */
  public static Instant instant(Timestamp t, String field) {
    if (t.getNanos() < 0 || t.getNanos() > 999_999_999 || t.getSeconds() < 0 || t.getSeconds() > 253_402_300_799L) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, "`" + field
          + "` is outside 1970-01-01..9999-12-31 or has invalid nanos");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** A protobuf duration as a Java duration; INVALID_ARGUMENT at {@code field} when negative or malformed. */
  public static Duration duration(com.google.protobuf.Duration d, String field) {
    if (d.getSeconds() < 0 || d.getNanos() < 0 || d.getNanos() > 999_999_999) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, "`" + field
          + "` must be a positive duration");
    }
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** Nanoseconds since the epoch as a protobuf timestamp. */
  public static Timestamp timestamp(long epochNanos) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(epochNanos, 1_000_000_000L))
        .setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L)).build();
  }

  /** Nanoseconds as a protobuf duration. */
  public static com.google.protobuf.Duration duration(long nanos) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(nanos / 1_000_000_000L)
        .setNanos((int) (nanos % 1_000_000_000L)).build();
  }

  private static long seconds(com.google.protobuf.Duration d, String field) {
    Duration java = duration(d, field);
    if (java.isZero() || java.getNano() != 0) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, "`" + field
          + "` must be a whole number of seconds, at least 1s");
    }
    return java.getSeconds();
  }

  private static AttributeMatcher.Target target(com.kubetelemetry.api.v1.AttributeTarget target, String field) {
    return switch (target) {
      case ATTRIBUTE_TARGET_RESOURCE -> AttributeMatcher.Target.RESOURCE;
      case ATTRIBUTE_TARGET_SCOPE -> AttributeMatcher.Target.SCOPE;
      case ATTRIBUTE_TARGET_UNSPECIFIED, ATTRIBUTE_TARGET_ITEM -> AttributeMatcher.Target.ITEM;
      case ATTRIBUTE_TARGET_FIELD -> AttributeMatcher.Target.COLUMN;
      case UNRECOGNIZED -> throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field + ".target",
          "`" + field + ".target` is not a known attribute target");
    };
  }

  private static AttributeMatcher.Op op(com.kubetelemetry.api.v1.MatchOperator op, String field) {
    return switch (op) {
      case MATCH_OPERATOR_UNSPECIFIED, MATCH_OPERATOR_EQUAL -> AttributeMatcher.Op.EQ;
      case MATCH_OPERATOR_NOT_EQUAL -> AttributeMatcher.Op.NEQ;
      case MATCH_OPERATOR_REGEX -> AttributeMatcher.Op.REGEX;
      case MATCH_OPERATOR_NOT_REGEX -> AttributeMatcher.Op.NOT_REGEX;
      case MATCH_OPERATOR_IN -> AttributeMatcher.Op.IN;
      case MATCH_OPERATOR_NOT_IN -> AttributeMatcher.Op.NOT_IN;
      case MATCH_OPERATOR_EXISTS -> AttributeMatcher.Op.EXISTS;
      case MATCH_OPERATOR_NOT_EXISTS -> AttributeMatcher.Op.NOT_EXISTS;
      case MATCH_OPERATOR_CONTAINS -> AttributeMatcher.Op.CONTAINS;
      case MATCH_OPERATOR_NOT_CONTAINS -> AttributeMatcher.Op.NOT_CONTAINS;
      case MATCH_OPERATOR_GREATER -> AttributeMatcher.Op.GT;
      case MATCH_OPERATOR_GREATER_OR_EQUAL -> AttributeMatcher.Op.GE;
      case MATCH_OPERATOR_LESS -> AttributeMatcher.Op.LT;
      case MATCH_OPERATOR_LESS_OR_EQUAL -> AttributeMatcher.Op.LE;
      case UNRECOGNIZED -> throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field + ".operator",
          "`" + field + ".operator` is not a known operator");
    };
  }
}
