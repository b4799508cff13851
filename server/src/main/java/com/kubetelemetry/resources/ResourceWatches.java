/** Owns every open WatchResources stream: validates the request, polls the history table, stops on cancel. */
package com.kubetelemetry.resources;

import com.kubetelemetry.api.v1.WatchResourcesRequest;
import com.kubetelemetry.api.v1.WatchResourcesResponse;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.resources.LabelRequirement;
import com.kubetelemetry.query.resources.LabelSelectorParser;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.read.ReadErrors;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Each watch polls every {@link #POLL_INTERVAL} on a small shared pool: one query for the changes after its
 * position (at most {@link #BATCH} per poll), sent as one batch in resource version order. The first poll always
 * sends a batch (possibly empty) so the client knows the stream is live; an idle stream gets an empty batch every
 * {@link #HEARTBEAT}. After {@link #close} every watch ends with UNAVAILABLE.
 */
final class ResourceWatches implements AutoCloseable {
  static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final int BATCH = 500;

  private final ReadContext context;
  private final ResourceQueryCompiler compiler;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Set<Watch> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ResourceWatches(ReadContext context, ResourceQueryCompiler compiler) {
    this.context = context;
    this.compiler = compiler;
    this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "resource-watch");
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  void open(WatchResourcesRequest request, ServerCallStreamObserver<WatchResourcesResponse> stream) {
    Watch watch;
    try {
      TenantId tenant = context.tenant();
      List<LabelRequirement> selector = LabelSelectorParser.parse(request.getLabelSelector(), "label_selector");
      long from;
      if (request.getResourceVersion().isEmpty()) {
        List<EngineRow> rows = EngineRows.run(context.store(), compiler.newestVersion(tenant)).rows();
        from = rows.isEmpty() ? 0 : rows.getFirst().uint64(0);
      } else {
        try {
          from = Long.parseUnsignedLong(request.getResourceVersion());
        } catch (NumberFormatException e) {
          throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "resource_version", "`resource_version` "
              + "must be a number returned in a previous `resource_version`, or empty to start now");
        }
      }
      // compile once so a bad request fails before streaming
      var position = new ResourceQueryCompiler.HistoryPosition(from, Byte.MAX_VALUE, "");
      compiler.changes(tenant, request.getKind(), request.getNamespace(), selector, position, 1);
      watch = new Watch(tenant, request.getKind(), request.getNamespace(), selector, position, stream);
    } catch (RuntimeException e) {
      stream.onError(ReadErrors.status("WatchResources", e, context.limits()));
      return;
    }
    if (closed) {
      stream.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
      return;
    }
    open.add(watch);
    stream.setOnCancelHandler(watch::stop);
    watch.task = scheduler.scheduleWithFixedDelay(watch::poll, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    if (watch.stopped) {
      watch.task.cancel(false);
    }
  }

  /** Watches currently open. */
  int openCount() {
    return open.size();
  }

  @Override
  public void close() {
    closed = true;
    for (Watch w : List.copyOf(open)) {
      w.fail(Status.UNAVAILABLE.withDescription("the server is shutting down: watch again from the last "
          + "resource_version"));
    }
    scheduler.shutdownNow();
  }

  /** One stream and its position. Polls run one at a time (the scheduler never overlaps a task with itself). */
  private final class Watch {
    private final TenantId tenant;
    private final String kind;
    private final String namespace;
    private final List<LabelRequirement> selector;
    private final ServerCallStreamObserver<WatchResourcesResponse> stream;
    private ResourceQueryCompiler.HistoryPosition position;
    private Instant lastSent;
    private volatile boolean stopped;
    volatile ScheduledFuture<?> task;

    Watch(TenantId tenant, String kind, String namespace, List<LabelRequirement> selector,
        ResourceQueryCompiler.HistoryPosition position, ServerCallStreamObserver<WatchResourcesResponse> stream) {
      this.tenant = tenant;
      this.kind = kind;
      this.namespace = namespace;
      this.selector = selector;
      this.position = position;
      this.stream = stream;
    }

    void poll() {
      if (stopped) {
        return;
      }
      try {
        if (!stream.isReady()) {
          return;
        }
        List<EngineRow> rows = EngineRows.run(context.store(),
            compiler.changes(tenant, kind, namespace, selector, position, BATCH)).rows();
        Instant now = context.clock().instant();
        if (rows.isEmpty() && lastSent != null && now.isBefore(lastSent.plus(HEARTBEAT))) {
          return;
        }
        WatchResourcesResponse.Builder batch = WatchResourcesResponse.newBuilder();
        for (EngineRow row : rows) {
          batch.addChanges(com.kubetelemetry.api.v1.ResourceVersion.newBuilder()
              .setType(StoredResources.changeType(row)).setResource(StoredResources.resource(row)));
          position = StoredResources.position(row);
        }
        batch.setResourceVersion(Long.toUnsignedString(position.number()));
        synchronized (this) {
          if (!stopped) {
            stream.onNext(batch.build());
          }
        }
        lastSent = now;
      } catch (RuntimeException e) {
        fail(ReadErrors.status("WatchResources", e, context.limits()).getStatus());
      }
    }

    synchronized void fail(Status status) {
      if (stopped) {
        return;
      }
      stop();
      try {
        stream.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        // the call is already closed
      }
    }

    void stop() {
      stopped = true;
      ScheduledFuture<?> t = task;
      if (t != null) {
        t.cancel(false);
      }
      open.remove(this);
    }
  }
}
