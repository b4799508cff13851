/** Streams a structured query's rows to one client at the client's pace, cancelling the engine query if it leaves. */
package com.kubetelemetry.structured;

import com.kubetelemetry.api.v1.Column;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.Row;
import com.kubetelemetry.api.v1.StreamQueryResponse;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.storage.ResultStream;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Flow control: rows are read from the engine only while the client's transport is ready, so at most one engine
 * chunk plus one batch is held in memory however slow the client is. All work (engine reads included, which block)
 * runs serially on {@code executor}, triggered by readiness and cancellation signals; when the client cancels or
 * the row limit is reached, the engine stream is closed, which cancels its query. The first message carries the
 * columns, the last one the stats and {@code truncated}.
 */
final class RowStreamer {
  private final ServerCallStreamObserver<StreamQueryResponse> out;
  private final Supplier<ResultStream> open;
  private final RowDecoder decoder;
  private final List<Column> columns;
  private final int limit;
  private final int batchSize;
  private final Executor executor;
  private final Function<Throwable, Throwable> errors;
  private final LongSupplier nanoTime;
  private final Runnable onFinish;
  private final long startNanos;
  private final AtomicInteger pendingSignals = new AtomicInteger();
  private final ArrayDeque<Row> pending = new ArrayDeque<>();
  private volatile boolean cancelled;
  private ResultStream stream;
  private boolean engineDone;
  private boolean finished;
  private boolean finishReported;
  private boolean columnsSent;
  private long delivered;

  /**
   * @param open starts the engine query (called once, on {@code executor})
   * @param limit rows the client may receive; the query returns at most one more, which marks truncation
   * @param errors maps a failure to the exception sent to the client
   * @param onFinish runs once when the stream ends in any way (completed, failed or cancelled)
   */
  RowStreamer(ServerCallStreamObserver<StreamQueryResponse> out, Supplier<ResultStream> open, RowDecoder decoder,
      List<Column> columns, int limit, int batchSize, Executor executor, Function<Throwable, Throwable> errors,
      LongSupplier nanoTime, Runnable onFinish) {
    this.out = out;
    this.open = open;
    this.decoder = decoder;
    this.columns = List.copyOf(columns);
    this.limit = limit;
    this.batchSize = batchSize;
    this.executor = executor;
    this.errors = errors;
    this.nanoTime = nanoTime;
    this.onFinish = onFinish;
    this.startNanos = nanoTime.getAsLong();
  }

  /** Registers the handlers; call from the gRPC method itself (grpc-java allows the cancel handler only there). */
  void start() {
    out.setOnCancelHandler(() -> {
      cancelled = true;
      signal();
    });
    out.setOnReadyHandler(this::signal);
    signal();
  }

  private void signal() {
    if (pendingSignals.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    int missed = 1;
    do {
      try {
        step();
      } catch (RuntimeException e) {
        fail(e);
      }
      missed = pendingSignals.addAndGet(-missed);
    } while (missed != 0);
  }

  private void step() {
    if (finished) {
      return;
    }
    if (cancelled) {
      finished = true;
      closeStream();
      return;
    }
    if (stream == null) {
      stream = open.get();
    }
    while (!cancelled && out.isReady()) {
      if (pending.size() < batchSize && !engineDone && delivered + pending.size() <= limit) {
        byte[] chunk = stream.next();
        if (chunk == null) {
          engineDone = true;
          List<Row> last = new ArrayList<>();
          decoder.finish(last);
          pending.addAll(last);
        } else {
          pending.addAll(decoder.decode(chunk));
        }
        continue;
      }
      if (delivered >= limit || (pending.isEmpty() && engineDone)) {
        complete(!pending.isEmpty());
        return;
      }
      StreamQueryResponse.Builder message = StreamQueryResponse.newBuilder();
      if (!columnsSent) {
        message.addAllColumns(columns);
        columnsSent = true;
      }
      while (!pending.isEmpty() && message.getRowsCount() < batchSize && delivered < limit) {
        message.addRows(pending.poll());
        delivered++;
      }
      out.onNext(message.build());
    }
    if (cancelled) {
      finished = true;
      closeStream();
    }
  }

  private void complete(boolean truncated) {
    finished = true;
    closeStream();
    StreamQueryResponse.Builder last = StreamQueryResponse.newBuilder().setTruncated(truncated)
        .setStats(QueryStats.newBuilder().setElapsed(ProtoQueries.duration(Math.max(0, nanoTime.getAsLong() - startNanos))));
    if (!columnsSent) {
      last.addAllColumns(columns);
      columnsSent = true;
    }
    out.onNext(last.build());
    out.onCompleted();
  }

  private void fail(RuntimeException e) {
    boolean wasFinished = finished;
    finished = true;
    try {
      closeStream();
    } catch (RuntimeException ignored) {
      // the original failure is the one to report
    }
    if (!wasFinished && !cancelled) {
      out.onError(errors.apply(e));
    }
  }

  /** Closes the engine stream (cancelling its query when unfinished); runs onFinish once the call is over. */
  private void closeStream() {
    try {
      if (stream != null) {
        ResultStream s = stream;
        stream = null;
        s.close();
      }
    } finally {
      if (finished && !finishReported) {
        finishReported = true;
        onFinish.run();
      }
    }
  }
}
