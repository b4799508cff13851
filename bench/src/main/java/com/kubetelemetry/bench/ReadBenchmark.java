/** `make bench` (second part): read API latency on 10M spans and 10M metric points, next to the raw SQL's. */
package com.kubetelemetry.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.kubetelemetry.api.v1.AttributeMatcher;
import com.kubetelemetry.api.v1.AttributeRef;
import com.kubetelemetry.api.v1.GetServiceGraphRequest;
import com.kubetelemetry.api.v1.ListAttributeKeysRequest;
import com.kubetelemetry.api.v1.ListAttributeValuesRequest;
import com.kubetelemetry.api.v1.ListMetricsRequest;
import com.kubetelemetry.api.v1.MetricQuery;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.SeriesAggregation;
import com.kubetelemetry.api.v1.TemporalFunction;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetTraceRequest;
import com.kubetelemetry.api.v1.ListOperationsRequest;
import com.kubetelemetry.api.v1.ListServicesRequest;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.metrics.MetricsGrpcService;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TraceSearch;
import com.kubetelemetry.query.TraceSearchCompiler;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.server.Backend;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TelemetryServer;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.traces.TraceReadPlanner;
import com.kubetelemetry.traces.TraceSearches;
import com.linecorp.armeria.client.grpc.GrpcClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Starts the real server on a temporary embedded store, generates the data in the engine ({@link ReadBenchData}),
 * then for each API call prints p50/p99 through gRPC and of the same statements run directly on the store, and
 * their ratio. Prints numbers only; it asserts nothing.
 */
public final class ReadBenchmark {
  private static final TenantId TENANT = new TenantId(ReadBenchData.TENANT);
  private static final int ITERATIONS = Integer.getInteger("bench.iterations", 50);

