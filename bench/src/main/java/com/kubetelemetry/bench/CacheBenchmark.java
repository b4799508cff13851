/** `make bench` (third part): the query cache under a dashboard workload and a burst of 1,000 concurrent clients. */
package com.kubetelemetry.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.google.protobuf.Duration;
import com.kubetelemetry.api.v1.AttributeRef;
import com.kubetelemetry.api.v1.MetricQuery;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.SeriesAggregation;
import com.kubetelemetry.api.v1.SeriesLimit;
import com.kubetelemetry.api.v1.TemporalFunction;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.cache.CacheHeaders;
import com.kubetelemetry.cache.CacheMetrics;
import com.kubetelemetry.cache.CacheSource;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.Backend;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TelemetryServer;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Two server replicas share one embedded store and, when redis-server is installed, one Redis (L2). A simulated
 * clock drives a dashboard of 20 QueryRange panels refreshing every 10 s over a sliding 1-hour window for 10
 * minutes; refreshes go to the replicas in turn. The same dashboard runs first over a copy of the data under
 * another tenant, unmeasured, then bursts of that tenant's cached panels, so the measured runs start with the
 * request paths compiled (a long-running server's state). Then 1,000 concurrent clients ask cached panels. Prints
 * hit rates per level, p50/p99 of cached and uncached answers and the engine computations saved. Asserts nothing.
 */
public final class CacheBenchmark {
  private static final String TENANT = "bench";
  private static final String WARM_UP = "warm-up";
  private static final int PANELS = 20;
  private static final int SERIES = 20;
  private static final long REFRESH_SECONDS = 10;
  private static final long SIMULATED_SECONDS = 600;

  private CacheBenchmark() {}

  public static void main(String[] args) throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    Path dataDir = Files.createTempDirectory("cache-bench");
    Instant dataEnd = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), 60) * 60 - 60);
    Instant start = dataEnd.minusSeconds(SIMULATED_SECONDS);
    // The warm-up dashboard runs an hour earlier, so the simulated clock only ever moves forward.
    Instant warmStart = start.minusSeconds(3600);
    SimulatedClock clock = new SimulatedClock(warmStart);
    try (BenchRedis redis = BenchRedis.startIfInstalled()) {
      ServerConfig.CacheSection cache = ServerConfig.CacheSection.defaults()
          .withRedisUrl(redis == null ? "" : redis.url());
      ServerConfig config = IngestBenchmark.config(dataDir).withCache(cache);
      try (Backend backend = new StorageBackendFactory().open(config);
           TelemetryServer one = new TelemetryServer(config, backend, clock).start();
           TelemetryServer two = new TelemetryServer(config, Backend.borrowed(backend), clock).start()) {
        long t0 = System.nanoTime();
        load("http://127.0.0.1:" + one.port(), warmStart.minusSeconds(3600 + 300),
            warmStart.plusSeconds(SIMULATED_SECONDS), WARM_UP);
        load("http://127.0.0.1:" + one.port(), start.minusSeconds(3600 + 300), dataEnd, TENANT);
        System.out.printf("Cache benchmark: %d cores, L2 %s; loaded %,d metric points in %.1f s%n",
            Runtime.getRuntime().availableProcessors(), redis == null ? "off (redis-server not installed)"
                : "redis-server", 2 * 10L * SERIES * (3900 + SIMULATED_SECONDS) / 15, (System.nanoTime() - t0) / 1e9);
        // JIT warm-up: the same dashboard over a copy of the data under another tenant (other keys, same paths),
        // then bursts of its cached panels.
        dashboard(clock, warmStart, one, two, WARM_UP, new Timings(), new Timings(), new ArrayList<>());
        CacheBurst.warmUp(List.of(one.port(), two.port()), panels(), WARM_UP);
        Snapshot before = Snapshot.of(one.cache().metrics(), two.cache().metrics());
        Timings cached = new Timings();
        Timings engine = new Timings();
        List<long[]> idleBefore = new ArrayList<>();
        int requests = dashboard(clock, start, one, two, TENANT, cached, engine, idleBefore);
        Snapshot after = Snapshot.of(one.cache().metrics(), two.cache().metrics());
        report(requests, cached, engine, before, after);
        List<Integer> ports = List.of(one.port(), two.port());
        printLatency("  bare round trip, same idle time before each", bareRoundTrips(ports, idleBefore), "");
        CacheBurst.measure(List.of(one, two), panels(), TENANT);
      }
    } finally {
      IngestBenchmark.deleteTree(dataDir);
    }
  }

  /** The 20 panels: gauges and counter rates, aggregated by zone or per pod (top 10), at steps of 15 s to 60 s. */
  static List<QueryRangeRequest> panels() {
    List<QueryRangeRequest> out = new ArrayList<>();
    long[] steps = {15, 30, 60};
    for (int p = 0; p < PANELS; p++) {
      boolean gauge = p % 2 == 0;
      MetricQuery.Builder q = MetricQuery.newBuilder()
          .setMetricName((gauge ? "bench.cpu." : "bench.requests.") + (p / 2) % 5)
          .setTemporalFunction(gauge ? TemporalFunction.TEMPORAL_FUNCTION_AVG_OVER_TIME
              : TemporalFunction.TEMPORAL_FUNCTION_RATE);
      if (p < 10) {
        q.setAggregation(gauge ? SeriesAggregation.SERIES_AGGREGATION_AVG : SeriesAggregation.SERIES_AGGREGATION_SUM)
            .addGroupBy(AttributeRef.newBuilder().setKey("zone"));
      } else {
        q.setLimit(SeriesLimit.newBuilder().setMaxSeries(10));
      }
      out.add(QueryRangeRequest.newBuilder().setQuery(q).setTimeRange(TimeRange.newBuilder().setRelative("1h")
          .setStep(Duration.newBuilder().setSeconds(steps[p % 3]))).build());
    }
    return out;
  }

  /**
   * The dashboard for {@code tenant}: 20 panels every 10 simulated seconds for 10 minutes, each refresh sent to the
   * other replica, and the same panels uncached once a simulated minute. Returns the cached requests made; adds
   * to {@code idleBefore} the replica and the idle time before each of them.
   */
  private static int dashboard(SimulatedClock clock, Instant start, TelemetryServer one, TelemetryServer two,
      String tenant, Timings cached, Timings engine, List<long[]> idleBefore) {
    List<MetricsServiceGrpc.MetricsServiceBlockingStub> replicas = List.of(
        stub(one.port(), tenant, false), stub(two.port(), tenant, false));
    var uncached = stub(one.port(), tenant, true);
    List<QueryRangeRequest> panels = panels();
    int requests = 0;
    long lastEnd = System.nanoTime();
    for (long s = 0; s <= SIMULATED_SECONDS - REFRESH_SECONDS; s += REFRESH_SECONDS) {
      clock.set(start.plusSeconds(s));
      for (int p = 0; p < PANELS; p++) {
        int replica = (int) ((s / REFRESH_SECONDS + p) % 2);
        idleBefore.add(new long[] {replica, System.nanoTime() - lastEnd});
        cached.call(replicas.get(replica), panels.get(p));
        lastEnd = System.nanoTime();
        requests++;
      }
      // The 10 s between refreshes let background revalidations finish; the simulated clock skips that wait.
      one.cache().awaitRefreshes();
      two.cache().awaitRefreshes();
      if (s % 60 == 0) {
        for (int p = 0; p < PANELS; p++) {
          engine.call(uncached, panels.get(p));
        }
      }
      lastEnd = System.nanoTime();
    }
    return requests;
  }

  /**
   * The floor under a cached answer on this machine: a gRPC call that does no work (grpc.health.v1 Check) to the
   * same replicas, each after the idle time the dashboard left before its request. Thread wake-ups after idle
   * time, not the cache, make most of a cached answer's latency here.
   */
  private static List<Long> bareRoundTrips(List<Integer> ports, List<long[]> idleBefore) {
    List<HealthGrpc.HealthBlockingStub> stubs = ports.stream()
        .map(port -> GrpcClients.newClient("http://127.0.0.1:" + port, HealthGrpc.HealthBlockingStub.class))
        .toList();
    for (HealthGrpc.HealthBlockingStub stub : stubs) {
      stub.check(HealthCheckRequest.getDefaultInstance());
    }
    List<Long> out = new ArrayList<>();
    for (long[] call : idleBefore) {
      LockSupport.parkNanos(call[1]);
      long t = System.nanoTime();
      stubs.get((int) call[0]).check(HealthCheckRequest.getDefaultInstance());
      out.add(System.nanoTime() - t);
    }
    return out;
  }

  private static MetricsServiceGrpc.MetricsServiceBlockingStub stub(int port, String tenant, boolean noCache) {
    var b = GrpcClients.builder("http://127.0.0.1:" + port).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .maxResponseMessageLength(-1);
    if (noCache) {
      b.addHeader(CacheHeaders.CACHE_CONTROL, "no-cache");
    }
    return b.build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
  }

  /** Latencies by what served the answer. */
  private static final class Timings {
    private final Map<CacheSource, List<Long>> bySource = new EnumMap<>(CacheSource.class);

    synchronized void add(CacheSource source, long nanos) {
      bySource.computeIfAbsent(source, k -> new ArrayList<>()).add(nanos);
    }

    void call(MetricsServiceGrpc.MetricsServiceBlockingStub stub, QueryRangeRequest request) {
      try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
        long t = System.nanoTime();
        stub.queryRange(request);
        long elapsed = System.nanoTime() - t;
        String header = captor.get().log().whenComplete().join().responseHeaders().get(CacheSource.HEADER);
        add(source(header), elapsed);
      }
    }

    List<Long> of(CacheSource... sources) {
      List<Long> all = new ArrayList<>();
      for (CacheSource s : sources) {
        all.addAll(bySource.getOrDefault(s, List.of()));
      }
      return all;
    }

    int count(CacheSource s) {
      return bySource.getOrDefault(s, List.of()).size();
    }
  }

  private static CacheSource source(String header) {
    for (CacheSource s : CacheSource.values()) {
      if (s.header().equals(header)) {
        return s;
      }
    }
    return CacheSource.MISS;
  }

  /** Cache counters summed over the replicas. */
  private record Snapshot(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long l2Errors, long loads,
      long fallbacks, long refreshes, long refreshesShared) {
    static Snapshot of(CacheMetrics a, CacheMetrics b) {
      return new Snapshot(a.l1Hits() + b.l1Hits(), a.l1Misses() + b.l1Misses(), a.l2Hits() + b.l2Hits(),
          a.l2Misses() + b.l2Misses(), a.l2Errors() + b.l2Errors(), a.engineLoads() + b.engineLoads(),
          a.mergeFallbacks() + b.mergeFallbacks(), a.refreshes() + b.refreshes(),
          a.refreshesShared() + b.refreshesShared());
    }

    Snapshot minus(Snapshot o) {
      return new Snapshot(l1Hits - o.l1Hits, l1Misses - o.l1Misses, l2Hits - o.l2Hits, l2Misses - o.l2Misses,
          l2Errors - o.l2Errors, loads - o.loads, fallbacks - o.fallbacks, refreshes - o.refreshes,
          refreshesShared - o.refreshesShared);
    }
  }

  private static void report(int requests, Timings cached, Timings engine, Snapshot before, Snapshot after) {
    Snapshot d = after.minus(before);
    long lookups = d.l1Hits() + d.l1Misses();
    System.out.printf("%nDashboard: %d panels every %d s over a sliding 1 h window, %d simulated minutes, 2 "
        + "replicas: %d requests%n", PANELS, REFRESH_SECONDS, SIMULATED_SECONDS / 60, requests);
    int whole = cached.count(CacheSource.HIT_L1) + cached.count(CacheSource.HIT_L2);
    System.out.printf("  answers: hit-l1 %d, hit-l2 %d, partial %d, miss %d: %.1f%% served entirely from cache "
        + "(target hit rate >= 90%%)%n", cached.count(CacheSource.HIT_L1), cached.count(CacheSource.HIT_L2),
        cached.count(CacheSource.PARTIAL), cached.count(CacheSource.MISS), pct(whole, requests));
    System.out.printf("  lookups (answers and slices) %d: L1 hit rate %.1f%%, L2 hit rate %.1f%% of L1 misses, "
        + "overall %.1f%% (L2 errors %d, exact-merge fallbacks %d)%n", lookups, pct(d.l1Hits(), lookups),
        pct(d.l2Hits(), d.l2Hits() + d.l2Misses()), pct(d.l1Hits() + d.l2Hits(), lookups), d.l2Errors(),
        d.fallbacks());
    System.out.printf("  engine computations: %d for %d requests (uncached: %d): %.1f%% saved; background "
        + "refreshes %d computed, %d taken from the other replica's copy%n", d.loads(), requests, requests,
        pct(requests - d.loads(), requests), d.refreshes(), d.refreshesShared());
    printLatency("  served whole from cache (hit-l1/l2)", cached.of(CacheSource.HIT_L1, CacheSource.HIT_L2),
        "p50 <= 1 ms, p99 <= 5 ms");
    printLatency("    of which from L1", cached.of(CacheSource.HIT_L1), "");
    printLatency("    of which from L2 (Redis)", cached.of(CacheSource.HIT_L2), "");
    printLatency("  partial (cached buckets + fresh tail)", cached.of(CacheSource.PARTIAL), "");
    printLatency("  miss", cached.of(CacheSource.MISS), "");
    printLatency("  uncached (cache-control: no-cache)", engine.of(CacheSource.BYPASS), "");
  }

  static void printLatency(String what, List<Long> nanos, String target) {
    if (nanos.isEmpty()) {
      System.out.printf("%-44s none%n", what);
      return;
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("%-44s n=%5d  p50 %7.3f ms  p99 %7.3f ms  %s%n", what, sorted.length,
        sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.50))] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] / 1e6,
        target.isEmpty() ? "" : "(target " + target + ")");
  }

  private static double pct(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }

  /** 5 gauges and 5 cumulative counters, 20 pods in 4 zones, a point every 15 s over [from, to). */
  private static void load(String uri, Instant from, Instant to, String tenant) {
    var stub = GrpcClients.builder(uri).maxRequestMessageLength(-1)
        .build(io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    Random random = new Random(42);
    long startNanos = from.getEpochSecond() * 1_000_000_000L;
    for (int m = 0; m < 5; m++) {
      Gauge.Builder gauge = Gauge.newBuilder();
      Sum.Builder counter = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      for (int pod = 0; pod < SERIES; pod++) {
        List<KeyValue> attrs = List.of(text("pod", "pod-" + pod), text("zone", "z" + pod % 4));
        double total = 0;
        for (long t = from.getEpochSecond(); t < to.getEpochSecond(); t += 15) {
          long nanos = t * 1_000_000_000L;
          gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos)
              .setAsDouble(random.nextDouble() * 100 + pod).addAllAttributes(attrs));
          total += random.nextDouble() * 100;
          counter.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(startNanos).setTimeUnixNano(nanos)
              .setAsDouble(total).addAllAttributes(attrs));
        }
      }
      stub.export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "shop"))
              .addAttributes(text("tenant.id", tenant)))
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .addMetrics(Metric.newBuilder().setName("bench.cpu." + m).setUnit("%").setGauge(gauge))
              .addMetrics(Metric.newBuilder().setName("bench.requests." + m).setUnit("{request}").setSum(counter))))
          .build());
    }
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
