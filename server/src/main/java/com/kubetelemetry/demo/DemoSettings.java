/** How much demo data to produce: request rate, how often pods restart and how far a late tick catches up. */
package com.kubetelemetry.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * Volume and behaviour of the demo generator. {@code tracesPerSecond} is the mean rate of user requests entering
 * the frontend; {@code meanTimeBetweenRestarts} is the mean time between container restarts anywhere in the
 * cluster (each resets that pod's cumulative metrics); {@code maxCatchUp} bounds the window one tick covers, so a
 * tick after a long pause produces recent data instead of a flood.
 */
public record DemoSettings(double tracesPerSecond, Duration meanTimeBetweenRestarts, Duration maxCatchUp) {
  public DemoSettings {
    Objects.requireNonNull(meanTimeBetweenRestarts, "meanTimeBetweenRestarts");
    Objects.requireNonNull(maxCatchUp, "maxCatchUp");
    if (!(tracesPerSecond >= 0) || tracesPerSecond > 100_000) {
      throw new IllegalArgumentException("tracesPerSecond must be in [0, 100000]: " + tracesPerSecond);
    }
    if (meanTimeBetweenRestarts.isNegative() || meanTimeBetweenRestarts.isZero()) {
      throw new IllegalArgumentException("meanTimeBetweenRestarts must be positive");
    }
    if (maxCatchUp.isNegative() || maxCatchUp.isZero()) {
      throw new IllegalArgumentException("maxCatchUp must be positive");
    }
  }

  /** 20 traces per second, a restart every 15 minutes on average, at most one minute per tick. */
  public static DemoSettings defaults() {
    return new DemoSettings(20, Duration.ofMinutes(15), Duration.ofMinutes(1));
  }

  /** The same settings with another request rate. */
  public DemoSettings withTracesPerSecond(double rate) {
    return new DemoSettings(rate, meanTimeBetweenRestarts, maxCatchUp);
  }
}
