/** The order of a graceful stop: not ready, drain the server, stop demo data, close the backend (final flush). */
package com.kubetelemetry.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once, from the JVM shutdown hook (SIGTERM) or from a test. Every acknowledged export has its rows committed:
 * in-flight requests finish before the backend is closed, and closing the backend flushes the ingest buffer.
 */
public final class ShutdownSequence implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

  private final TelemetryServer server;
  private final DemoHook demo;
  private final Backend backend;
  private final AtomicBoolean ran = new AtomicBoolean();

  public ShutdownSequence(TelemetryServer server, DemoHook demo, Backend backend) {
    this.server = server;
    this.demo = demo;
    this.backend = backend;
  }

  @Override
  public void run() {
    if (!ran.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    LOG.info("shutting down: readiness off, draining requests");
    server.markNotReady();
    try {
      server.stop();
    } catch (RuntimeException e) {
      LOG.warn("server stop failed; closing the backend anyway", e);
    }
    try {
      demo.close();
    } catch (RuntimeException e) {
      LOG.warn("demo generator did not stop cleanly", e);
    }
    try {
      backend.close();
    } catch (RuntimeException e) {
      LOG.error("backend close failed: buffered rows may be lost", e);
    }
    LOG.info("stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
  }
}
