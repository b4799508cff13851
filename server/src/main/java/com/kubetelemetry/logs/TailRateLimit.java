/** Token bucket for one log tail: at most N records per second, with bursts of up to one second's worth. */
package com.kubetelemetry.logs;

import java.time.Duration;
import java.time.Instant;

/** Not thread-safe: one tail polls at a time. Starts full, so the first poll may send a whole second's worth. */
final class TailRateLimit {
  private final int perSecond;
  private double tokens;
  private Instant last;

  TailRateLimit(int perSecond, Instant now) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.last = now;
  }

  /** Whole records that may be sent at {@code now}. */
  int available(Instant now) {
    if (now.isAfter(last)) {
      double seconds = Duration.between(last, now).toNanos() / 1e9;
      tokens = Math.min(perSecond, tokens + seconds * perSecond);
      last = now;
    }
    return (int) Math.floor(tokens);
  }

  /** Records {@code n} sent records. */
  void spend(int n) {
    tokens = Math.max(0, tokens - n);
  }
}
