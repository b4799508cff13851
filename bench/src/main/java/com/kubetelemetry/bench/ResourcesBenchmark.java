/** `make bench` (resources part): ListResources with a label selector and GetResourceHistory on 100k objects. */
package com.kubetelemetry.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.kubetelemetry.api.v1.GetResourceHistoryRequest;
import com.kubetelemetry.api.v1.ListResourcesRequest;
import com.kubetelemetry.api.v1.PageRequest;
import com.kubetelemetry.api.v1.ResourceKey;
import com.kubetelemetry.api.v1.ResourcesServiceGrpc;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.resources.LabelSelectorParser;
import com.kubetelemetry.query.resources.ResourceListing;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.schema.ResourceTablesDdl;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.server.Backend;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TelemetryServer;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.Store;
import com.linecorp.armeria.client.grpc.GrpcClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Generates 100,000 objects (Pods, Deployments, Services, ConfigMaps and a custom Widget kind in 50 namespaces)
 * with 10 versions each in the engine (1M history rows, 100k current rows), starts the real server on it, then
 * prints p50/p99 of the API calls next to their SQL run straight on the store. Prints numbers only.
 */
public final class ResourcesBenchmark {
  static final String TENANT = "bench";
  static final int OBJECTS = 100_000;
  static final int VERSIONS = 10;
  private static final int ITERATIONS = Integer.getInteger("bench.iterations", 100);

  private ResourcesBenchmark() {}

