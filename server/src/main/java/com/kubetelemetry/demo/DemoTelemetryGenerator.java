/** Deterministic generator of realistic OTLP traces, metrics and logs for the simulated demo cluster. */
package com.kubetelemetry.demo;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Produces, tick by tick, the telemetry a small shop on Kubernetes would send. Everything derives from the seed and
 * the tick instants: the same seed, start and sequence of {@link #tick} instants give byte-identical requests.
 * Not thread-safe; {@link #tick} is synchronized so a single feeder and a test may share it safely.
 */
public final class DemoTelemetryGenerator {
  private final DemoCluster cluster;
  private final DemoSettings settings;
  private final Random random;
  private final DemoTraceSimulator traces;
  private final DemoLogWriter logWriter;
  private final DemoMetricsState metrics;
  private long lastNanos;

  private DemoTelemetryGenerator(DemoCluster cluster, DemoSettings settings, long seed, Instant start) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = new Random(seed);
    this.traces = new DemoTraceSimulator(cluster, random);
    this.logWriter = new DemoLogWriter(random);
    this.lastNanos = nanos(Objects.requireNonNull(start, "start"));
    this.metrics = new DemoMetricsState(cluster, random, lastNanos);
  }

  /** The shop cluster with default volumes (about 20 traces per second). */
  public static DemoTelemetryGenerator seeded(long seed, Instant start) {
    return new DemoTelemetryGenerator(DemoCluster.shop(), DemoSettings.defaults(), seed, start);
  }

  /** Any cluster and volume; the first tick covers the time from {@code start}. */
  public static DemoTelemetryGenerator create(DemoCluster cluster, DemoSettings settings, long seed, Instant start) {
    return new DemoTelemetryGenerator(cluster, settings, seed, start);
  }

  public DemoCluster cluster() {
    return cluster;
  }

  public DemoSettings settings() {
    return settings;
  }

  /** The end of the window the last tick covered (the start before the first tick). */
  public synchronized Instant lastTick() {
    return Instant.ofEpochSecond(0, lastNanos);
  }

  /**
   * Telemetry for the window from the previous tick (or the start) up to {@code now}: traces starting in the window
   * (a trace's last spans may end shortly after {@code now}), their logs, background logs, and metrics as of
   * {@code now}. The window is cut to {@link DemoSettings#maxCatchUp()}; a {@code now} not after the previous tick
   * gives an empty batch and does not move time back.
   */
  public synchronized DemoBatch tick(Instant now) {
    long toNanos = nanos(Objects.requireNonNull(now, "now"));
    DemoTickOutput out = new DemoTickOutput();
    if (toNanos <= lastNanos) {
      return new DemoBatch(
          out.traceRequest(), ExportMetricsServiceRequest.getDefaultInstance(), out.logRequest());
    }
    long fromNanos = Math.max(lastNanos, toNanos - settings.maxCatchUp().toNanos());
    lastNanos = toNanos;
    long window = toNanos - fromNanos;
    double seconds = window / 1e9;

    double restartChance = seconds / (settings.meanTimeBetweenRestarts().toNanos() / 1e9);
    if (random.nextDouble() < restartChance) {
      List<DemoPod> candidates = restartCandidates();
      DemoPod pod = candidates.get(random.nextInt(candidates.size()));
      metrics.restart(pod, fromNanos);
      logWriter.restartLogs(pod, fromNanos, out);
    }

    int count = poisson(settings.tracesPerSecond() * seconds);
    long[] starts = new long[count];
    for (int i = 0; i < count; i++) {
      starts[i] = fromNanos + (long) (random.nextDouble() * window);
    }
    Arrays.sort(starts);
    for (long start : starts) {
      traces.userRequest(start, out);
    }
    logWriter.backgroundLogs(cluster, fromNanos, toNanos, out);
    return new DemoBatch(out.traceRequest(), metrics.report(out, fromNanos, toNanos), out.logRequest());
  }

  /** Pods that may restart; the payment pods (a memory leak) appear several times, so they restart most often. */
  private List<DemoPod> restartCandidates() {
    List<DemoPod> candidates = new ArrayList<>();
    for (DemoService service : cluster.services()) {
      if (service.isDatabase()) {
        continue;
      }
      candidates.addAll(service.pods());
      if (service.name().equals("payment")) {
        candidates.addAll(service.pods());
        candidates.addAll(service.pods());
      }
    }
    return candidates.isEmpty() ? cluster.pods() : candidates;
  }

  /** A Poisson draw with mean {@code mean}: exact for small means, a normal approximation for large ones. */
  private int poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      return (int) Math.max(0, Math.round(mean + random.nextGaussian() * Math.sqrt(mean)));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int n = 0;
    while (product > limit) {
      product *= random.nextDouble();
      n++;
    }
    return n;
  }

  private static long nanos(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }
}
