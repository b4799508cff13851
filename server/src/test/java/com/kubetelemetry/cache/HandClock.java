/** A clock the test moves by hand, so expiry and refresh ages are checked without waiting. */
package com.kubetelemetry.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

final class HandClock extends Clock {
  private volatile Instant now;

  HandClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  HandClock(Instant start) {
    this.now = start;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneOffset getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
