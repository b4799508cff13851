/** Compiled trace searches run on the real embedded engine: results, tenant isolation, limits and hostile values. */
package com.kubetelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.TraceSearch.SpanStatus;
import com.kubetelemetry.query.TraceSearch.TraceOrder;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import com.kubetelemetry.traces.TraceSearches;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceSearchOnEngineTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final SchemaOptions SCHEMA = new SchemaOptions("trace_search", 0, 0, 0);
  private static final String ODD_SERVICE = "we'ird\\svc\n\n{x:String}\0 日本";
  private static final TenantId ACME = new TenantId("acme");

  private final TraceSearchCompiler compiler = new TraceSearchCompiler(SCHEMA,
      TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), QueryLimits.defaults());
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    Instant t1 = NOW.minus(Duration.ofMinutes(10));
    span("acme", t1, "t1", "a", "", "checkout", "GET /cart", 100, "Ok", Map.of("k8s.namespace.name", "prod"),
        Map.of());
    span("acme", t1.plusMillis(10), "t1", "b", "a", "payment", "charge", 50, "Error",
        Map.of("k8s.namespace.name", "prod"), Map.of("http.status_code", "500"));
    Instant t2 = NOW.minus(Duration.ofMinutes(5));
    span("acme", t2, "t2", "c", "", "frontend", "GET /", 300, "Unset", Map.of("k8s.namespace.name", "dev"),
        Map.of());
    span("acme", t2.plusMillis(1), "t2", "d", "c", "checkout", "GET /cart", 20, "Ok", Map.of(), Map.of());
    span("other", t2, "t3", "e", "", "checkout", "GET /cart", 10, "Error", Map.of(), Map.of());
    span("acme", NOW.minus(Duration.ofHours(2)), "t4", "f", "", "checkout", "GET /cart", 10, "Ok", Map.of(),
        Map.of());
    span("orphans", t2.plusMillis(5), "t6", "h", "missing", "late", "late-op", 1, "Ok", Map.of(), Map.of());
    span("orphans", t2, "t6", "i", "missing", "early", "early-op", 1, "Ok", Map.of(), Map.of());
    span("acme", NOW.minus(Duration.ofMinutes(1)), "t5", "g", "", ODD_SERVICE, "op", 5, "Ok",
        Map.of(ODD_SERVICE, ODD_SERVICE), Map.of());
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void defaultSearchReturnsTheTenantsTracesInTheLastHourNewestFirst() {
    List<String[]> rows = run(TraceSearch.all());
    assertThat(rows).extracting(r -> r[0]).containsExactly("t5", "t2", "t1");
    String[] t1 = rows.get(2);
    assertThat(List.of(t1[1], t1[2], t1[4], t1[5], t1[6], t1[7]))
        .containsExactly("checkout", "GET /cart", "100000000", "2", "1", "['checkout','payment']");
    String[] t2 = rows.get(1);
    assertThat(List.of(t2[1], t2[2], t2[4], t2[5], t2[6], t2[7]))
        .containsExactly("frontend", "GET /", "300000000", "2", "0", "['checkout','frontend']");
  }

  @Test
  void filtersMatchAnySpanOfTheTrace() {
    assertThat(ids(TraceSearch.all().withService("checkout"))).containsExactly("t2", "t1");
    assertThat(ids(TraceSearch.all().withStatus(SpanStatus.ERROR))).containsExactly("t1");
    assertThat(ids(TraceSearch.all().withDurations(Duration.ofMillis(60), null))).containsExactly("t2", "t1");
    assertThat(ids(TraceSearch.all().withDurations(null, Duration.ofMillis(20)))).containsExactly("t5", "t2");
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod"),
        AttributeMatcher.of(Target.ITEM, "http.status_code", Op.IN, "500", "503"),
        AttributeMatcher.of(Target.COLUMN, "span_kind", Op.NOT_EXISTS))))).containsExactly("t1");
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.REGEX, "d.*"))))).containsExactly("t2");
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.REGEX, "de"))))).as("anchored").isEmpty();
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.ITEM, "http.status_code", Op.EXISTS))))).containsExactly("t1");
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.SCOPE, "name", Op.NEQ, "x"),
        AttributeMatcher.of(Target.COLUMN, "duration_nanos", Op.IN, "300000000"))))).containsExactly("t2");
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.NOT_REGEX, "^(prod|dev)$"),
        AttributeMatcher.of(Target.COLUMN, "service_name", Op.NEQ, ODD_SERVICE))))).containsExactly("t2");
  }

  @Test
  void orderByDurationAndLimit() {
    assertThat(ids(TraceSearch.all().withOrder(TraceOrder.DURATION))).containsExactly("t2", "t1", "t5");
    assertThat(ids(TraceSearch.all().withOrder(TraceOrder.DURATION).withLimit(1))).containsExactly("t2");
    assertThat(ids(TraceSearch.all().withTimeRange(TimeRange.last("3h")))).containsExactly("t5", "t2", "t1", "t4");
  }

  @Test
  void limitsAreEnforcedAndCountOnlyTheReturnedTraces() {
    TraceSearchCompiler small = new TraceSearchCompiler(SCHEMA,
        TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), new QueryLimits(30, 1000, 2));
    assertThat(run(small, ACME, TraceSearch.all().withLimit(2))).extracting(r -> r[0]).containsExactly("t5", "t2");
    assertThatThrownBy(() -> run(small, ACME, TraceSearch.all().withLimit(3)))
        .isInstanceOf(com.kubetelemetry.storage.StoreException.class).hasMessageContaining("result");
    TraceSearchCompiler tiny = new TraceSearchCompiler(SCHEMA,
        TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), new QueryLimits(30, 2, 100));
    assertThatThrownBy(() -> run(tiny, ACME, TraceSearch.all()))
        .isInstanceOf(com.kubetelemetry.storage.StoreException.class).hasMessageContaining("rows");
  }

  @Test
  void withoutARootSpanTheEarliestSpanNamesTheTrace() {
    assertThat(run(compiler, new TenantId("orphans"), TraceSearch.all()).stream()
        .map(r -> r[0] + " " + r[1] + " " + r[2] + " " + r[4]).toList())
        .containsExactly("t6 early early-op 6000000");
  }

  @Test
  void otherTenantsSeeOnlyTheirOwnTraces() {
    assertThat(run(compiler, new TenantId("other"), TraceSearch.all())).extracting(r -> r[0])
        .containsExactly("t3");
  }

  @Test
  void hostileValuesAreDataNotSql() {
    assertThat(ids(TraceSearch.all().withService(ODD_SERVICE))).containsExactly("t5");
    assertThat(ids(TraceSearch.all().withMatchers(List.of(
        AttributeMatcher.of(Target.RESOURCE, ODD_SERVICE, Op.EQ, ODD_SERVICE))))).containsExactly("t5");
    for (String hostile : HostileSamples.ALL) {
      TraceSearch search = TraceSearch.all().withService(hostile).withSpanName(hostile)
          .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, hostile.isEmpty() ? "k" : hostile, Op.IN,
                  hostile, "x"),
              AttributeMatcher.of(Target.ITEM, hostile.isEmpty() ? "k" : hostile, Op.NEQ, hostile)));
      TenantId tenant = new TenantId(hostile.isBlank() ? "t" : hostile.substring(0, Math.min(hostile.length(), 128)));
      assertThat(run(compiler, tenant, search)).as(hostile).isEmpty();
    }
  }

  private List<String> ids(TraceSearch search) {
    return run(search).stream().map(r -> r[0]).toList();
  }

  private List<String[]> run(TraceSearch search) {
    return run(compiler, ACME, search);
  }

  /** The search's three statements run as the service runs them; rows as text, arrays as ['a','b']. */
  private List<String[]> run(TraceSearchCompiler with, TenantId tenant, TraceSearch search) {
    return new TraceSearches(store, with).run(tenant, search).rows().stream().map(r -> {
      String[] out = new String[r.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = r.node(i).isArray() ? "[" + String.join(",", r.strings(i).stream().map(v -> "'" + v + "'")
            .toList()) + "]" : r.string(i);
      }
      return out;
    }).toList();
  }

  private void span(String tenant, Instant ts, String traceId, String spanId, String parent, String service,
      String name, long millis, String status, Map<String, String> resource, Map<String, String> attributes) {
    store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified("otel_traces")
            + " (TenantId, Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, SpanName, Duration, StatusCode,"
            + " ResourceAttributes, SpanAttributes)"
            + " SELECT {tenant:String}, {ts:DateTime64(9)}, {trace:String}, {span:String}, {parent:String},"
            + " {service:String}, {name:String}, {duration:UInt64}, {status:String},"
            + " {resource:Map(String, String)}, {attributes:Map(String, String)}",
        new Param("tenant", "String", tenant), new Param("ts", "DateTime64(9)", ts),
        new Param("trace", "String", traceId), new Param("span", "String", spanId),
        new Param("parent", "String", parent), new Param("service", "String", service),
        new Param("name", "String", name), new Param("duration", "UInt64", millis * 1_000_000L),
        new Param("status", "String", status), new Param("resource", "Map(String, String)", resource),
        new Param("attributes", "Map(String, String)", attributes))));
  }

  /** Strings that would break a query built by concatenation. */
  static final class HostileSamples {
    static final List<String> ALL = new ArrayList<>(Arrays.asList("'", "\"", "`", "\\", "\\'",
        "'; DROP TABLE trace_search.otel_traces; --", "{}", "{x:String}", "{p0:String}", "\0", "a\0b", "\n",
        "a\n\nb", "\r\n\r\n", "-- c", "/* x */", "SETTINGS readonly=0", "日本語", "😀", "\t", "%s", "é".repeat(128)));

    private HostileSamples() {}
  }
}
