/** `make bench`: OTLP ingest throughput end to end against the raw engine insert rate, measured in one run. */
package com.kubetelemetry.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.kubetelemetry.config.ConfigLoader;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.mapping.MappedExport;
import com.kubetelemetry.ingest.mapping.MappingLimits;
import com.kubetelemetry.ingest.mapping.TraceRowMapper;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.kubetelemetry.server.Backend;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TelemetryServer;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Starts the real server on a temporary embedded store, then measures: (1) the raw rate of inserting Native blocks
 * of the benchmark's spans straight into the engine, 100k rows per INSERT; (2) spans/s sent as OTLP/gRPC batches of
 * 512 by concurrent clients and acknowledged (so committed); (3) metric points/s and log records/s the same way.
 * Prints numbers only; it asserts nothing.
 */
public final class IngestBenchmark {
  private static final int DISTINCT_REQUESTS = 200;
  /**
   * Concurrent exporters: a cluster has many pods (or Collector queue consumers) exporting at once, so 32 is a fair
   * default; each client blocks until its export is acknowledged. Override with -Dbench.clients.
   */
  private static final int CLIENTS = Integer.getInteger("bench.clients", 32);
  private static final int RAW_ROUNDS = 5;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    // The figures are the output: keep the server's own INFO logs out of them.
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int spanRequests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path dataDir = Files.createTempDirectory("ingest-bench");
    ServerConfig config = config(dataDir);
    BenchData data = new BenchData(7, Instant.now());
    List<ExportTraceServiceRequest> spans = data.spanRequests(DISTINCT_REQUESTS);
    try (Backend backend = new StorageBackendFactory().open(config);
         TelemetryServer server = new TelemetryServer(config, backend).start()) {
      System.out.printf("OTLP ingest benchmark: %d cores, %s engine %s, batches of %d, %d clients%n",
          Runtime.getRuntime().availableProcessors(), backend.store().kind(), backend.store().engineVersion(),
          BenchData.ITEMS_PER_REQUEST, CLIENTS);
      double raw = rawInsertRate(backend, spans);
      String uri = "http://127.0.0.1:" + server.otlpGrpcPort();
      var traces = GrpcClients.builder(uri).maxRequestMessageLength(-1).maxResponseMessageLength(-1)
          .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
      var metrics = GrpcClients.builder(uri).maxRequestMessageLength(-1).maxResponseMessageLength(-1)
          .build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
      var logs = GrpcClients.builder(uri).maxRequestMessageLength(-1).maxResponseMessageLength(-1)
          .build(LogsServiceGrpc.LogsServiceBlockingStub.class);
      OtlpLoad.run(spans, 50, BenchData.ITEMS_PER_REQUEST, CLIENTS, traces::export); // warm-up
      OtlpLoad.Result spanRun = OtlpLoad.run(spans, spanRequests, BenchData.ITEMS_PER_REQUEST, CLIENTS,
          traces::export);
      List<ExportMetricsServiceRequest> metricRequests = data.metricRequests(DISTINCT_REQUESTS);
      OtlpLoad.Result metricRun = OtlpLoad.run(metricRequests, spanRequests / 2, BenchData.ITEMS_PER_REQUEST,
          CLIENTS, metrics::export);
      metricRequests = null;
      List<ExportLogsServiceRequest> logRequests = data.logRequests(DISTINCT_REQUESTS);
      OtlpLoad.Result logRun = OtlpLoad.run(logRequests, spanRequests / 2, BenchData.ITEMS_PER_REQUEST,
          CLIENTS, logs::export);
      long stored = count(backend, config.storage().database() + ".otel_traces");
      print("spans, end to end (OTLP/gRPC)", spanRun, "spans");
      System.out.printf("%-36s %,12.0f rows/s (same rows, %d rounds of 100k-row INSERTs)%n",
          "spans, raw Native insert", raw, RAW_ROUNDS);
      System.out.printf("%-36s %12.2f%n", "ratio end to end / raw", spanRun.itemsPerSecond() / raw);
      print("metric points, end to end", metricRun, "points");
      print("log records, end to end", logRun, "records");
      System.out.printf("%-36s %,12d (raw + warm-up + timed; checks nothing was lost)%n", "spans stored", stored);
      System.out.printf("%-36s %,12d MiB%n", "peak RSS (server + clients)", peakRssKib() / 1024);
    } finally {
      deleteTree(dataDir);
    }
  }

  static ServerConfig config(Path dataDir) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(ConfigLoader.CLICKHOUSE_URL_ENV, "embedded:" + dataDir);
    Map<String, String> properties = new HashMap<>();
    System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
    ServerConfig loaded = ConfigLoader.load(Optional.empty(), false, env, properties);
    return loaded.withFreePorts();
  }

  /** Maps the requests once (not timed), then times only the INSERTs of their blocks, 100k rows per statement. */
  private static double rawInsertRate(Backend backend, List<ExportTraceServiceRequest> requests) {
    TraceRowMapper mapper = new TraceRowMapper(MappingLimits.unlimited());
    WriteScope scope = new WriteScope("bench", false);
    List<NativeBlock> blocks = new ArrayList<>();
    for (ExportTraceServiceRequest request : requests) {
      MappedExport mapped = mapper.map(scope, request);
      blocks.add(mapped.blocksByTable().get("otel_traces"));
    }
    int perInsert = Math.max(1, 100_000 / BenchData.ITEMS_PER_REQUEST);
    long rows = 0;
    long started = System.nanoTime();
    for (int round = 0; round < RAW_ROUNDS; round++) {
      for (int from = 0; from < blocks.size(); from += perInsert) {
        List<NativeBlock> batch = blocks.subList(from, Math.min(blocks.size(), from + perInsert));
        backend.store().insert("otel_traces", batch);
        rows += batch.stream().mapToLong(NativeBlock::rows).sum();
      }
    }
    return rows / ((System.nanoTime() - started) / 1e9);
  }

  private static void print(String label, OtlpLoad.Result result, String unit) {
    System.out.printf("%-36s %,12.0f %s/s (%,d %s in %.1f s, %d refusals retried)%n", label,
        result.itemsPerSecond(), unit, result.items(), unit, result.seconds(), result.throttled());
  }

  private static long count(Backend backend, String table) {
    return Long.parseLong(backend.store().query(Sql.of("SELECT count() FROM " + table), "TSV").text().strip());
  }

  /** Peak resident set of this process (VmHWM), in KiB. */
  private static long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
