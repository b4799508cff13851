/** Feeds demo telemetry into the server through the same OTLP ingest path real clients use, on a fixed interval. */
package com.kubetelemetry.demo;

import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.ingest.mapping.WriteScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code interval}, asks the generator for the telemetry since the previous tick and exports traces, metrics
 * and logs for tenant {@code default}, waiting for their acknowledgements (so a slow store slows the feeder rather
 * than piling up work). Failed exports (RESOURCE_EXHAUSTED, UNAVAILABLE, ...) are counted and logged at most once per
 * {@link #LOG_EVERY}; nothing is thrown out of a tick. Runs on one daemon thread named {@code demo-feeder}.
 */
public final class DemoDataFeeder {
  /** The scope demo data is written with: tenant "default", without honouring tenant.id in the data. */
  public static final WriteScope SCOPE = new WriteScope("default", false);

  /** Minimum time between two failure log lines. */
  public static final Duration LOG_EVERY = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(DemoDataFeeder.class);

  private final DemoTelemetryGenerator generator;
  private final OtlpIngest ingest;
  private final Clock clock;
  private final Duration interval;
  private final AtomicLong succeededExports = new AtomicLong();
  private final AtomicLong failedExports = new AtomicLong();
  private final Object lifecycle = new Object();
  private ScheduledExecutorService scheduler;
  /** Set by {@link #stop()}: a back-fill in progress ends after its current batch. */
  private volatile boolean stopRequested;
  private Instant lastFailureLog;
  private long failuresSinceLog;

  public DemoDataFeeder(DemoTelemetryGenerator generator, OtlpIngest ingest, Clock clock, Duration interval) {
    this.generator = Objects.requireNonNull(generator, "generator");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
  }

  /** Starts ticking every interval on the "demo-feeder" daemon thread; the first tick runs after one interval. */
  public void start() {
    synchronized (lifecycle) {
      if (scheduler != null) {
        throw new IllegalStateException("demo feeder already started");
      }
      scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-feeder");
        thread.setDaemon(true);
        return thread;
      });
      long millis = Math.max(1, interval.toMillis());
      scheduler.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops ticking and waits for a tick in flight to finish. Safe to call more than once, or without start. */
  public void stop() {
    stopRequested = true;
    ScheduledExecutorService running;
    synchronized (lifecycle) {
      running = scheduler;
      scheduler = null;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      if (!running.awaitTermination(exportTimeout().toMillis() * 3 + 1_000, TimeUnit.MILLISECONDS)) {
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One tick: generates the telemetry up to the clock's now and exports the three signals, waiting for their
   * acknowledgements. Never throws; failures are counted in {@link #failedExports()}.
   */
  public void runOnce() {
    exportAll(clock.instant());
  }

  private void exportAll(Instant until) {
    DemoBatch batch;
    try {
      batch = generator.tick(until);
    } catch (RuntimeException e) {
      failed("generate", e);
      return;
    }
    // Sent together so the three signals share a commit round instead of waiting for one each.
    CompletableFuture<?> traces = send("traces", () -> ingest.exportTraces(SCOPE, batch.traces()));
    CompletableFuture<?> metrics = send("metrics", () -> ingest.exportMetrics(SCOPE, batch.metrics()));
    CompletableFuture<?> logs = send("logs", () -> ingest.exportLogs(SCOPE, batch.logs()));
    await("traces", traces);
    await("metrics", metrics);
    await("logs", logs);
  }

  /**
   * Back-fills history: while the generator's last tick is more than {@code step} behind the clock, exports one
   * batch per {@code step} (so a generator seeded an hour ago fills the last hour before live ticks start); keep
   * {@code step} within {@link DemoSettings#maxCatchUp()}, or each batch covers only its last part. Call it
   * before {@link #start()}, or from a thread of your own; returns the number of batches exported. Never throws for
   * export failures, which are counted like a tick's.
   */
  public int catchUp(Duration step) {
    Objects.requireNonNull(step, "step");
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive: " + step);
    }
    Instant now = clock.instant();
    int batches = 0;
    for (Instant next = generator.lastTick().plus(step); next.isBefore(now) && !stopRequested;
        next = next.plus(step)) {
      exportAll(next);
      batches++;
    }
    return batches;
  }

  /** Exports acknowledged since construction. */
  public long succeededExports() {
    return succeededExports.get();
  }

  /** Exports that failed (refused, timed out, or thrown) since construction. */
  public long failedExports() {
    return failedExports.get();
  }

  private CompletableFuture<?> send(String signal, java.util.function.Supplier<CompletableFuture<?>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void await(String signal, CompletableFuture<?> acknowledgement) {
    try {
      acknowledgement.get(exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      succeededExports.incrementAndGet();
    } catch (ExecutionException e) {
      failed(signal, e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      failed(signal, new TimeoutException("no acknowledgement within " + exportTimeout()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(signal, e);
    } catch (RuntimeException e) {
      failed(signal, e);
    }
  }

  /** How long one export may wait for its acknowledgement: ten intervals, at least ten seconds. */
  private Duration exportTimeout() {
    Duration tenIntervals = interval.multipliedBy(10);
    return tenIntervals.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : tenIntervals;
  }

  private void failed(String what, Throwable cause) {
    failedExports.incrementAndGet();
    Instant now = clock.instant();
    long suppressed;
    synchronized (lifecycle) {
      failuresSinceLog++;
      if (lastFailureLog != null && Duration.between(lastFailureLog, now).compareTo(LOG_EVERY) < 0) {
        return;
      }
      suppressed = failuresSinceLog - 1;
      failuresSinceLog = 0;
      lastFailureLog = now;
    }
    log.warn("demo data: {} export failed ({} more failures since the last report): {}", what, suppressed,
        describe(cause));
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