  private ReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    // -Dbench.dataDir=DIR keeps the generated data between runs (loaded only when DIR has none yet).
    String kept = System.getProperty("bench.dataDir");
    Path dataDir = kept != null ? Path.of(kept) : Files.createTempDirectory("read-bench");
    // The engine path is measured: the query cache (CacheBenchmark measures it) would answer repeated calls.
    ServerConfig config = IngestBenchmark.config(dataDir).withCache(new ServerConfig.CacheSection(false, 0, "",
        java.time.Duration.ZERO, java.time.Duration.ofHours(1), java.time.Duration.ZERO,
        java.time.Duration.ofMillis(50), 30));
    try (Backend backend = new StorageBackendFactory().open(config);
         TelemetryServer server = new TelemetryServer(config, backend).start()) {
      Store store = backend.store();
      ReadContext context = ReadContext.of(config, store, Clock.systemUTC());
      long t0 = System.nanoTime();
      if (!ReadBenchData.loaded(store, context.schema())) {
        new ReadBenchData(context.schema(), Instant.now()).load(store);
      }
      System.out.printf("Read API benchmark: %d cores, %s engine %s; generated %,d spans and %,d metric points in "
          + "%.1f s%n", Runtime.getRuntime().availableProcessors(), store.kind(), store.engineVersion(),
          (long) ReadBenchData.TRACES * ReadBenchData.SPANS_PER_TRACE,
          2L * ReadBenchData.SERIES * ReadBenchData.POINTS_PER_SERIES, (System.nanoTime() - t0) / 1e9);
      String uri = "http://127.0.0.1:" + server.port();
      warmTransport(uri);
      LatencyComparison timing = new LatencyComparison(10, ITERATIONS);
      LatencyComparison.printHeader();

      var traces = GrpcClients.builder(uri).addHeader(TenantResolver.TENANT_HEADER, TENANT.tenant())
          .maxResponseMessageLength(-1).build(TracesServiceGrpc.TracesServiceBlockingStub.class);
      TraceSearches searches = new TraceSearches(store, new TraceSearchCompiler(context.schema(), context.ranges(),
          context.limits()));
      SearchTracesRequest search = SearchTracesRequest.newBuilder().setServiceName("svc-3")
          .setTimeRange(TimeRange.newBuilder().setRelative("24h"))
          .addMatchers(AttributeMatcher.newBuilder().setKey("http.status_code").setValue("500")).build();
      // The search's statements depend on each other's results: its raw run executes the same three statements.
      TraceSearch sameSearch = TraceSearch.all().withService("svc-3")
          .withTimeRange(com.kubetelemetry.query.TimeRange.last("24h"))
          .withMatchers(List.of(com.kubetelemetry.query.AttributeMatcher.of(Target.ITEM, "http.status_code", Op.EQ,
              "500")));
      timing.compare("SearchTraces svc + attribute, 24h", () -> traces.searchTraces(search),
          () -> searches.run(TENANT, sameSearch), "<= 300ms");

      TraceReadPlanner tracePlans = new TraceReadPlanner(context);
      List<String> traceIds = new ArrayList<>();
      for (int n = 0; n < 200; n++) {
        traceIds.add(ReadBenchData.traceId(store, n * 4_999));
      }
      // Each call fetches another trace (API and raw from different halves of the list), so no cache below the
      // API answers twice from the same rows.
      int[] next = {0, traceIds.size() / 2};
      timing.compare("GetTrace (10 spans), random trace",
          () -> traces.getTrace(GetTraceRequest.newBuilder()
              .setTraceId(traceIds.get(next[0]++ % traceIds.size())).build()),
          () -> rawNow(store, tracePlans.planGetTrace(TENANT, GetTraceRequest.newBuilder()
              .setTraceId(traceIds.get(next[1]++ % traceIds.size())).build())), "<= 50ms");
      ListOperationsRequest operations = ListOperationsRequest.newBuilder().setServiceName("svc-7")
          .setTimeRange(TimeRange.newBuilder().setRelative("24h")).build();
      timing.compare("ListOperations one service, 24h", () -> traces.listOperations(operations),
          raw(store, () -> tracePlans.planListOperations(TENANT, operations)), "");
      ListServicesRequest services = ListServicesRequest.newBuilder()
          .setTimeRange(TimeRange.newBuilder().setRelative("1h")).build();
      timing.compare("ListServices, 1h", () -> traces.listServices(services),
          raw(store, () -> tracePlans.planListServices(TENANT, services)), "");
      GetSpanMetricsRequest spanMetrics = GetSpanMetricsRequest.newBuilder().setServiceName("svc-7")
          .setTimeRange(TimeRange.newBuilder().setRelative("24h")).build();
      timing.compare("GetSpanMetrics one service, 24h", () -> traces.getSpanMetrics(spanMetrics),
          raw(store, () -> tracePlans.planSpanMetrics(TENANT, spanMetrics)), "");
      GetServiceGraphRequest graph = GetServiceGraphRequest.newBuilder()
          .setTimeRange(TimeRange.newBuilder().setRelative("15m")).build();
      timing.compare("GetServiceGraph, 15m", () -> traces.getServiceGraph(graph),
          raw(store, () -> tracePlans.planServiceGraph(TENANT, graph)), "");
      metricCases(uri, context, timing);
      // About the engine time of the autocomplete calls, where a fixed cost weighs most in the ratio.
      RoundTripFloor.print(uri, 7);
    } finally {
      if (kept == null) {
        IngestBenchmark.deleteTree(dataDir);
      }
    }
  }

  /**
   * A server that has run for a while has its request path compiled by the JIT; a fresh JVM interprets it for the
   * first thousand calls or so (measured: 12.9 ms per failing call for the first 200, 0.6 ms after 2,500). Calls
   * that fail validation exercise the whole transport without engine work.
   */
  private static void warmTransport(String uri) {
    var traces = GrpcClients.builder(uri).build(TracesServiceGrpc.TracesServiceBlockingStub.class);
    SearchTracesRequest invalid = SearchTracesRequest.newBuilder()
        .setTimeRange(TimeRange.newBuilder().setRelative("not a range")).build();
    for (int i = 0; i < 3000; i++) {
      try {
        traces.searchTraces(invalid);
      } catch (io.grpc.StatusRuntimeException expected) {
        // INVALID_ARGUMENT, as intended
      }
    }
  }

  /** QueryRange over 24 hours (500k points of one metric): a gauge (served from the rollup) and a counter rate. */
  private static void metricCases(String uri, ReadContext context, LatencyComparison timing) {
    var metrics = GrpcClients.builder(uri).addHeader(TenantResolver.TENANT_HEADER, TENANT.tenant())
        .maxResponseMessageLength(-1).build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    MetricsGrpcService plans = new MetricsGrpcService(context);
    TimeRange day = TimeRange.newBuilder().setRelative("24h")
        .setStep(com.google.protobuf.Duration.newBuilder().setSeconds(300)).build();
    AttributeRef zone = AttributeRef.newBuilder().setKey("zone").build();
    QueryRangeRequest gauge = QueryRangeRequest.newBuilder().setTimeRange(day).setQuery(MetricQuery.newBuilder()
        .setMetricName("bench.gauge.3").setTemporalFunction(TemporalFunction.TEMPORAL_FUNCTION_AVG_OVER_TIME)
        .setAggregation(SeriesAggregation.SERIES_AGGREGATION_AVG).addGroupBy(zone)).build();
    timing.compare("QueryRange gauge avg by zone, 24h/5m", () -> metrics.queryRange(gauge),
        rawAfterLookup(context.store(), () -> plans.planQueryRange(TENANT, gauge)), "<= 100ms");
    QueryRangeRequest rate = QueryRangeRequest.newBuilder().setTimeRange(day).setQuery(MetricQuery.newBuilder()
        .setMetricName("bench.requests.3").setTemporalFunction(TemporalFunction.TEMPORAL_FUNCTION_RATE)
        .setAggregation(SeriesAggregation.SERIES_AGGREGATION_SUM).addGroupBy(zone)).build();
    timing.compare("QueryRange counter rate by zone, 24h/5m", () -> metrics.queryRange(rate),
        rawAfterLookup(context.store(), () -> plans.planQueryRange(TENANT, rate)), "<= 100ms");
    TimeRange sixHours = TimeRange.newBuilder().setRelative("6h").build();
    ListAttributeKeysRequest keys = ListAttributeKeysRequest.newBuilder().setTimeRange(sixHours)
        .setMetricName("bench.gauge.3").build();
    timing.compare("ListAttributeKeys (autocomplete), 6h", () -> metrics.listAttributeKeys(keys),
        raw(context.store(), () -> plans.catalog().planListAttributeKeys(TENANT, keys)), "<= 50ms");
    ListAttributeValuesRequest values = ListAttributeValuesRequest.newBuilder().setTimeRange(sixHours)
        .setMetricName("bench.gauge.3").setKey("pod").setPrefix("pod-1").build();
    timing.compare("ListAttributeValues (autocomplete), 6h", () -> metrics.listAttributeValues(values),
        raw(context.store(), () -> plans.catalog().planListAttributeValues(TENANT, values)), "<= 50ms");
    ListMetricsRequest list = ListMetricsRequest.newBuilder().setTimeRange(sixHours).setNamePrefix("bench.req")
        .build();
    timing.compare("ListMetrics prefix, 6h", () -> metrics.listMetrics(list),
        raw(context.store(), () -> plans.catalog().planListMetrics(TENANT, list)), "<= 50ms");
    QueryRangeRequest perSeries = QueryRangeRequest.newBuilder().setTimeRange(TimeRange.newBuilder()
        .setRelative("1h")).setQuery(MetricQuery.newBuilder().setMetricName("bench.gauge.5")).build();
    timing.compare("QueryRange gauge per series, 1h", () -> metrics.queryRange(perSeries),
        rawAfterLookup(context.store(), () -> plans.planQueryRange(TENANT, perSeries)), "");
  }

  /**
   * For QueryRange: planning already runs the metric lookup (its first statement) on the engine to choose the
   * table, as the API does, so only the statements after it run again.
   */
  private static Runnable rawAfterLookup(Store store, Supplier<List<PlannedStatement>> plan) {
    return () -> {
      List<PlannedStatement> planned = plan.get();
      rawNow(store, planned.subList(1, planned.size()));
    };
  }

  /** Runs freshly planned statements once (for calls whose parameters change every iteration). */
  private static void rawNow(Store store, List<PlannedStatement> statements) {
    for (PlannedStatement p : statements) {
      store.query(EngineRows.withOutputSettings(p.sql()), EngineRows.FORMAT);
    }
  }

  /**
   * Plans the statements again on every run, as the API does, and runs them straight on the store in the output
   * format the services read. Relative ranges then end at the current instant on both sides: statements compiled
   * once repeat the same constants, which the engine's query condition cache answers faster (0.7 ms of a 6 ms
   * catalog query, measured), a speed-up no API call with a relative range gets.
   */
  private static Runnable raw(Store store, Supplier<List<PlannedStatement>> plan) {
    return () -> rawNow(store, plan.get());
  }
}
