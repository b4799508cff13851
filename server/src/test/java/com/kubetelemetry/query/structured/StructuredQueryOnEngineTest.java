/** Compiled structured queries run on the real embedded engine: answers match values computed in Java. */
package com.kubetelemetry.query.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.structured.StructuredQuery.Function;
import com.kubetelemetry.query.structured.StructuredQuery.Ordering;
import com.kubetelemetry.query.structured.StructuredQuery.Selection;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
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
class StructuredQueryOnEngineTest {
  static AttributeRef field(String key) {
    return new AttributeRef(Target.COLUMN, key);
  }

  static AttributeRef resource(String key) {
    return new AttributeRef(Target.RESOURCE, key);
  }

  static AttributeRef item(String key) {
    return new AttributeRef(Target.ITEM, key);
  }

  static AttributeRef scope(String key) {
    return new AttributeRef(Target.SCOPE, key);
  }

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final SchemaOptions SCHEMA = new SchemaOptions("structured", 0, 0, 0);
  private static final TenantId ACME = new TenantId("acme");
  private static final String HOSTILE = "we'ird\\svc\n\n{p0:String}\0 日本";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StructuredQueryCompiler compiler = new StructuredQueryCompiler(SCHEMA,
      TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), QueryLimits.defaults());
  private final List<long[]> acmeSpans = new ArrayList<>(); // {epochSecond, durationNanos, serviceIndex}
  private final String[] services = {"checkout", "payment", HOSTILE};
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    for (int i = 0; i < 45; i++) {
      Instant ts = NOW.minus(Duration.ofMinutes(50)).plusSeconds(i * 61L);
      long duration = 1_000_000L * (i * 7 % 23 + 1);
      int service = i % 3;
      span("acme", ts, services[service], duration, Map.of("k8s.namespace.name", i % 2 == 0 ? "prod" : "dev"));
      acmeSpans.add(new long[] {ts.getEpochSecond(), duration, service});
      span("other", ts, services[service], duration, Map.of("k8s.namespace.name", "prod"));
    }
    span("acme", NOW.minus(Duration.ofHours(3)), "checkout", 5, Map.of("k8s.namespace.name", "prod"));
    point("otel_metrics_gauge", "acme", "cpu", 0.5, Map.of("host", "a"));
    point("otel_metrics_gauge", "acme", "cpu", 1.5, Map.of("host", "b"));
    point("otel_metrics_sum", "acme", "requests", 10, Map.of("host", "a"));
    point("otel_metrics_sum", "acme", "requests", 32, Map.of("host", "a"));
    point("otel_metrics_sum", "other", "requests", 1000, Map.of("host", "a"));
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void groupedCountsAveragesAndQuantilesPerBucketMatchJava() {
    StructuredQuery q = new StructuredQuery(QuerySignal.TRACES, List.of(
        Selection.of(field("service_name")), Selection.of(Function.COUNT, null),
        Selection.of(Function.SUM, field("duration_nanos")),
        Selection.of(Function.MAX, field("duration_nanos")),
        new Selection(field("duration_nanos"), Function.QUANTILE, 0.5, "p50")),
        List.of(), List.of(field("service_name")), Duration.ofMinutes(10), List.of(), 1000);
    CompiledQuery c = compiler.compile(ACME, q, null, RowBudget.QUERY);
    Map<String, List<Long>> expected = new TreeMap<>();
    for (long[] s : acmeSpans) {
      long bucket = Math.floorDiv(s[0], 600) * 600 * 1_000_000_000L;
      expected.computeIfAbsent(bucket + "|" + services[(int) s[2]], k -> new ArrayList<>()).add(s[1]);
    }
    List<JsonNode> rows = run(c.sql());
    assertThat(rows).hasSize(expected.size());
    Map<String, JsonNode> byKey = new TreeMap<>();
    long previousBucket = Long.MIN_VALUE;
    for (JsonNode r : rows) {
      assertThat(r.get(0).asLong()).isGreaterThanOrEqualTo(previousBucket);
      previousBucket = r.get(0).asLong();
      byKey.put(r.get(0).asLong() + "|" + r.get(1).asText(), r);
    }
    assertThat(byKey.keySet()).isEqualTo(expected.keySet());
    expected.forEach((key, durations) -> {
      JsonNode r = byKey.get(key);
      List<Long> sorted = durations.stream().sorted().toList();
      assertThat(r.get(2).asLong()).isEqualTo(durations.size());
      assertThat(r.get(3).asLong()).isEqualTo(durations.stream().mapToLong(Long::longValue).sum());
      assertThat(r.get(4).asLong()).isEqualTo(sorted.getLast());
      assertThat(r.get(5).asDouble()).isBetween((double) sorted.getFirst(), (double) sorted.getLast());
    });
  }

  @Test
  void filtersOnResourceAttributesAndTenantBoundary() {
    StructuredQuery q = new StructuredQuery(QuerySignal.TRACES, List.of(Selection.of(Function.COUNT, null),
        Selection.of(Function.COUNT_DISTINCT, field("service_name")),
        Selection.of(Function.RATE, null)),
        List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod")), List.of(), null,
        List.of(), 0);
    List<JsonNode> rows = run(compiler.compile(ACME, q, null, RowBudget.QUERY).sql());
    long prod = 23; // even i in 0..44
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().get(0).asLong()).isEqualTo(prod);
    assertThat(rows.getFirst().get(1).asLong()).isEqualTo(3);
    assertThat(rows.getFirst().get(2).asDouble()).isCloseTo(prod / 3600.0, within(1e-9));
    List<JsonNode> none = run(compiler.compile(new TenantId("nobody"), q, null, RowBudget.QUERY).sql());
    assertThat(none.getFirst().get(0).asLong()).isZero();
  }

  @Test
  void metricsSumGaugesAndSumsPerMetricAndAttribute() {
    StructuredQuery q = new StructuredQuery(QuerySignal.METRICS, List.of(
        Selection.of(field("metric_name")), Selection.of(item("host")),
        Selection.of(Function.SUM, field("value")), Selection.of(Function.AVG, field("value"))),
        List.of(), List.of(field("metric_name"), item("host")), null, List.of(), 0);
    List<JsonNode> rows = run(compiler.compile(ACME, q, null, RowBudget.QUERY).sql());
    assertThat(rows).extracting(JsonNode::toString).containsExactly("[\"cpu\",\"a\",0.5,0.5]",
        "[\"cpu\",\"b\",1.5,1.5]", "[\"requests\",\"a\",42,21]");
  }

  @Test
  void rawRowsAreLimitedWithOneExtraRowAndAbsentAttributesAreNull() {
    StructuredQuery q = new StructuredQuery(QuerySignal.TRACES, List.of(Selection.of(field("span_name")),
        Selection.of(item("missing")), Selection.of(field("duration_nanos"))), List.of(),
        List.of(), null, List.of(new Ordering("field.duration_nanos", true), new Ordering("time", false)), 5);
    CompiledQuery c = compiler.compile(ACME, q, null, RowBudget.QUERY);
    List<JsonNode> rows = run(c.sql());
    assertThat(rows).hasSize(c.limit() + 1);
    assertThat(rows.getFirst().get(1).isNull()).isTrue();
    List<Long> expected = acmeSpans.stream().map(s -> s[1]).sorted((a, b) -> Long.compare(b, a)).limit(6).toList();
    assertThat(rows).extracting(r -> r.get(2).asLong()).containsExactlyElementsOf(expected);
  }

  @Test
  void hostileValuesRunAndMatchOnlyThemselves() {
    StructuredQuery q = new StructuredQuery(QuerySignal.TRACES, List.of(Selection.of(Function.COUNT, null),
        Selection.of(resource(HOSTILE))),
        List.of(AttributeMatcher.of(Target.COLUMN, "service_name", Op.EQ, HOSTILE),
            AttributeMatcher.of(Target.ITEM, HOSTILE, Op.NOT_EXISTS)),
        List.of(resource(HOSTILE)), null, List.of(), 0);
    List<JsonNode> rows = run(compiler.compile(ACME, q, TimeRange.last("2h"), RowBudget.QUERY).sql());
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().get(0).asLong()).isEqualTo(15);
    assertThat(run(compiler.compile(new TenantId(HOSTILE), q, null, RowBudget.QUERY).sql())).isEmpty();
  }

  @Test
  void everyHostileStringInEveryFieldRunsOnTheEngine() {
    List<String> hostile = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE structured.otel_logs; --", "{}",
        "{x:String}", "{p0:String}", "\0", "a\0b", "\n", "a\n\nb", "\r\n\r\n", "-- c", "/* x */",
        "SETTINGS readonly=0", "日本語", "😀", "\t", "%s", ") AS c9 FROM system.tables --", "é".repeat(128));
    int ran = 0;
    for (String h : hostile) {
      for (int field = 0; field < 9; field++) {
        String[] s = new String[9];
        java.util.Arrays.fill(s, "x");
        s[field] = h;
        if (field == 0 && h.isBlank()) {
          continue; // a blank tenant is refused before compiling (TenantId)
        }
        StructuredQuery q = new StructuredQuery(QuerySignal.METRICS, List.of(
            Selection.of(resource(s[1])), Selection.of(Function.AVG, item(s[2])),
            Selection.of(Function.COUNT, scope(s[3])),
            new Selection(item(s[2]), Function.QUANTILE, 0.5, "q")),
            List.of(AttributeMatcher.of(Target.RESOURCE, s[4], Op.EQ, s[5]),
                AttributeMatcher.of(Target.ITEM, s[6], Op.NOT_REGEX, s[7]),
                AttributeMatcher.of(Target.COLUMN, "metric_name", Op.NOT_IN, s[8], "other")),
            List.of(resource(s[1])), Duration.ofMinutes(1), List.of(), 10);
        List<JsonNode> rows = run(compiler.compile(new TenantId(s[0]), q, null, RowBudget.QUERY).sql());
        assertThat(rows).as("field %d = %s", field, h).isEmpty();
        ran++;
      }
    }
    assertThat(ran).isEqualTo(hostile.size() * 9 - hostile.stream().filter(String::isBlank).count());
  }

  private List<JsonNode> run(Sql sql) {
    String text = store.query(sql, "JSONCompactEachRow").text();
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.lines().toList()) {
      try {
        out.add(JSON.readTree(line));
      } catch (Exception e) {
        throw new AssertionError("bad row " + line, e);
      }
    }
    return out;
  }

  private void span(String tenant, Instant ts, String service, long durationNanos, Map<String, String> resource) {
    store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified("otel_traces")
            + " (TenantId, Timestamp, TraceId, SpanId, ServiceName, SpanName, Duration, ResourceAttributes)"
            + " SELECT {tenant:String}, {ts:DateTime64(9)}, {trace:String}, {trace:String}, {service:String},"
            + " 'op', {duration:UInt64}, {resource:Map(String, String)}",
        new Param("tenant", "String", tenant), new Param("ts", "DateTime64(9)", ts),
        new Param("trace", "String", "t" + ts.getEpochSecond()), new Param("service", "String", service),
        new Param("duration", "UInt64", durationNanos), new Param("resource", "Map(String, String)", resource))));
  }

  private void point(String table, String tenant, String metric, double value, Map<String, String> attributes) {
    store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified(table)
            + " (TenantId, TimeUnix, ServiceName, MetricName, Value, Attributes)"
            + " SELECT {tenant:String}, {ts:DateTime64(9)}, 'svc', {metric:String}, {value:Float64},"
            + " {attributes:Map(String, String)}",
        new Param("tenant", "String", tenant), new Param("ts", "DateTime64(9)", NOW.minusSeconds(60)),
        new Param("metric", "String", metric), new Param("value", "Float64", value),
        new Param("attributes", "Map(String, String)", attributes))));
  }
}
