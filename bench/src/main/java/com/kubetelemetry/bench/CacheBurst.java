/** The burst part of the cache benchmark: 1,000 concurrent clients, after bursts that warm the JIT. */
package com.kubetelemetry.bench;

import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.cache.CacheSource;
import com.kubetelemetry.server.TelemetryServer;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Clients are virtual threads released at once, each making a few blocking calls over the stubs of one or more
 * HTTP/2 connections per replica. Prints latencies, answers/s and process CPU per answer (clients included: they run
 * in this JVM, on the same cores).
 */
final class CacheBurst {
  private static final int CLIENTS = Integer.getInteger("bench.cacheClients", 1000);
  private static final int CALLS_PER_CLIENT = 5;
  /** HTTP/2 connections per replica in the burst (browsers each have their own; 1 = all clients share one). */
  private static final int BURST_CONNECTIONS = Integer.getInteger("bench.cacheConnections", 1);
  /**
   * The burst clients' HTTP/2 connection receive window: Envoy's default (256 MiB), as on the deployed path where
   * Envoy multiplexes the browsers' calls over its upstream connections. With a 1 MiB window (Armeria's default) the
   * 1,000 answers in flight (9 MB) wait for window updates, and the server shares the window fairly among them, so
   * an answer's latency grows with its size (p99 of a 21 KB answer 2.8x that of a 3 KB one).
   */
  private static final int CONNECTION_WINDOW = 256 << 20;
  private static final int WARM_UP_BURSTS = Integer.getInteger("bench.cacheWarmUpBursts", 20);

  private CacheBurst() {}

  /** Stubs for burst clients: each connection has its own client factory (one factory, one HTTP/2 connection). */
  private record BurstStubs(List<ClientFactory> factories, List<MetricsServiceGrpc.MetricsServiceBlockingStub> replicas,
      List<HealthGrpc.HealthBlockingStub> health) implements AutoCloseable {
    static BurstStubs connect(List<Integer> ports, String tenant) {
      List<ClientFactory> factories = new ArrayList<>();
      List<MetricsServiceGrpc.MetricsServiceBlockingStub> replicas = new ArrayList<>();
      List<HealthGrpc.HealthBlockingStub> health = new ArrayList<>();
      for (int c = 0; c < BURST_CONNECTIONS; c++) {
        ClientFactory factory = ClientFactory.builder().http2InitialConnectionWindowSize(CONNECTION_WINDOW).build();
        factories.add(factory);
        for (int port : ports) {
          replicas.add(GrpcClients.builder("http://127.0.0.1:" + port).factory(factory)
              .addHeader(TenantResolver.TENANT_HEADER, tenant).maxResponseMessageLength(-1)
              .build(MetricsServiceGrpc.MetricsServiceBlockingStub.class));
          health.add(GrpcClients.builder("http://127.0.0.1:" + port).factory(factory)
              .build(HealthGrpc.HealthBlockingStub.class));
        }
      }
      return new BurstStubs(factories, replicas, health);
    }

    @Override
    public void close() {
      factories.forEach(ClientFactory::close);
    }
  }

  /**
   * Bursts of cached panels under the warm-up tenant, so the JIT has compiled the request path as on a server that
   * has been answering dashboards for a while (measured: answers/s stops rising after 15-20 bursts of 5,000 calls,
   * from ~2,700 to 7,800-14,000). Prints the rate of each and the errors of its calls.
   */
  static void warmUp(List<Integer> ports, List<QueryRangeRequest> panels, String tenant) throws Exception {
    List<String> rates = new ArrayList<>();
    long errors = 0;
    try (BurstStubs stubs = BurstStubs.connect(ports, tenant)) {
      for (int round = 0; round < WARM_UP_BURSTS; round++) {
        BurstRun run = runBurst((client, random) -> stubs.replicas().get(client % stubs.replicas().size())
            .queryRange(panels.get(random.nextInt(panels.size()))));
        rates.add(String.format("%.0f", CLIENTS * CALLS_PER_CLIENT / run.seconds()));
        errors += run.errors();
      }
    }
    System.out.printf("JIT warm-up: %d bursts of cached panels (warm-up tenant, %d errors), answers/s: %s%n",
        WARM_UP_BURSTS, errors, String.join(", ", rates));
  }

  private static Map<CacheSource, Long> answersBySource(List<TelemetryServer> replicas) {
    Map<CacheSource, Long> out = new EnumMap<>(CacheSource.class);
    for (CacheSource source : CacheSource.values()) {
      out.put(source, replicas.stream().mapToLong(r -> r.cache().metrics().answers(source)).sum());
    }
    return out;
  }

