/** Starts the built-in demo cluster's telemetry when demo.enabled: back-fills recent history, then feeds live. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.demo.DemoDataFeeder;
import com.kubetelemetry.demo.DemoTelemetryGenerator;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started after the server is ready, closed before the backend so no demo export races the final flush. The
 * demo data goes through the same {@link com.kubetelemetry.ingest.OtlpIngest} as any OTLP client. History is
 * back-filled on a thread of its own so start-up is not delayed.
 */
public final class DemoHook implements AutoCloseable {
  /** How much history the demo writes at start, so charts are not empty. */
  static final Duration BACKFILL = Duration.ofMinutes(15);
  private static final long SEED = 42;
  private static final Logger LOG = LoggerFactory.getLogger(DemoHook.class);

  private final ServerConfig.DemoSection demo;
  private final Backend backend;
  private final Clock clock;
  private DemoDataFeeder feeder;
  private Thread starter;
  private volatile boolean closed;

  public DemoHook(ServerConfig.DemoSection demo, Backend backend) {
    this(demo, backend, Clock.systemUTC());
  }

  DemoHook(ServerConfig.DemoSection demo, Backend backend, Clock clock) {
    this.demo = demo;
    this.backend = backend;
    this.clock = clock;
  }

  public synchronized void start() {
    if (!demo.enabled() || feeder != null) {
      return;
    }
    DemoTelemetryGenerator generator = DemoTelemetryGenerator.seeded(SEED, clock.instant().minus(BACKFILL));
    feeder = new DemoDataFeeder(generator, backend.ingest(), clock, demo.interval());
    DemoDataFeeder started = feeder;
    starter = Thread.ofPlatform().name("demo-backfill").daemon(true).start(() -> {
      int batches = started.catchUp(Duration.ofSeconds(10));
      if (closed) {
        return;
      }
      started.start();
      LOG.info("demo data: back-filled {} of history in {} batches, now sending every {}", BACKFILL, batches,
          demo.interval());
    });
  }

  @Override
  public synchronized void close() {
    if (feeder == null) {
      return;
    }
    closed = true;
    feeder.stop(); // ends a back-fill in progress after its current batch
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    feeder.stop(); // the back-fill thread may have started live ticking meanwhile
  }
}
