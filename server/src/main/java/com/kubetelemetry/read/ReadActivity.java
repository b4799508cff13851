/** Unary read calls in flight, so that background work (cache revalidation) can wait for a quiet moment. */
package com.kubetelemetry.read;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * On two cores, a revalidation that reads the engine while a dashboard's requests are being answered slows every one
 * of them (measured: cached answers p50 1.2-1.5 ms and p99 11-14 ms with revalidations starting at once, 1.0-1.1 ms and
 * 8 ms when they wait for 20 ms without a read). Thread-safe; {@link #begin()} and {@link #end()} cost one atomic
 * update each.
 */
public final class ReadActivity {
  private final AtomicInteger inFlight = new AtomicInteger();
  /** When the last call ended ({@link System#nanoTime()}); starts a day back, so a new server is quiet. */
  private volatile long lastEndNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

  /** A read call started. */
  public void begin() {
    inFlight.incrementAndGet();
  }

  /** The read call that {@link #begin() began} has answered. */
  public void end() {
    end(System.nanoTime());
  }

  void end(long nowNanos) {
    lastEndNanos = nowNanos;
    inFlight.decrementAndGet();
  }

  /** How long from {@code nowNanos} until reads will have been quiet for {@code quiet}, as far as known now. */
  long nanosUntilQuiet(long nowNanos, Duration quiet) {
    if (inFlight.get() > 0) {
      return quiet.toNanos();
    }
    return Math.max(0, quiet.toNanos() - (nowNanos - lastEndNanos));
  }

  /**
   * Returns once no read call has run for {@code quiet}, or after {@code atMost} (so background work still runs
   * under constant load), or as soon as {@code stopWaiting} is true (checked at least every {@code quiet}).
   */
  public void awaitQuiet(Duration quiet, Duration atMost, BooleanSupplier stopWaiting) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!stopWaiting.getAsBoolean()) {
      long now = System.nanoTime();
      long wait = Math.min(nanosUntilQuiet(now, quiet), deadline - now);
      if (wait <= 0) {
        return;
      }
      LockSupport.parkNanos(wait);
    }
  }
}
