/** Converts elapsed nanoseconds to a protobuf Duration for query stats. */
package com.kubetelemetry.structured;

import com.google.protobuf.Duration;

final class ProtoDurations {
  private ProtoDurations() {}

  static Duration ofNanos(long nanos) {
    long n = Math.max(0, nanos);
    return Duration.newBuilder().setSeconds(n / 1_000_000_000L).setNanos((int) (n % 1_000_000_000L)).build();
  }
}