  public static void main(String[] args) throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    Path dataDir = Files.createTempDirectory("resources-bench");
    ServerConfig base = IngestBenchmark.config(dataDir);
    ServerConfig config = base.withKubernetes(new ServerConfig.KubernetesSection(ServerConfig.KubernetesMode.FALSE,
        "", List.of(), Duration.ZERO, "", "default"));
    try (Backend backend = new StorageBackendFactory().open(config);
         TelemetryServer server = new TelemetryServer(config, backend).start()) {
      Store store = backend.store();
      ReadContext context = ReadContext.of(config, store, Clock.systemUTC());
      long t0 = System.nanoTime();
      load(store, context.schema(), Instant.now());
      System.out.printf("Resources benchmark: %d cores, %s engine %s; generated %,d objects x %d versions in %.1f s%n",
          Runtime.getRuntime().availableProcessors(), store.kind(), store.engineVersion(), OBJECTS, VERSIONS,
          (System.nanoTime() - t0) / 1e9);
      String uri = "http://127.0.0.1:" + server.port();
      var api = GrpcClients.builder(uri).addHeader(TenantResolver.TENANT_HEADER, TENANT)
          .maxResponseMessageLength(-1).build(ResourcesServiceGrpc.ResourcesServiceBlockingStub.class);
      ResourceQueryCompiler compiler = new ResourceQueryCompiler(context.schema(), context.limits());
      TenantId tenant = new TenantId(TENANT);
      LatencyComparison timing = new LatencyComparison(10, ITERATIONS);
      LatencyComparison.printHeader();

      int[] n = {0, 1};
      timing.compare("ListResources Pod, ns, app=..,tier in (..)",
          () -> api.listResources(ListResourcesRequest.newBuilder().setKind("Pod")
              .setNamespace("ns-" + (n[0]++ % 50)).setLabelSelector("app=app-" + (n[0] % 100) + ",tier in (front)")
              .build()),
          () -> EngineRows.run(store, compiler.list(tenant, new ResourceListing("Pod", "", "ns-" + (n[1]++ % 50),
              LabelSelectorParser.parse("app=app-" + (n[1] % 100) + ",tier in (front)", "s"), List.of(), "", 0,
              null))), "<= 50ms");
      timing.compare("ListResources Pod, all ns, tier=front, 100",
          () -> api.listResources(ListResourcesRequest.newBuilder().setKind("Pod").setLabelSelector("tier=front")
              .setPage(PageRequest.newBuilder().setPageSize(100)).build()),
          () -> EngineRows.run(store, compiler.list(tenant, new ResourceListing("Pod", "", "",
              LabelSelectorParser.parse("tier=front", "s"), List.of(), "", 100, null))), "<= 50ms");
      int[] h = {0, OBJECTS / 2};
      timing.compare("GetResourceHistory (10 versions + patches)",
          () -> api.getResourceHistory(GetResourceHistoryRequest.newBuilder().setKey(key(h[0]++ * 7919)).build()),
          () -> EngineRows.run(store, compiler.history(tenant, protoKey(h[1]++ * 7919), null, null, 0)), "<= 50ms");
    }
  }

  /** Object {@code o} (mod OBJECTS) as the generator names it. */
  private static ResourceKey key(int o) {
    int obj = Math.floorMod(o, OBJECTS);
    String kind = KINDS.get(obj % KINDS.size());
    return ResourceKey.newBuilder().setKind(kind).setNamespace("ns-" + (obj % 50))
        .setName(kind.toLowerCase() + "-" + obj).build();
  }

  private static com.kubetelemetry.query.resources.ResourceKey protoKey(int o) {
    ResourceKey k = key(o);
    return new com.kubetelemetry.query.resources.ResourceKey(k.getKind(), "", k.getNamespace(), k.getName(), "");
  }

  private static final List<String> KINDS = List.of("Pod", "Pod", "Pod", "Deployment", "Service", "ConfigMap",
      "Widget");

  /** 1M history rows by INSERT ... SELECT FROM numbers(), then the newest version of each into current. */
  static void load(Store store, SchemaOptions schema, Instant end) {
    long endNanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
    long step = 86_400_000_000_000L / ((long) OBJECTS * VERSIONS);
    String select = "SELECT {tenant:String}, '', fromUnixTimestamp64Nano(toInt64({start:Int64} + rv * " + step
        + ")), if(v = 0, 'ADDED', 'MODIFIED'), if(kind = 'Widget', 'example.com', if(kind = 'Deployment', 'apps', "
        + "'')), 'v1', kind, ns, name, concat('uid-', toString(o)), toString(rv), rv, 0,\n"
        + "  map('app', concat('app-', toString(o % 100)), 'tier', if(o % 3 = 0, 'front', 'back'), 'version', "
        + "toString(v)), map('bench', 'yes'), [], [], [], [], if(v = 9, 'Running', 'Pending'), ['Ready'], "
        + "[if(v = 9, 'True', 'False')], [''], [''],\n"
        + "  concat('{\"apiVersion\":\"v1\",\"kind\":\"', kind, '\",\"metadata\":{\"name\":\"', name, "
        + "'\",\"namespace\":\"', ns, '\",\"uid\":\"uid-', toString(o), '\",\"resourceVersion\":\"', toString(rv), "
        + "'\",\"labels\":{\"app\":\"app-', toString(o % 100), '\",\"version\":\"', toString(v), '\"}},"
        + "\"spec\":{\"replicas\":', toString(v % 4), ',\"image\":\"registry/app:', toString(v), '\"},"
        + "\"status\":{\"phase\":\"', if(v = 9, 'Running', 'Pending'), '\"}}')\n"
        + "FROM (SELECT number, intDiv(number, " + VERSIONS + ") AS o, number % " + VERSIONS + " AS v, "
        + "v * " + OBJECTS + " + o + 1 AS rv, "
        + "arrayElement(['Pod', 'Pod', 'Pod', 'Deployment', 'Service', 'ConfigMap', 'Widget'], o % 7 + 1) AS kind, "
        + "concat('ns-', toString(o % 50)) AS ns, concat(lower(kind), '-', toString(o)) AS name "
        + "FROM numbers(" + (long) OBJECTS * VERSIONS + "))";
    String history = schema.qualified(ResourceTablesDdl.HISTORY);
    store.execute(List.of(
        new Sql("INSERT INTO " + history + "\n" + select, List.of(new Param("tenant", "String", TENANT),
            new Param("start", "Int64", endNanos - 86_400_000_000_000L)), java.util.Map.of()),
        Sql.of("INSERT INTO " + schema.qualified(ResourceTablesDdl.CURRENT) + " SELECT * FROM " + history
            + " WHERE TenantId = {tenant:String} AND ResourceVersionNumber > {from:UInt64}",
            new Param("tenant", "String", TENANT), new Param("from", "UInt64", (long) (VERSIONS - 1) * OBJECTS)),
        Sql.of("OPTIMIZE TABLE " + history + " FINAL"),
        Sql.of("OPTIMIZE TABLE " + schema.qualified(ResourceTablesDdl.CURRENT) + " FINAL")));
  }
}
