/** One TailLogs stream: polls for records after its position, rate-limits them and sends them as batches. */
package com.kubetelemetry.logs;

import com.kubetelemetry.api.v1.TailLogsResponse;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.logs.LogCursor;
import com.kubetelemetry.query.logs.LogFilter;
import com.kubetelemetry.query.logs.LogRecordColumns;
import com.kubetelemetry.query.logs.LogTailCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.ReadErrors;
import com.kubetelemetry.storage.Store;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each poll runs one query (a store connection is taken only for it), asks for at most as many records as the
 * rate limit allows, sends the newest of them oldest first and counts the older rest in {@code dropped_count}.
 * The position is the newest record seen; when nothing new arrives it moves up to {@code lateArrival} before the
 * poll time, so an idle tail's query stays small. Polls run on the scheduler of {@link LogTails}, one at a time per
 * tail; {@link #cancelled} and {@link #shutdown} may come from any thread. The first poll always sends a batch
 * (empty when nothing matched), so a client knows the tail is live. A failing poll ends the stream with the
 * mapped status.
 */
final class LogTail {
  private final TenantId tenant;
  private final LogFilter filter;
  private final ServerCallStreamObserver<TailLogsResponse> observer;
  private final LogTailCompiler compiler;
  private final Store store;
  private final Clock clock;
  private final TailSettings settings;
  private final com.kubetelemetry.query.QueryLimits limits;
  private final TailRateLimit rate;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean stopped;
  private volatile ScheduledFuture<?> task;
  private Instant start;
  private LogCursor after;
  private Instant lastSent;
  private long dropped;

  LogTail(TenantId tenant, LogFilter filter, Instant start, int perSecond,
      ServerCallStreamObserver<TailLogsResponse> observer, LogTailCompiler compiler, Store store, Clock clock,
      TailSettings settings, com.kubetelemetry.query.QueryLimits limits) {
    this.tenant = tenant;
    this.filter = filter;
    this.start = start;
    this.observer = observer;
    this.compiler = compiler;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.limits = limits;
    this.rate = new TailRateLimit(perSecond, clock.instant());
  }

  void scheduled(ScheduledFuture<?> future) {
    task = future;
    if (stopped) {
      future.cancel(false);
    }
  }

  /** Completes when the tail has stopped for good (client cancel, failure or server shutdown). */
  CompletableFuture<Void> done() {
    return done;
  }

  /** One poll; called by the scheduler. Never throws (a throw would silently end the scheduled task). */
  void poll() {
    lock.lock();
    try {
      if (!stopped) {
        pollOnce();
      }
    } catch (RuntimeException e) {
      finish(ReadErrors.status("TailLogs", e, limits).getStatus());
    } finally {
      lock.unlock();
    }
    if (stopped) {
      done.complete(null);
    }
  }

  private void pollOnce() {
    if (!observer.isReady()) {
      return;
    }
    Instant now = clock.instant();
    int budget = Math.min(rate.available(now), LogTailCompiler.MAX_LIMIT);
    if (budget > 0) {
      List<EngineRow> rows = EngineRows.run(store, compiler.compile(tenant, filter, after, start, now, budget))
          .rows();
      if (!rows.isEmpty()) {
        long matched = rows.getFirst().int64(LogRecordColumns.COUNT);
        dropped += Math.max(0, matched - rows.size());
        LogCursor.Key newest = LogRecordRows.key(rows.getFirst());
        after = new LogCursor(newest.timestampNanos(), newest.rowHash(), 0);
        rate.spend(rows.size());
        TailLogsResponse.Builder batch = TailLogsResponse.newBuilder().setDroppedCount(dropped);
        for (int i = rows.size() - 1; i >= 0; i--) {
          batch.addRecords(LogRecordRows.record(rows.get(i)));
        }
        send(batch.build(), now);
        return;
      }
      Instant floor = now.minus(settings.lateArrival());
      if (after == null && start.isBefore(floor)) {
        start = floor;
      } else if (after != null && after.timestampNanos() < nanos(floor)) {
        after = new LogCursor(nanos(floor), LogCursor.MAX_HASH, 0);
      }
    }
    if (lastSent == null || dropped > 0 || !now.isBefore(lastSent.plus(settings.heartbeat()))) {
      send(TailLogsResponse.newBuilder().setDroppedCount(dropped).build(), now);
    }
  }

  private void send(TailLogsResponse response, Instant now) {
    observer.onNext(response);
    dropped = 0;
    lastSent = now;
  }

  /**
   * The client went away: stop polling without touching the stream. Does not wait for a poll in flight; that
   * poll completes {@link #done} when it returns.
   */
  void cancelled() {
    stopped = true;
    cancelTask();
    if (lock.tryLock()) {
      try {
        done.complete(null);
      } finally {
        lock.unlock();
      }
    }
  }

  /** The server is stopping: end the stream with UNAVAILABLE so the client reconnects elsewhere or later. */
  void shutdown() {
    lock.lock();
    try {
      if (!stopped) {
        finish(Status.UNAVAILABLE.withDescription("the server is shutting down: open the tail again"));
      }
    } finally {
      lock.unlock();
    }
    done.complete(null);
  }

  private void finish(Status status) {
    stopped = true;
    cancelTask();
    try {
      observer.onError(status.asRuntimeException());
    } catch (RuntimeException e) {
      // the call is already closed (cancelled meanwhile): nothing to tell the client
    }
    done.complete(null);
  }

  private void cancelTask() {
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
  }

  boolean stopped() {
    return stopped;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
