/** Times one API call against the same SQL run straight on the engine, interleaved, and prints both. */
package com.kubetelemetry.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The two are timed alternately in one loop (alternating which runs first), so machine noise hits both alike. The
 * ratio of their medians is the API's overhead (gRPC, request compiling, decoding, response building) over the
 * raw engine time, and "extra" their difference in milliseconds ({@link RoundTripFloor} prints what the transport
 * alone costs).
 */
final class LatencyComparison {
  private final int warmups;
  private final int iterations;

  LatencyComparison(int warmups, int iterations) {
    this.warmups = warmups;
    this.iterations = iterations;
  }

  static void printHeader() {
    System.out.printf(Locale.ROOT, "%-44s %9s %9s %9s %9s %7s %8s %9s%n", "call", "api p50", "api p99",
        "sql p50", "sql p99", "ratio", "extra", "target");
  }

  /** Runs and prints one comparison; {@code target} is printed next to the API p99 for reading, not asserted. */
  void compare(String name, Runnable api, Runnable rawSql, String target) {
    for (int i = 0; i < warmups; i++) {
      api.run();
      rawSql.run();
    }
    long[] apiNanos = new long[iterations];
    long[] sqlNanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      // Alternate which goes first, so neither always finds the caches warmed by the other.
      if (i % 2 == 0) {
        apiNanos[i] = time(api);
        sqlNanos[i] = time(rawSql);
      } else {
        sqlNanos[i] = time(rawSql);
        apiNanos[i] = time(api);
      }
    }
    Arrays.sort(apiNanos);
    Arrays.sort(sqlNanos);
    double apiP50 = millis(percentile(apiNanos, 0.50));
    double sqlP50 = millis(percentile(sqlNanos, 0.50));
    System.out.printf(Locale.ROOT, "%-44s %7.1fms %7.1fms %7.1fms %7.1fms %6.2fx %6.1fms %9s%n", name,
        apiP50, millis(percentile(apiNanos, 0.99)), sqlP50, millis(percentile(sqlNanos, 0.99)), apiP50 / sqlP50,
        apiP50 - sqlP50, target);
  }

  private static long time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return System.nanoTime() - t0;
  }

  /** The {@code q} quantile of ascending {@code sorted} (nearest rank). */
  static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
