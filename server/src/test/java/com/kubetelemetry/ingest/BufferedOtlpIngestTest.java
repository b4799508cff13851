/** Group commit, bounded buffer, acknowledgement and shutdown behaviour of the ingest path on the real engine. */
package com.kubetelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.ingest.mapping.MappedExport;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import io.grpc.Status;
import io.grpc.StatusException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferedOtlpIngestTest {
  private static final WriteScope SCOPE = new WriteScope("acme", false);
  @TempDir
  static Path dataDir;
  private static EmbeddedStore engine;

  @BeforeAll
  static void openEngine() {
    engine = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dataDir, "ingest_test"));
    engine.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS ingest_test")));
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @BeforeEach
  void freshTable() {
    engine.execute(List.of(Sql.of("DROP TABLE IF EXISTS ingest_test.spans"),
        Sql.of("CREATE TABLE ingest_test.spans (TenantId String, Name String) ENGINE = MergeTree ORDER BY TenantId")));
  }

  @Test
  void acknowledgesOnlyAfterRowsAreCommittedAndReportsRejectedItems() throws Exception {
    try (var ingest = ingest(engine, settings(1 << 20, 1000, Duration.ZERO))) {
      ExportTraceServiceResponse response = ingest.exportTraces(SCOPE, spans("a", "", "b", "")).get(60, TimeUnit.SECONDS);
      assertThat(storedNames()).containsExactlyInAnyOrder("a", "b");
      assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
      assertThat(response.getPartialSuccess().getErrorMessage()).contains("2 spans have no name");
      assertThat(countsOf(ingest, "traces")).isEqualTo(new IngestStats.SignalCounts("traces", 2, 2, 0, 0));
    }
  }

  @Test
  void exportsArrivingTogetherBecomeOneInsert() throws Exception {
    var store = new GatedStore(engine, false);
    // A batch is complete at 10 rows, so the ten one-span exports below are gathered into exactly one INSERT.
    try (var ingest = ingest(store, settings(1 << 20, 10, Duration.ofMinutes(5)))) {
      List<CompletableFuture<ExportTraceServiceResponse>> acks = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        acks.add(ingest.exportTraces(SCOPE, spans("s" + i)));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(store.inserts()).isEqualTo(1);
      assertThat(storedNames()).hasSize(10);
    }
  }

  @Test
  void fullBufferRefusesWithResourceExhaustedAndHoldsNothingMore() throws Exception {
    var store = new GatedStore(engine, true);
    long oneExport = traceMapper(engine).map(SCOPE, spans("x")).encodedBytes();
    try (var ingest = ingest(store, settings(oneExport * 2, 1, Duration.ZERO))) {
      var first = ingest.exportTraces(SCOPE, spans("x"));
      store.awaitHeldInsert();
      var second = ingest.exportTraces(SCOPE, spans("y"));
      var third = ingest.exportTraces(SCOPE, spans("z"));
      assertThat(statusOf(third)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ingest.bufferedBytes()).isEqualTo(oneExport * 2);
      store.open();
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
      assertThat(storedNames()).containsExactlyInAnyOrder("x", "y");
      assertThat(ingest.bufferedBytes()).isZero();
      assertThat(countsOf(ingest, "traces")).isEqualTo(new IngestStats.SignalCounts("traces", 2, 0, 1, 0));
    }
  }

  @Test
  void storageFailureFailsOnlyTheExportsOfThatTableWithUnavailable() throws Exception {
    var store = new GatedStore(engine, false);
    ExportMapper<ExportLogsServiceRequest> brokenLogs = (scope, request) -> new MappedExport(
        Map.of("no_such_table", block(engine, "acme", List.of("log"))), 1, 0, "");
    // Two spans complete the batch (maxBatchRows 2), so the log export sent first is committed in the same round.
    try (var ingest = new BufferedOtlpIngest(store, settings(1 << 20, 2, Duration.ofMinutes(5)),
        traceMapper(engine), unusedMetrics(), brokenLogs)) {
      var bad = ingest.exportLogs(SCOPE, ExportLogsServiceRequest.getDefaultInstance());
      var good = ingest.exportTraces(SCOPE, spans("kept", "also kept"));
      good.get(60, TimeUnit.SECONDS);
      assertThat(statusOf(bad)).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(store.inserts()).isEqualTo(2);
      assertThat(storedNames()).containsExactlyInAnyOrder("kept", "also kept");
      assertThat(countsOf(ingest, "logs").failedRequests()).isEqualTo(1);
      assertThat(countsOf(ingest, "traces").acceptedItems()).isEqualTo(2);
    }
  }

  @Test
  void closeCommitsWhatIsBufferedAndRefusesNewExports() throws Exception {
    var ingest = ingest(engine, settings(1 << 20, 1_000_000, Duration.ofMinutes(10)));
    var pending = ingest.exportTraces(SCOPE, spans("before-close"));
    ingest.close();
    assertThat(pending).isCompleted();
    assertThat(storedNames()).containsExactly("before-close");
    assertThat(statusOf(ingest.exportTraces(SCOPE, spans("after-close")))).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void everyAcknowledgedSpanIsStoredUnderConcurrentOverload() throws Exception {
    var store = new GatedStore(engine, true);
    long oneExport = traceMapper(engine).map(SCOPE, spans("t0-e0")).encodedBytes();
    AtomicLong acknowledged = new AtomicLong();
    var twoCommitters = new IngestSettings(oneExport * 3, 50, Duration.ofMillis(2), Duration.ofSeconds(30), 2);
    try (var ingest = ingest(store, twoCommitters);
         ExecutorService clients = Executors.newFixedThreadPool(6)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int client = t;
        done.add(clients.submit(() -> {
          for (int e = 0; e < 20; e++) {
            exportWithRetries(ingest, spans("t" + client + "-e" + e), store);
            acknowledged.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertThat(acknowledged.get()).isEqualTo(120);
      assertThat(storedNames()).hasSize(120).doesNotHaveDuplicates();
      assertThat(countsOf(ingest, "traces").throttledRequests()).isPositive();
      assertThat(countsOf(ingest, "traces").acceptedItems()).isEqualTo(120);
    }
  }

  /** Retries RESOURCE_EXHAUSTED the way OTLP exporters do (opening the gate); other failures fail the test. */
  private static void exportWithRetries(BufferedOtlpIngest ingest, ExportTraceServiceRequest request,
      GatedStore store) throws Exception {
    while (true) {
      try {
        ingest.exportTraces(SCOPE, request).get(60, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof StatusException s) || s.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
          throw e;
        }
        store.open(); // the first refusal proves the buffer filled up; from here on commits may proceed
        Thread.onSpinWait();
      }
    }
  }

  private static BufferedOtlpIngest ingest(Store store, IngestSettings settings) {
    return new BufferedOtlpIngest(store, settings, traceMapper(engine), unusedMetrics(), unusedLogs());
  }

  /** One committer, so which exports share an INSERT is deterministic. */
  private static IngestSettings settings(long bufferBytes, int maxBatchRows, Duration flush) {
    return new IngestSettings(bufferBytes, maxBatchRows, flush, Duration.ofSeconds(30), 1);
  }

  /** Maps each named span to a row of ingest_test.spans; spans without a name are rejected. */
  private static ExportMapper<ExportTraceServiceRequest> traceMapper(Store store) {
    return (scope, request) -> {
      List<String> names = new ArrayList<>();
      long rejected = 0;
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            if (span.getName().isEmpty()) {
              rejected++;
            } else {
              names.add(span.getName());
            }
          }
        }
      }
      Map<String, NativeBlock> blocks = names.isEmpty() ? Map.of() : Map.of("spans", block(store, scope.tenant(), names));
      return new MappedExport(blocks, names.size(), rejected, rejected == 0 ? "" : rejected + " spans have no name");
    };
  }

  /** Rows encoded by the engine itself, so the test does not depend on our own encoder. */
  private static NativeBlock block(Store store, String tenant, List<String> names) {
    byte[] data = store.query(Sql.of("SELECT {t:String} AS TenantId, arrayJoin({n:Array(String)}) AS Name",
        new Param("t", "String", tenant), new Param("n", "Array(String)", names)), "Native").data();
    return new NativeBlock(List.of("TenantId", "Name"), names.size(), data);
  }

  private static ExportMapper<ExportMetricsServiceRequest> unusedMetrics() {
    return (scope, request) -> new MappedExport(Map.of(), 0, 0, "");
  }

  private static ExportMapper<ExportLogsServiceRequest> unusedLogs() {
    return (scope, request) -> new MappedExport(Map.of(), 0, 0, "");
  }

  private static ExportTraceServiceRequest spans(String... names) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (String name : names) {
      scope.addSpans(Span.newBuilder().setName(name));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
  }

  private static List<String> storedNames() {
    String text = engine.query(Sql.of("SELECT Name FROM ingest_test.spans WHERE TenantId = 'acme'"), "TSV").text();
    return text.lines().filter(line -> !line.isEmpty()).toList();
  }

  private static IngestStats.SignalCounts countsOf(IngestStats stats, String signal) {
    return stats.snapshot().stream().filter(c -> c.signal().equals(signal)).findFirst().orElseThrow();
  }

  private static Status.Code statusOf(CompletableFuture<?> future) {
    assertThatThrownBy(() -> future.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    try {
      future.get();
      throw new AssertionError("future succeeded");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      assertThat(cause).isInstanceOf(StatusException.class);
      return ((StatusException) cause).getStatus().getCode();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
