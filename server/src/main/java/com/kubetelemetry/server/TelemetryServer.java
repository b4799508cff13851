/** The Armeria server: gRPC/gRPC-Web API, reflection, health and OTLP on the main port, plus the OTLP ports. */
package com.kubetelemetry.server;

import com.kubetelemetry.admin.AdminGrpcService;
import com.kubetelemetry.admin.ServerInfo;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.cache.QueryCache;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.otlp.OtlpGrpcServices;
import com.kubetelemetry.ingest.otlp.OtlpHttpService;
import com.kubetelemetry.ingest.otlp.OtlpJson;
import com.kubetelemetry.k8s.KubernetesCollection;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.read.ReadServices;
import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.telemetry.PrometheusEndpoint;
import com.kubetelemetry.webui.WebUiService;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.util.BlockingTaskExecutor;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.grpc.protocol.GrpcHeaderNames;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.encoding.DecodingService;
import com.linecorp.armeria.server.grpc.GrpcHealthCheckService;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Main port: every gRPC service in all serialization formats (gRPC, gRPC-Web, gRPC-Web-text, and unframed JSON or
 * protobuf POSTs to {@code /telemetry.v1.<Service>/<Method>}), server reflection
 * (v1), grpc.health.v1, the OTLP collector services, {@code /healthz} and {@code /readyz}. The OTLP/gRPC port serves
 * the collector services and health; the OTLP/HTTP port serves {@code POST /v1/traces|metrics|logs}. Requests over
 * {@code ingest.maxMessageBytes} fail with RESOURCE_EXHAUSTED (gRPC) or 413 (HTTP). The backend is not owned:
 * {@link #stop()} drains requests and leaves closing the backend to the caller ({@link ShutdownSequence}).
 */
public final class TelemetryServer implements AutoCloseable {
  /** How long the server must see no new request before it stops early (below the grace period). */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(200);
  /**
   * gRPC ports put no limit on the HTTP body: the gRPC deframer enforces {@code maxRequestMessageLength} per message
   * and answers RESOURCE_EXHAUSTED (an HTTP-level limit would reset the stream, which clients see as UNKNOWN).
   */
  private static final long GRPC_HTTP_LIMIT = 0;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Threads that run gRPC handlers (and so the engine calls). They are created once and never time out: Armeria's
   * default pool starts a new thread for each of its first 200 tasks and retires idle ones after 60 s, and libchdb
   * spends about 10 ms setting itself up on every thread that calls it for the first time.
   */
  static final int BLOCKING_THREADS = 32;

  private final ServerConfig config;
  private final Readiness readiness;
  private final ReadServices reads;
  private final java.util.Optional<KubernetesCollection> kubernetes;
  private final QueryCache cache;
  private final Server main;
  private final Server otlpGrpc;
  private final Server otlpHttp;

  /** Builds the servers; nothing listens until {@link #start()}. Throws when auth is enabled (not implemented). */
  public TelemetryServer(ServerConfig config, Backend backend) {
    this(config, backend, Clock.systemUTC());
  }

  /** As above, with the read services' clock (what "now" is for relative ranges and the cache): benchmarks. */
  public TelemetryServer(ServerConfig config, Backend backend, Clock readClock) {
    this.config = config;
    TenantResolver tenants = new TenantResolver(config.auth());
    this.readiness = new Readiness(backend.store());
    OtlpGrpcServices otlp = new OtlpGrpcServices(backend.ingest(), tenants);
    ServerInfo info = new ServerInfo(ServerInfo.buildVersion(), backend.store(), backend.stats(), Clock.systemUTC());

    List<BindableService> mainServices = new ArrayList<>(otlp.services());
    mainServices.add(new AdminGrpcService(info));
    ReadContext readContext = ReadContext.of(config, backend.store(), readClock);
    this.cache = QueryCache.create(config.cache(), OtelSchema.latestVersion(readContext.schema()), readClock,
        readContext.activity());
    this.reads = new ReadServices(readContext, cache);
    mainServices.addAll(reads.services());
    this.kubernetes = KubernetesCollection.open(config, backend.store());
    mainServices.add(ProtoReflectionServiceV1.newInstance());
    HttpService webUi = WebUiService.of(config.server().webUiDirectory());
    ServerBuilder mainBuilder = baseBuilder(config.server().port(), GRPC_HTTP_LIMIT)
        .service(grpcService(mainServices))
        .service("/healthz", readiness.liveness())
        .service("/readyz", readiness.readiness())
        .service("/metrics", new PrometheusEndpoint(List.of(cache.metrics()::writePrometheus)).serviceBeside(webUi))
        // The dashboard: a catch-all prefix, so every exact route above (the API, health) is matched first.
        .serviceUnder("/", webUi);
    this.main = withCors(mainBuilder).build();

    int grpcPort = config.server().otlpGrpcPort();
    this.otlpGrpc = grpcPort == ServerConfig.DISABLED_PORT ? null
        : baseBuilder(grpcPort, GRPC_HTTP_LIMIT).service(grpcService(otlp.services())).build();

    int httpPort = config.server().otlpHttpPort();
    if (httpPort == ServerConfig.DISABLED_PORT) {
      this.otlpHttp = null;
    } else {
      OtlpJson json = new OtlpJson();
      Function<? super HttpService, ? extends HttpService> gunzip = DecodingService.newDecorator();
      ServerBuilder httpBuilder = baseBuilder(httpPort, config.ingest().maxMessageBytes())
          .service("/v1/traces", OtlpHttpService.traces(backend.ingest(), tenants, json).decorate(gunzip))
          .service("/v1/metrics", OtlpHttpService.metrics(backend.ingest(), tenants, json).decorate(gunzip))
          .service("/v1/logs", OtlpHttpService.logs(backend.ingest(), tenants, json).decorate(gunzip));
      this.otlpHttp = withCors(httpBuilder).build();
    }
  }

  private ServerBuilder baseBuilder(int port, long maxRequestLength) {
    Duration grace = config.server().shutdownGracePeriod();
    Duration quiet = grace.compareTo(QUIET_PERIOD) < 0 ? grace : QUIET_PERIOD;
    return Server.builder()
        .http(new InetSocketAddress(config.server().host(), port))
        .maxRequestLength(maxRequestLength)
        .blockingTaskExecutor(BlockingTaskExecutor.builder()
            .numThreads(BLOCKING_THREADS)
            .keepAliveTime(Duration.ZERO)
            .threadNamePrefix("api-blocking-" + port)
            .build(), true)
        .requestTimeout(REQUEST_TIMEOUT)
        .gracefulShutdownTimeout(quiet, grace);
  }

  private GrpcService grpcService(List<BindableService> services) {
    var builder = GrpcService.builder()
        .supportedSerializationFormats(GrpcSerializationFormats.values())
        .maxRequestMessageLength((int) config.ingest().maxMessageBytes())
        .useBlockingTaskExecutor(true)
        // Plain HTTP POST of a JSON or protobuf body to /<service>/<method>: curl and scripts need no gRPC framing.
        .enableUnframedRequests(true)
        .addService(GrpcHealthCheckService.builder().checkers(readiness.healthChecker()).build());
    services.forEach(builder::addService);
    return builder.build();
  }

  private ServerBuilder withCors(ServerBuilder builder) {
    List<String> origins = config.server().corsAllowedOrigins();
    if (origins.isEmpty()) {
      return builder;
    }
    return builder.decorator(CorsService.builder(origins)
        .allowRequestMethods(HttpMethod.POST, HttpMethod.GET)
        .allowRequestHeaders("x-grpc-web", "content-type", "x-user-agent", "grpc-timeout",
            HttpHeaderNames.CONTENT_ENCODING.toString())
        .exposeHeaders(GrpcHeaderNames.GRPC_STATUS, GrpcHeaderNames.GRPC_MESSAGE)
        .maxAge(600)
        .newDecorator());
  }

  /** Starts listening on every configured port; returns when all are bound. */
  public TelemetryServer start() {
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (Server s : servers()) {
      starts.add(s.start());
    }
    try {
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    return this;
  }

  /** The main port actually bound (useful when configured as 0). */
  public int port() {
    return main.activeLocalPort();
  }

  /** The OTLP/gRPC port actually bound, or -1 when disabled. */
  public int otlpGrpcPort() {
    return otlpGrpc == null ? ServerConfig.DISABLED_PORT : otlpGrpc.activeLocalPort();
  }

  /** The OTLP/HTTP port actually bound, or -1 when disabled. */
  public int otlpHttpPort() {
    return otlpHttp == null ? ServerConfig.DISABLED_PORT : otlpHttp.activeLocalPort();
  }

  /** True while not stopping and the store answers (what /readyz reports). */
  /** The read services this server serves. */
  public ReadServices reads() {
    return reads;
  }

  public boolean isReady() {
    return readiness.isReady();
  }

  /** Readiness goes false (/readyz 503, grpc health NOT_SERVING); requests are still served. */
  public void markNotReady() {
    readiness.markStopping();
  }

  /**
   * Graceful stop: readiness false, stop accepting, wait for in-flight requests up to
   * {@code server.shutdownGracePeriod}, then close the ports. Idempotent; does not close the backend.
   */
  public void stop() {
    markNotReady();
    reads.close();
    kubernetes.ifPresent(KubernetesCollection::close);
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (Server s : servers()) {
      stops.add(s.stop());
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    cache.close();
  }

  /** The query cache of this server's read services (its metrics are served at {@code /metrics}). */
  public QueryCache cache() {
    return cache;
  }

  /** Completes when readiness goes false (shutdown began): lets tests order events without sleeping. */
  CompletableFuture<Void> whenNotReady() {
    CompletableFuture<Void> notReady = new CompletableFuture<>();
    readiness.healthChecker().addListener(checker -> {
      if (!checker.isHealthy()) {
        notReady.complete(null);
      }
    });
    if (!readiness.healthChecker().isHealthy()) {
      notReady.complete(null);
    }
    return notReady;
  }

  @Override
  public void close() {
    stop();
  }

  private List<Server> servers() {
    List<Server> all = new ArrayList<>();
    all.add(main);
    if (otlpGrpc != null) {
      all.add(otlpGrpc);
    }
    if (otlpHttp != null) {
      all.add(otlpHttp);
    }
    return all;
  }
}
