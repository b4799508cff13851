/** Sends OTLP export requests over gRPC from several client threads and measures acknowledged items per second. */
package com.kubetelemetry.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Each client thread takes the next request index until {@code total} requests were acknowledged. A request
 * refused with RESOURCE_EXHAUSTED is retried after a short pause, as OTLP exporters do, and counted.
 */
final class OtlpLoad {
  /** What one run measured. */
  record Result(long items, double seconds, long throttled) {
    double itemsPerSecond() {
      return items / seconds;
    }
  }

  private OtlpLoad() {}

  static <R> Result run(List<R> requests, int total, int itemsPerRequest, int clients, Consumer<R> send)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicLong throttled = new AtomicLong();
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            R request = requests.get(i % requests.size());
            while (true) {
              try {
                send.accept(request);
                break;
              } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
                  throw e;
                }
                throttled.incrementAndGet();
                LockSupport.parkNanos(2_000_000);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result((long) total * itemsPerRequest, seconds, throttled.get());
  }
}
