/** The trace read compilers on the real embedded engine, against figures computed in Java from the spans sent. */
package com.kubetelemetry.query.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.ingest.mapping.MappingLimits;
import com.kubetelemetry.ingest.mapping.TraceRowMapper;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import com.kubetelemetry.traces.ShopExpectations;
import com.kubetelemetry.traces.ShopTraces;
import com.kubetelemetry.traces.ShopTraces.FixtureSpan;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceReadsOnEngineTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Instant BASE = NOW.minus(Duration.ofMinutes(50));
  private static final SchemaOptions SCHEMA = new SchemaOptions("trace_reads", 0, 0, 0);
  private static final TimeRangeResolver RANGES = TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<FixtureSpan> spans = new ArrayList<>();
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, SCHEMA.database()));
    new SchemaMigrator(store, SCHEMA).migrate();
    spans.addAll(ShopTraces.generate(1L, BASE, "acme", 60));
    spans.addAll(ShopTraces.generate(2L, BASE.plusSeconds(3), "globex", 20));
    var mapped = new TraceRowMapper(MappingLimits.unlimited()).map(new WriteScope("default", true),
        ShopTraces.request(spans));
    mapped.blocksByTable().forEach((table, block) -> store.insert(table, List.of(block)));
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void getTraceReadsEverySpanOfTheTraceWithEventsAndLinks() {
    FixtureSpan root = spans.getFirst();
    List<FixtureSpan> expected = spans.stream().filter(s -> s.traceId().equals(root.traceId()))
        .sorted(java.util.Comparator.comparingLong(FixtureSpan::startNanos)).toList();
    TraceFetchCompiler compiler = new TraceFetchCompiler(SCHEMA, RANGES, QueryLimits.defaults());
    List<JsonNode> rows = rows(compiler.compile(new TenantId("acme"), TraceFetch.of(root.traceId().toUpperCase())));
    assertThat(rows).extracting(r -> r.get(1).asText()).containsExactlyElementsOf(
        expected.stream().map(FixtureSpan::spanId).toList());
    JsonNode first = rows.getFirst();
    assertThat(first.get(0).asText()).isEqualTo(root.traceId());
    assertThat(first.get(7).asLong()).isEqualTo(root.startNanos());
    assertThat(first.get(8).asLong()).isEqualTo(root.durationNanos());
    assertThat(first.get(5).asText()).isEqualTo("Server");
    assertThat(JSON.convertValue(first.get(11), Map.class)).isEqualTo(root.attributes());
    assertThat(JSON.convertValue(first.get(12), Map.class)).isEqualTo(ShopTraces.resource("acme", "frontend"));
    assertThat(first.get(13).asText()).isEqualTo(ShopTraces.SCOPE);
    assertThat(first.get(15).get(1).asLong()).isEqualTo(root.events().get(1).timeNanos());
    assertThat(first.get(16).get(1).asText()).isEqualTo("exception");
    assertThat(JSON.convertValue(first.get(17).get(1), Map.class)).isEqualTo(root.events().get(1).attributes());
    assertThat(first.get(18).get(0).asText()).isEqualTo(root.links().getFirst().traceId());
    assertThat(first.get(19).get(0).asText()).isEqualTo(root.links().getFirst().spanId());
    assertThat(first.get(20).get(0).asText()).isEqualTo("k=v");
    assertThat(JSON.convertValue(first.get(21).get(0), Map.class)).isEqualTo(Map.of("link.kind", "follows"));
    assertThat(rows(compiler.compile(new TenantId("globex"), TraceFetch.of(root.traceId())))).isEmpty();
    assertThat(rows(compiler.compile(new TenantId("acme"), new TraceFetch(root.traceId(), null, 2)))).hasSize(3);
    assertThat(rows(compiler.compile(new TenantId("acme"), new TraceFetch(root.traceId(),
        TimeRange.between(BASE.minusSeconds(1), BASE.plusSeconds(1)), 0)))).hasSize(expected.size());
    assertThat(rows(compiler.compile(new TenantId("acme"), new TraceFetch(root.traceId(),
        TimeRange.between(BASE.plusSeconds(1), BASE.plusSeconds(2)), 0)))).isEmpty();
  }

  @Test
  void servicesAndOperationsCountTheTenantsSpans() {
    ServiceCatalogCompiler compiler = new ServiceCatalogCompiler(SCHEMA, RANGES, QueryLimits.defaults());
    Map<String, long[]> expected = new TreeMap<>();
    for (FixtureSpan s : spans) {
      if (s.tenant().equals("acme")) {
        long[] e = expected.computeIfAbsent(s.service(), k -> new long[2]);
        e[0]++;
        e[1] = Math.max(e[1], s.startNanos());
      }
    }
    List<JsonNode> rows = rows(compiler.services(new TenantId("acme"), new ServiceListing(null, null)));
    assertThat(rows).extracting(r -> r.get(0).asText() + " " + r.get(1).asLong() + " " + r.get(2).asLong())
        .containsExactlyElementsOf(expected.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]).toList());
    assertThat(rows(compiler.services(new TenantId("acme"), new ServiceListing(null, "pay"))))
        .extracting(r -> r.get(0).asText()).containsExactly("payment");
    List<JsonNode> ops = rows(compiler.operations(new TenantId("acme"), new OperationListing("payment", null, null)));
    long server = spans.stream().filter(s -> s.tenant().equals("acme") && s.name().equals("POST /pay")
        && s.service().equals("payment")).count();
    assertThat(ops).extracting(r -> r.get(0).asText() + "|" + r.get(1).asText())
        .containsExactly("POST /pay|Server", "SELECT orders|Client", "send orders|Producer");
    assertThat(ops.getFirst().get(2).asLong()).isEqualTo(server);
    assertThat(rows(compiler.operations(new TenantId("acme"), new OperationListing("payment", null,
        SpanKind.CLIENT)))).extracting(r -> r.get(0).asText()).containsExactly("SELECT orders");
  }

  @Test
  void serviceGraphMatchesTheEdgesComputedFromTheSpans() {
    ServiceGraphCompiler compiler = new ServiceGraphCompiler(SCHEMA, RANGES, QueryLimits.defaults());
    List<ShopExpectations.Edge> expected = ShopExpectations.edges(spans.stream()
        .filter(s -> s.tenant().equals("acme")).toList());
    assertThat(expected).extracting(e -> e.caller() + ">" + e.callee() + " " + e.kind()).containsExactlyInAnyOrder(
        "frontend>payment service", "payment>pg.shop database", "payment>worker service", "frontend>worker service");
    List<JsonNode> rows = rows(compiler.compile(new TenantId("acme"), new ServiceGraphQuery(null, List.of())));
    assertThat(rows).extracting(r -> new ShopExpectations.Edge(r.get(0).asText(), r.get(1).asText(),
        r.get(2).asText(), r.get(3).asLong(), r.get(4).asLong(), r.get(5).asLong(), r.get(6).asLong()))
        .containsExactlyElementsOf(expected);
    assertThat(rows(compiler.compile(new TenantId("acme"), new ServiceGraphQuery(null, List.of("worker")))))
        .extracting(r -> r.get(0).asText() + ">" + r.get(1).asText())
        .containsExactly("payment>worker", "frontend>worker");
  }

  @Test
  void spanMetricsMatchTheFiguresComputedFromTheSpans() {
    SpanMetricsCompiler compiler = new SpanMetricsCompiler(SCHEMA, RANGES, QueryLimits.defaults(), 11_000);
    List<Double> quantiles = List.of(0.5, 0.9, 1.0);
    CompiledSpanMetrics compiled = compiler.compile(new TenantId("acme"), SpanMetricsQuery.over(null)
        .withStep(Duration.ofMinutes(5)).withQuantiles(quantiles));
    long gridStart = compiled.grid().start().getEpochSecond();
    Map<String, ShopExpectations.Figures> expected = ShopExpectations.figures(spans,
        s -> s.tenant().equals("acme") && (s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER
            || s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER), false, gridStart, 300,
        quantiles);
    List<JsonNode> rows = rows(compiled.sql());
    assertThat(rows).hasSize(expected.size());
    for (JsonNode r : rows) {
      String kind = r.get(2).asText();
      String key = r.get(0).asText() + "/" + r.get(1).asText() + "/SPAN_KIND_" + kind.toUpperCase();
      ShopExpectations.Figures f = expected.get(key);
      assertThat(f).as(key).isNotNull();
      assertThat(r.get(3).asLong()).isEqualTo(f.requests());
      assertThat(r.get(4).asLong()).isEqualTo(f.errors());
      List<Long> latencies = new ArrayList<>();
      r.get(5).forEach(n -> latencies.add(n.asLong()));
      assertThat(latencies).isEqualTo(f.latencies());
      Map<Long, long[]> buckets = new TreeMap<>();
      r.get(6).forEach(p -> buckets.put(p.get(0).asLong(), new long[] {p.get(1).asLong(), p.get(2).asLong()}));
      assertThat(buckets).usingRecursiveComparison().isEqualTo(f.buckets());
    }
    CompiledSpanMetrics one = compiler.compile(new TenantId("acme"), SpanMetricsQuery.over(null)
        .withGrouping(SpanMetricsQuery.Grouping.SERVICE).withMaxSeries(1));
    assertThat(rows(one.sql())).extracting(r -> r.get(0).asText() + r.get(1).asText() + r.get(2).asText())
        .containsExactly("frontend", "payment");
  }

  @Test
  void hostileValuesRunAsDataAndMatchNothing() {
    TraceFetchCompiler fetch = new TraceFetchCompiler(SCHEMA, RANGES, QueryLimits.defaults());
    ServiceCatalogCompiler catalog = new ServiceCatalogCompiler(SCHEMA, RANGES, QueryLimits.defaults());
    ServiceGraphCompiler graph = new ServiceGraphCompiler(SCHEMA, RANGES, QueryLimits.defaults());
    SpanMetricsCompiler metrics = new SpanMetricsCompiler(SCHEMA, RANGES, QueryLimits.defaults(), 11_000);
    String traceId = spans.getFirst().traceId();
    for (String hostile : List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE trace_reads.otel_traces; --", "{}",
        "{x:String}", "{p0:String}", "\0", "a\0b", "\n", "a\n\nb", "\r\n\r\n", "-- c", "/* x */",
        "SETTINGS readonly=0", "日本語", "😀", "\t", "%s", "é".repeat(128))) {
      TenantId tenant = new TenantId(hostile.isBlank() ? "t" : hostile.substring(0, Math.min(hostile.length(), 128)));
      var matchers = List.of(com.kubetelemetry.query.AttributeMatcher.of(
          com.kubetelemetry.query.AttributeMatcher.Target.ITEM, hostile, com.kubetelemetry.query.AttributeMatcher.Op.EQ,
          hostile));
      assertThat(rows(fetch.compile(tenant, TraceFetch.of(traceId)))).as(hostile).isEmpty();
      assertThat(rows(catalog.services(new TenantId("acme"), new ServiceListing(null, hostile)))).isEmpty();
      assertThat(rows(catalog.operations(new TenantId("acme"), new OperationListing(hostile, null, null)))).isEmpty();
      assertThat(rows(graph.compile(new TenantId("acme"), new ServiceGraphQuery(null, List.of(hostile))))).isEmpty();
      assertThat(rows(metrics.compile(new TenantId("acme"), SpanMetricsQuery.over(null).withSpanName(hostile)
          .withMatchers(matchers)).sql())).isEmpty();
      assertThat(rows(metrics.compile(tenant, SpanMetricsQuery.over(null)).sql())).isEmpty();
    }
  }

  private List<JsonNode> rows(Sql sql) {
    return store.query(sql, "JSONCompactEachRow").text().lines().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }
}
