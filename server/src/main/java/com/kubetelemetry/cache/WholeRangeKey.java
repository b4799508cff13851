/** How an answer computed over a request's whole time range is keyed in the cache, and for how long it is kept. */
package com.kubetelemetry.cache;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import java.time.Duration;
import java.time.Instant;

/**
 * A window that ended before now - {@code cache.ingestDelay} will not change any more: it is keyed by its absolute
 * bounds and kept {@code cache.bucketTtl}. A window reaching into the last ingestDelay is kept only
 * {@code cache.freshTtl}; when the request named it relative to now (last, relative, no range, or an absolute range
 * without end) the range is keyed as given, so the refreshes of a sliding window within freshTtl share one answer,
 * at most freshTtl stale.
 *
 * @param range the time range to put in the key's request
 * @param ttl how long the answer is kept (zero: not cached)
 */
record WholeRangeKey(TimeRange range, Duration ttl) {

  /** The window {@code given} resolves to now, exactly as the call resolves it; throws as the call would. */
  static TimeWindow window(ReadContext context, TimeRange given) {
    return context.ranges().resolve(ProtoQueries.timeRange(given, context.clock()));
  }

  /** The key range and TTL of an answer over {@code window}, which {@code given} resolved to at {@code now}. */
  static WholeRangeKey of(TimeRange given, TimeWindow window, Instant now, ServerConfig.CacheSection settings) {
    Instant completeBefore = now.minus(settings.ingestDelay());
    if (!window.end().isAfter(completeBefore)) {
      return new WholeRangeKey(absolute(given, window.start(), window.end()), settings.bucketTtl());
    }
    boolean endsNow = given.getRangeCase() != TimeRange.RangeCase.ABSOLUTE || !given.getAbsolute().hasEnd();
    return new WholeRangeKey(endsNow ? given : absolute(given, window.start(), window.end()), settings.freshTtl());
  }

  /** {@code given} with its range replaced by [from, to) (its step kept). */
  static TimeRange absolute(TimeRange given, Instant from, Instant to) {
    return given.toBuilder().setAbsolute(AbsoluteTimeRange.newBuilder().setStart(timestamp(from))
        .setEnd(timestamp(to))).build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
