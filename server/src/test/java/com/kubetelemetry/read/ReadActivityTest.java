/** When reads count as quiet, and how waiting for that ends. */
package com.kubetelemetry.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadActivityTest {
  private static final Duration QUIET = Duration.ofMillis(20);
  /** Only a guard against a hang: every wait below ends on a condition, long before this. */
  private static final Duration GUARD = Duration.ofSeconds(30);

  @Test
  void aServerWithoutReadsIsQuiet() {
    assertThat(new ReadActivity().nanosUntilQuiet(System.nanoTime(), QUIET)).isZero();
  }

  @Test
  void quietStartsWhenTheLastReadEnds() {
    ReadActivity reads = new ReadActivity();
    long t = System.nanoTime();
    reads.begin();
    reads.begin();
    assertThat(reads.nanosUntilQuiet(t, QUIET)).as("reads in flight").isEqualTo(QUIET.toNanos());
    reads.end(t);
    assertThat(reads.nanosUntilQuiet(t + QUIET.toNanos(), QUIET)).as("one read still in flight")
        .isEqualTo(QUIET.toNanos());
    reads.end(t + 1_000_000);
    assertThat(reads.nanosUntilQuiet(t + 6_000_000, QUIET)).isEqualTo(15_000_000);
    assertThat(reads.nanosUntilQuiet(t + 21_000_000, QUIET)).isZero();
    assertThat(reads.nanosUntilQuiet(t + 500_000_000, QUIET)).isZero();
  }

  @Test
  void waitingEndsWhenTheCallerNoLongerWantsToWait() {
    ReadActivity reads = new ReadActivity();
    reads.begin();
    AtomicInteger checks = new AtomicInteger();
    // A read stays in flight and the limit is an hour: only the third check's "stop" ends the wait.
    assertTimeoutPreemptively(GUARD, () -> reads.awaitQuiet(Duration.ofMillis(1), Duration.ofHours(1),
        () -> checks.incrementAndGet() >= 3));
    assertThat(checks).hasValue(3);
  }

  @Test
  void waitingEndsAtItsLimitUnderConstantLoad() {
    ReadActivity reads = new ReadActivity();
    reads.begin();
    AtomicInteger checks = new AtomicInteger();
    assertTimeoutPreemptively(GUARD, () -> reads.awaitQuiet(QUIET, Duration.ZERO, () -> {
      checks.incrementAndGet();
      return false;
    }));
    assertThat(checks).hasValue(1);
  }

  @Test
  void waitingEndsOnceReadsHaveBeenQuietLongEnough() {
    ReadActivity reads = new ReadActivity();
    reads.begin();
    AtomicInteger checks = new AtomicInteger();
    // The read ends at the first check, so the wait has a whole quiet period to sit out.
    assertTimeoutPreemptively(GUARD, () -> reads.awaitQuiet(Duration.ofMillis(5), Duration.ofHours(1), () -> {
      if (checks.incrementAndGet() == 1) {
        reads.end();
      }
      return false;
    }));
    assertThat(checks).as("the quiet period had not passed at the first check").hasValueGreaterThan(1);
    assertThat(reads.nanosUntilQuiet(System.nanoTime(), Duration.ofMillis(5))).isZero();
  }
}
