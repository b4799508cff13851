/** /healthz and /readyz: liveness is "the process answers", readiness is "not stopping and the store answers". */
package com.kubetelemetry.server;

import com.kubetelemetry.storage.Store;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.healthcheck.SettableHealthChecker;
import java.util.concurrent.CompletableFuture;

/**
 * The readiness flag goes false once shutdown starts, so load balancers stop sending before the server drains.
 * The same flag drives grpc.health.v1 (through {@link #healthChecker()}).
 */
final class Readiness {
  private final Store store;
  private final SettableHealthChecker serving = new SettableHealthChecker(true);

  Readiness(Store store) {
    this.store = store;
  }

  SettableHealthChecker healthChecker() {
    return serving;
  }

  void markStopping() {
    serving.setHealthy(false);
  }

  boolean isReady() {
    return serving.isHealthy() && store.isHealthy();
  }

  HttpService liveness() {
    return (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n");
  }

  /** Asks the store on a blocking thread: a store check runs a query. */
  HttpService readiness() {
    return (ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(() -> {
      if (!serving.isHealthy()) {
        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "stopping\n");
      }
      boolean storeUp;
      try {
        storeUp = store.isHealthy();
      } catch (RuntimeException e) {
        storeUp = false;
      }
      return storeUp
          ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready\n")
          : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "storage unavailable\n");
    }, ctx.blockingTaskExecutor()));
  }
}
