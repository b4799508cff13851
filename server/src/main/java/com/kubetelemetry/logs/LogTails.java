/** Owns the poller threads of every open log tail: schedules each tail, stops it on cancel, stops all on shutdown. */
package com.kubetelemetry.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tails are polled with a fixed delay between polls on a small shared pool of daemon threads; a tail holds no
 * store connection between polls. After {@link #close} no tail runs and new ones are refused.
 */
final class LogTails implements AutoCloseable {
  private final TailSettings settings;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Set<LogTail> open = ConcurrentHashMap.newKeySet();
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
  private volatile boolean closed;

  LogTails(TailSettings settings) {
    this.settings = settings;
    AtomicInteger n = new AtomicInteger();
    this.scheduler = new ScheduledThreadPoolExecutor(settings.threads(), r -> {
      Thread t = new Thread(r, "log-tail-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /** Starts polling {@code tail} now; false when shutting down (the tail is not started). */
  boolean start(LogTail tail) {
    if (closed) {
      return false;
    }
    synchronized (idleWaiters) {
      open.add(tail);
    }
    tail.done().whenComplete((v, e) -> removed(tail));
    tail.scheduled(scheduler.scheduleWithFixedDelay(tail::poll, 0, settings.pollInterval().toNanos(),
        TimeUnit.NANOSECONDS));
    if (closed) {
      tail.shutdown();
    }
    return true;
  }

  private void removed(LogTail tail) {
    List<CompletableFuture<Void>> ready = List.of();
    synchronized (idleWaiters) {
      open.remove(tail);
      if (open.isEmpty()) {
        ready = List.copyOf(idleWaiters);
        idleWaiters.clear();
      }
    }
    ready.forEach(f -> f.complete(null));
  }

  /** Completes once no tail is open (at once when none is). */
  CompletableFuture<Void> whenIdle() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (idleWaiters) {
      if (!open.isEmpty()) {
        idleWaiters.add(f);
        return f;
      }
    }
    f.complete(null);
    return f;
  }

  /** Tails currently polling. */
  int openCount() {
    return open.size();
  }

  /** Polling tasks still waiting for their next run (0 once every tail has stopped). */
  int scheduledTasks() {
    return scheduler.getQueue().size();
  }

  /** Ends every tail with UNAVAILABLE and stops the threads; idempotent. */
  @Override
  public void close() {
    closed = true;
    for (LogTail tail : List.copyOf(open)) {
      tail.shutdown();
    }
    scheduler.shutdownNow();
  }
}
