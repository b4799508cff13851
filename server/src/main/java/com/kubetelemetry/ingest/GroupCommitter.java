/** The threads that gather pending exports and commit them per table as one INSERT each. */
package com.kubetelemetry.ingest;

import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.Store;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit, adaptive: after the first export arrives the committer takes whatever else is queued and, only while
 * another committer's INSERT is running, keeps gathering until that INSERT ends, the flush interval passes or a table
 * has {@code maxBatchRows} rows (a single committer gathers for the whole interval); then it inserts all gathered
 * rows of each table in one statement, so many small exports become a few large parts. An export is acknowledged only when all of its tables committed; when an
 * insert fails, the exports with rows in that table fail with UNAVAILABLE and their clients retry. With several
 * committer threads, one gathers while another's INSERT runs, so the engine is kept busy on separate connections.
 */
final class GroupCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  private static final long IDLE_POLL_MILLIS = 50;
  /** How often a lingering gatherer checks whether the running INSERT finished. */
  private static final long LINGER_SLICE_MICROS = 1000;

  private final Store store;
  private final IngestSettings settings;
  private final IngestBuffer buffer;
  private final BlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Object submitLock = new Object();
  private boolean closing;
  private final AtomicBoolean failing = new AtomicBoolean();
  /** Committers whose INSERT is running now; a gatherer lingers only while this is above zero. */
  private final AtomicInteger inserting = new AtomicInteger();

  GroupCommitter(Store store, IngestSettings settings, IngestBuffer buffer) {
    this.store = store;
    this.settings = settings;
    this.buffer = buffer;
    for (int i = 0; i < settings.committers(); i++) {
      Thread thread = Thread.ofPlatform().name("ingest-committer-" + i).daemon(true).unstarted(this::run);
      threads.add(thread);
      thread.start();
    }
  }

  /** Queues a write whose bytes are already reserved; false once closing started (nothing was queued). */
  boolean submit(PendingWrite write) {
    synchronized (submitLock) {
      if (closing) {
        return false;
      }
      queue.add(write);
      return true;
    }
  }

  /** Stops taking writes, commits everything queued, and waits up to the close timeout for that to finish. */
  void close() {
    synchronized (submitLock) {
      closing = true;
    }
    long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
    try {
      for (Thread thread : threads) {
        thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<PendingWrite> abandoned = new ArrayList<>();
    queue.drainTo(abandoned);
    for (PendingWrite write : abandoned) {
      finish(write, Status.UNAVAILABLE.withDescription("server is shutting down before the export was committed; retry"));
    }
  }

  private boolean isClosing() {
    synchronized (submitLock) {
      return closing;
    }
  }

  private void run() {
    while (true) {
      PendingWrite first;
      try {
        first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (isClosing() && queue.isEmpty()) {
          return;
        }
        continue;
      }
      commit(gather(first));
    }
  }

  private List<PendingWrite> gather(PendingWrite first) {
    List<PendingWrite> batch = new ArrayList<>();
    Map<String, Integer> rowsByTable = new HashMap<>();
    add(batch, rowsByTable, first);
    long deadline = System.nanoTime() + settings.flushInterval().toNanos();
    while (!full(rowsByTable)) {
      PendingWrite next;
      while ((next = queue.poll()) != null) {
        add(batch, rowsByTable, next);
      }
      // With several committers, an idle engine means waiting would only add latency, so commit what is here; while
      // another committer's INSERT runs, keep gathering (up to the interval) so the next part is as large as the load
      // allows. A single committer has no one to overlap with and gathers for the whole interval.
      boolean engineIdle = settings.committers() > 1 && inserting.get() == 0;
      if (full(rowsByTable) || engineIdle || isClosing() || System.nanoTime() - deadline >= 0) {
        break;
      }
      try {
        next = queue.poll(LINGER_SLICE_MICROS, TimeUnit.MICROSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (next != null) {
        add(batch, rowsByTable, next);
      }
    }
    return batch;
  }

  private static void add(List<PendingWrite> batch, Map<String, Integer> rowsByTable, PendingWrite write) {
    batch.add(write);
    write.rows().blocksByTable().forEach((table, block) -> rowsByTable.merge(table, block.rows(), Integer::sum));
  }

  private boolean full(Map<String, Integer> rowsByTable) {
    for (int rows : rowsByTable.values()) {
      if (rows >= settings.maxBatchRows()) {
        return true;
      }
    }
    return false;
  }

  private void commit(List<PendingWrite> batch) {
    Map<String, List<NativeBlock>> blocksByTable = new LinkedHashMap<>();
    for (PendingWrite write : batch) {
      write.rows().blocksByTable().forEach(
          (table, block) -> blocksByTable.computeIfAbsent(table, t -> new ArrayList<>()).add(block));
    }
    Map<String, Throwable> failures = new HashMap<>();
    inserting.incrementAndGet();
    try {
      for (Map.Entry<String, List<NativeBlock>> entry : blocksByTable.entrySet()) {
        try {
          store.insert(entry.getKey(), entry.getValue());
        } catch (RuntimeException | Error e) {
          // Whatever went wrong, the committer thread must survive and answer every waiting export.
          failures.put(entry.getKey(), e);
        }
      }
    } finally {
      inserting.decrementAndGet();
    }
    logEpisode(failures);
    for (PendingWrite write : batch) {
      Status status = null;
      for (String table : write.rows().blocksByTable().keySet()) {
        if (failures.containsKey(table)) {
          status = Status.UNAVAILABLE.withDescription(
              "storage could not commit the export (table " + table + "); retry later");
          break;
        }
      }
      finish(write, status);
    }
  }

  private void finish(PendingWrite write, Status failure) {
    buffer.release(write.bytes());
    if (failure == null) {
      write.committed().complete(null);
    } else {
      write.committed().completeExceptionally(failure.asException());
    }
  }

  /** Logs the first failure of an episode and the recovery, not every failed insert. */
  private void logEpisode(Map<String, Throwable> failures) {
    if (!failures.isEmpty() && failing.compareAndSet(false, true)) {
      Map.Entry<String, Throwable> first = failures.entrySet().iterator().next();
      LOG.error("ingest commit failed for table {}; exports are refused with UNAVAILABLE until it recovers",
          first.getKey(), first.getValue());
    } else if (failures.isEmpty() && failing.compareAndSet(true, false)) {
      LOG.info("ingest commits succeed again");
    }
  }
}
