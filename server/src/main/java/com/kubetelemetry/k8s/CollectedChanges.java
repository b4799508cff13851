/** The collector's write side: drops changes already stored, queues the rest and writes them in batches. */
package com.kubetelemetry.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kubetelemetry.resources.ChangeType;
import com.kubetelemetry.resources.ObjectChange;
import com.kubetelemetry.resources.ObjectFields;
import com.kubetelemetry.resources.ResourceRows;
import com.kubetelemetry.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows, per uid, the last resource version written and whether it was a deletion (loaded from the current table
 * at start, then kept up to date), so a restart's re-list, a resync or a repeated event writes nothing twice: a
 * change is written only when its resource version differs from the known one (or it is the first deletion).
 * The first observation of an unknown uid is ADDED, later ones MODIFIED, whatever the informer called them.
 * Writes run on one daemon thread, up to {@link #BATCH} changes per insert. Thread-safe.
 */
final class CollectedChanges implements AutoCloseable {
  static final int BATCH = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(CollectedChanges.class);

  /** What is known about one uid. */
  record Known(String resourceVersion, boolean deleted, String group, String kind) {}

  private record Waiter(String uid, String resourceVersion, ChangeType type, CompletableFuture<Void> done) {}

  private final Store store;
  private final String tenant;
  private final String cluster;
  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final Map<String, Known> stored = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final LinkedBlockingQueue<ObjectChange> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  CollectedChanges(Store store, String tenant, String cluster, Clock clock, Map<String, Known> initial) {
    this.store = store;
    this.tenant = tenant;
    this.cluster = cluster;
    this.clock = clock;
    known.putAll(initial);
    stored.putAll(initial);
    this.writer = Thread.ofPlatform().daemon().name("k8s-collector-writer").start(this::writeLoop);
  }

  /** Queues the change unless it is already stored; returns true when it was queued. */
  boolean offer(ChangeType observed, ObjectNode object) {
    ObjectFields f;
    try {
      f = ObjectFields.of(object);
    } catch (IllegalArgumentException e) {
      LOG.debug("skipping an object without identity: {}", e.getMessage());
      return false;
    }
    ChangeType[] decided = new ChangeType[1];
    known.compute(f.uid(), (uid, previous) -> {
      if (observed == ChangeType.DELETED) {
        if (previous != null && previous.deleted()) {
          return previous;
        }
        decided[0] = ChangeType.DELETED;
        return new Known(f.resourceVersion(), true, f.group(), f.kind());
      }
      if (previous != null && previous.resourceVersion().equals(f.resourceVersion())) {
        return previous;
      }
      decided[0] = previous == null ? ChangeType.ADDED : ChangeType.MODIFIED;
      return new Known(f.resourceVersion(), false, f.group(), f.kind());
    });
    if (decided[0] == null) {
      return false;
    }
    Instant now = clock.instant();
    queue.add(new ObjectChange(tenant, cluster, decided[0], now.getEpochSecond() * 1_000_000_000L + now.getNano(),
        object));
    return true;
  }

  /** Uids known as live objects of this kind (group and kind). */
  List<String> liveUids(WatchedKind kind) {
    List<String> out = new ArrayList<>();
    known.forEach((uid, k) -> {
      if (!k.deleted() && k.group().equals(kind.group()) && k.kind().equals(kind.kind())) {
        out.add(uid);
      }
    });
    return out;
  }

  /**
   * Completes once a change of {@code uid} at {@code resourceVersion} (null: any) that is (or is not) a deletion is
   * stored (a test hook).
   */
  CompletableFuture<Void> whenStored(String uid, String resourceVersion, ChangeType type) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (waiters) {
      Known k = stored.get(uid);
      if (k != null && (resourceVersion == null || k.resourceVersion().equals(resourceVersion))
          && (type == ChangeType.DELETED) == k.deleted()) {
        done.complete(null);
      } else {
        waiters.add(new Waiter(uid, resourceVersion, type, done));
      }
    }
    return done;
  }

  private void writeLoop() {
    List<ObjectChange> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        ObjectChange first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        ResourceRows.write(store, batch);
        written(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("could not store {} Kubernetes object changes; they are lost until the next restart re-lists",
            batch.size(), e);
      }
      batch.clear();
    }
  }

  private void written(List<ObjectChange> batch) {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    synchronized (waiters) {
      for (ObjectChange c : batch) {
        ObjectFields f = ObjectFields.of(c.object());
        stored.put(f.uid(), new Known(f.resourceVersion(), c.type() == ChangeType.DELETED, f.group(), f.kind()));
        waiters.removeIf(w -> {
          boolean match = w.uid().equals(f.uid())
              && (w.resourceVersion() == null || w.resourceVersion().equals(f.resourceVersion()))
              && (w.type() == ChangeType.DELETED) == (c.type() == ChangeType.DELETED);
          if (match) {
            ready.add(w.done());
          }
          return match;
        });
      }
    }
    ready.forEach(f -> f.complete(null));
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
