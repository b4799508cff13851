/** The tail's token bucket: a second's worth up front, refilled in proportion to time, never above one second. */
package com.kubetelemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TailRateLimitTest {
  @Test
  void refillsInProportionToElapsedTimeUpToOneSecondsWorth() {
    Instant t = Instant.parse("2026-11-23T12:00:00Z");
    TailRateLimit limit = new TailRateLimit(10, t);
    assertThat(limit.available(t)).isEqualTo(10);
    limit.spend(10);
    assertThat(limit.available(t)).isZero();
    assertThat(limit.available(t.plusMillis(500))).isEqualTo(5);
    limit.spend(3);
    assertThat(limit.available(t.plusMillis(500))).isEqualTo(2);
    assertThat(limit.available(t.plusSeconds(60))).isEqualTo(10);
    assertThat(limit.available(t.plusSeconds(59))).as("time going back changes nothing").isEqualTo(10);
    limit.spend(50);
    assertThat(limit.available(t.plusSeconds(60))).isZero();
  }
}