  /** The measured burst under {@code tenant}: bare round trips first (the floor), then cached panels. */
  static void measure(List<TelemetryServer> replicas, List<QueryRangeRequest> panels, String tenant)
      throws Exception {
    List<Integer> ports = replicas.stream().map(TelemetryServer::port).toList();
    System.out.printf("%nBurst: %d concurrent clients x %d requests each over %d connection(s) per replica%n",
        CLIENTS, CALLS_PER_CLIENT, BURST_CONNECTIONS);
    try (BurstStubs stubs = BurstStubs.connect(ports, tenant)) {
      // The floor first: the same burst of calls that do no work (grpc.health.v1 Check).
      List<Long> bare = Collections.synchronizedList(new ArrayList<>());
      BurstRun floor = runBurst((client, random) -> {
        long t = System.nanoTime();
        stubs.health().get(client % stubs.health().size()).check(HealthCheckRequest.getDefaultInstance());
        bare.add(System.nanoTime() - t);
      });
      reportBurst("bare round trips", bare, null, floor);
      // 1,000 requests in flight answered within 50 ms is 20,000 answers/s: at most 100 us of CPU each on 2 cores.
      // Timed like the floor (no per-call header capture); what served the answers comes from the replicas' counters.
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      Map<Integer, List<Long>> byPanel = new ConcurrentHashMap<>();
      Map<CacheSource, Long> before = answersBySource(replicas);
      BurstRun cached = runBurst((client, random) -> {
        int panel = random.nextInt(panels.size());
        long t = System.nanoTime();
        stubs.replicas().get(client % stubs.replicas().size()).queryRange(panels.get(panel));
        long elapsed = System.nanoTime() - t;
        latencies.add(elapsed);
        byPanel.computeIfAbsent(panel, k -> Collections.synchronizedList(new ArrayList<>())).add(elapsed);
      });
      Map<CacheSource, Long> after = answersBySource(replicas);
      reportBurst("cached panels", latencies, "p99 <= 50 ms, no errors", cached);
      System.out.printf("    served by: %s%n", Arrays.stream(CacheSource.values())
          .map(source -> source.header() + " " + (after.get(source) - before.get(source)))
          .collect(Collectors.joining(", ")));
      reportBySize(stubs.replicas().get(0), panels, byPanel);
    }
  }

  /**
   * The burst's latency by answer size. It grows with the size when the connection window is smaller than the
   * answers in flight: the server then shares the window fairly among the streams, and big answers finish last.
   */
  private static void reportBySize(MetricsServiceGrpc.MetricsServiceBlockingStub stub, List<QueryRangeRequest> panels,
      Map<Integer, List<Long>> byPanel) {
    Map<Integer, List<Long>> bySize = new TreeMap<>();
    for (var e : byPanel.entrySet()) {
      int kb = (stub.queryRange(panels.get(e.getKey())).getSerializedSize() + 1023) / 1024;
      bySize.computeIfAbsent(kb, k -> new ArrayList<>()).addAll(e.getValue());
    }
    bySize.forEach((kb, nanos) -> CacheBenchmark.printLatency("    answers of " + kb + " KB", nanos, ""));
  }

  /** One client's call in a burst. */
  private interface BurstCall {
    void call(int client, Random random);
  }

  private record BurstRun(double seconds, long cpuNanos, long errors) {}

  /** Runs {@link #CLIENTS} virtual threads released at once, each making {@link #CALLS_PER_CLIENT} calls. */
  private static BurstRun runBurst(BurstCall call) throws Exception {
    AtomicLong errors = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    long t0;
    long cpu0;
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        done.add(clients.submit(() -> {
          go.await();
          Random random = new Random(client);
          for (int i = 0; i < CALLS_PER_CLIENT; i++) {
            try {
              call.call(client, random);
            } catch (RuntimeException e) {
              errors.incrementAndGet();
            }
          }
          return null;
        }));
      }
      t0 = System.nanoTime();
      cpu0 = processCpuNanos();
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
    return new BurstRun((System.nanoTime() - t0) / 1e9, processCpuNanos() - cpu0, errors.get());
  }

  private static void reportBurst(String what, List<Long> latencies, String target, BurstRun run) {
    CacheBenchmark.printLatency("  " + what, latencies, target == null ? "" : target);
    System.out.printf("    %d answers, %d errors, %.0f answers/s; CPU per answer (clients and both replicas) %.0f us, "
        + "%.1f of %d cores busy%n", latencies.size(), run.errors(), latencies.size() / run.seconds(),
        run.cpuNanos() / 1e3 / Math.max(1, latencies.size()), run.cpuNanos() / 1e9 / run.seconds(),
        Runtime.getRuntime().availableProcessors());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
